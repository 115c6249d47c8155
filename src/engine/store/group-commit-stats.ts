/**
 * What SYNC_FLUSH group commit achieves: how many waiting puts each fdatasync answered (a histogram in
 * power-of-two ranges) and how long the fdatasyncs took. Reported in the broker's runtime info
 * (`commitLogGroupCommitSizes`), read by bench/sync-flush.ts.
 */
const BUCKETS = 9; // 1, 2-3, 4-7, …, 128-255, 256+
const IDLE_MS = 100;

export class GroupCommitStats {
  /** counts[i]: fdatasyncs that answered [2^i, 2^(i+1)) puts; the last bucket is open-ended. */
  readonly counts: number[] = new Array<number>(BUCKETS).fill(0);
  /** fdatasyncs that answered no put (the writers they covered were not waiting, or had timed out). */
  idle = 0;
  syncs = 0;
  puts = 0;
  syncMs = 0;
  maxGroup = 0;
  /**
   * Where a group's time goes, summed over groups: from its first waiting put to the start of its
   * fdatasync (gathering), and from the previous fdatasync's end to that first put (away: the replies,
   * the producer and the network; when it is longer than the fdatasync, producers answer in lockstep
   * and the disk waits on them). Gaps over IDLE_MS are an idle producer, not a cycle, and are left out.
   */
  gatherMs = 0;
  gatherCount = 0;
  awayMs = 0;
  awayCount = 0;

  /** A group's first waiting put came `gather` ms before its fdatasync started, `away` ms after the previous one ended (NaN: none). */
  recordCycle(gather: number, away: number): void {
    this.gatherMs += gather;
    this.gatherCount++;
    if (away >= 0 && away < IDLE_MS) {
      this.awayMs += away;
      this.awayCount++;
    }
  }

  record(puts: number, ms: number): void {
    this.syncs++;
    this.syncMs += ms;
    if (puts === 0) {
      this.idle++;
      return;
    }
    this.puts += puts;
    if (puts > this.maxGroup) this.maxGroup = puts;
    this.counts[Math.min(BUCKETS - 1, 31 - Math.clz32(puts))]!++;
  }

  /** "1:3 2-3:10 4-7:51 …; 1234 fdatasyncs (2 idle), 14.2 puts each, max 31, 1.62 ms each; per group 0.27 ms gathering, 1.29 ms away". */
  toString(): string {
    const ranges = this.counts.map((n, i) => {
      const lo = 1 << i;
      const name = i === BUCKETS - 1 ? `${lo}+` : lo === 1 ? '1' : `${lo}-${2 * lo - 1}`;
      return `${name}:${n}`;
    });
    const answered = this.syncs - this.idle;
    const each = answered ? (this.puts / answered).toFixed(1) : '0';
    const ms = this.syncs ? (this.syncMs / this.syncs).toFixed(2) : '0';
    const gather = this.gatherCount ? (this.gatherMs / this.gatherCount).toFixed(2) : '0';
    const away = this.awayCount ? (this.awayMs / this.awayCount).toFixed(2) : '0';
    return (
      `${ranges.join(' ')}; ${this.syncs} fdatasyncs (${this.idle} idle), ${each} puts each, max ${this.maxGroup}, ` +
      `${ms} ms each; per group ${gather} ms gathering, ${away} ms away`
    );
  }
}
