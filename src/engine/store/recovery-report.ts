import type { SkippedRange } from './commit-log-scan.js';

/**
 * What the last start's recovery checked, repaired, rebuilt and skipped: one summary line for the log
 * and for `broker start` to print, and the details for tests and runtime info.
 */
export class RecoveryReport {
  /** How the previous run ended: clean shutdown or not (abort file left). */
  lastExitOK = true;
  /** Why the checkpoint was not usable (recovery then starts from the first commit-log file). */
  checkpointDamage: string | undefined;
  /** Commit-log range walked record by record, and the records found valid in it. */
  walkFrom = 0;
  walkEnd = 0;
  recordsChecked = 0;
  crcChecked = false;
  /** Damaged commit-log ranges stepped over (each logged with its file and offsets). */
  skipped: SkippedRange[] = [];
  /** Torn or garbage tail cut from the commit log, if any. */
  cut: { at: number; reason: string } | undefined;
  /** Consume queues checked, and whether every entry was (else the last files of each). */
  queuesChecked = 0;
  queuesCheckedFully = false;
  /** "topic/queueId: why" of queues whose entries were dropped and rebuilt from the commit log. */
  queuesRebuilt: string[] = [];
  /** Entries the rebuild re-created from the commit log. */
  entriesRebuilt = 0;
  /** Queue entries turned into blanks because their record is damaged (lost). */
  entriesBlanked = 0;
  /** Blank units put in for records lost to damage while rebuilding. */
  blanksFilled = 0;
  /** Records dispatched again to queues and index after the walk, from `redispatchFrom` on. */
  redispatched = 0;
  redispatchFrom = 0;
  ms = 0;

  /** Bytes in skipped ranges. */
  get skippedBytes(): number {
    return this.skipped.reduce((n, s) => n + (s.to - s.from), 0);
  }

  /** True when recovery found anything to repair or skip. */
  get repaired(): boolean {
    return (
      this.skipped.length > 0 ||
      this.cut !== undefined ||
      this.queuesRebuilt.length > 0 ||
      this.entriesBlanked > 0 ||
      this.checkpointDamage !== undefined
    );
  }

  summary(): string {
    const how = this.lastExitOK ? 'clean shutdown' : 'abnormal exit';
    const cp = this.checkpointDamage ? ', checkpoint damaged: recovered from the files' : '';
    const parts = [
      `checked ${this.recordsChecked} commit-log records in [${this.walkFrom}, ${this.walkEnd})` +
        `${this.crcChecked ? ' with CRC' : ''} and ${this.queuesChecked} consume queues` +
        ` (${this.queuesCheckedFully ? 'every entry' : 'last files'})`,
    ];
    if (this.skipped.length)
      parts.push(`skipped ${this.skipped.length} damaged commit-log ranges (${this.skippedBytes} bytes)`);
    if (this.cut) parts.push(`cut the commit log at ${this.cut.at} (${this.cut.reason})`);
    if (this.queuesRebuilt.length)
      parts.push(`rebuilt ${this.queuesRebuilt.length} consume queues (${this.entriesRebuilt} entries)`);
    if (this.redispatched)
      parts.push(
        `dispatched ${this.redispatched} records again from ${this.redispatchFrom} (what queues and index lacked)`,
      );
    if (this.entriesBlanked + this.blanksFilled)
      parts.push(`${this.entriesBlanked + this.blanksFilled} queue entries mark lost records`);
    if (!this.repaired) parts.push('nothing to repair');
    return `store recovery (${how}${cp}): ${parts.join('; ')}; ${this.ms} ms`;
  }
}
