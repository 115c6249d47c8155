import { statfs } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DataFile } from './data-file.js';
import type { MessageStore } from './message-store.js';

/** Disk usage fraction (0..1) of the file system holding `path`: (blocks − free) / blocks, as Java's File. */
export async function statfsUsage(path: string): Promise<number> {
  const s = await statfs(path);
  return s.blocks > 0 ? (s.blocks - s.bfree) / s.blocks : 0;
}

/** True when the hour of `now` (local time) is one of `deleteWhen` ("04" or "04;16"). */
export function isDeleteHour(deleteWhen: string, now: number): boolean {
  const h = new Date(now).getHours();
  return deleteWhen
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .some((s) => Number(s) === h);
}

/**
 * Retention (Java CleanCommitLogService / CleanConsumeQueueService); the disk state itself is DiskGuard's:
 * - commit-log files older than fileReservedTime are deleted at a deleteWhen hour, or at once when usage is
 *   above diskMaxUsedSpaceRatio;
 * - unexpired files go too, oldest first, deleteFileBatchMax per run, only with cleanFileForciblyEnable
 *   (Java's cleanAtOnce) and when usage is above diskSpaceCleanForciblyRatio, writes are refused, a write
 *   hit ENOSPC, or an admin forces a clean; each such deletion is logged with its files and message range.
 *   With cleanFileForciblyEnable=false nothing fileReservedTime keeps is deleted, whatever the disk says;
 * - the file being written, and anything not yet written and flushed, is never deleted;
 * - consume-queue and index files whose entries all point below the commit log's min offset follow.
 */
export class RetentionService {
  constructor(private readonly store: MessageStore) {}

  checkDisk(): Promise<number> {
    return this.store.disk.check();
  }

  /** `manual`: run the pass now; unless `expiredOnly`, also delete unexpired files (admin force clean). */
  async run(manual = false, expiredOnly = false): Promise<number> {
    const ratio = await this.checkDisk();
    const deleted = this.deleteExpiredCommitLog(ratio, manual, expiredOnly);
    await this.store.writeQueuesNow();
    this.deleteExpiredLogics();
    if (deleted > 0) await this.checkDisk();
    return deleted;
  }

  deleteExpiredCommitLog(ratio: number, manual: boolean, expiredOnly = false): number {
    const s = this.store;
    const c = s.config;
    const now = s.currentTime();
    const timeUp = isDeleteHour(c.deleteWhen, now);
    const spaceFull = ratio < 0 || ratio > c.diskMaxUsedSpaceRatio / 100;
    const wantsForce = (manual && !expiredOnly) || s.disk.cleanImmediately;
    const force = c.cleanFileForciblyEnable && wantsForce;
    if (!timeUp && !spaceFull && !manual && !wantsForce) return 0;
    const cl = s.commitLog;
    const reservedMs = c.fileReservedTime * 3600 * 1000;
    const forced: DataFile[] = [];
    let firstForcedTs = 0;
    let deleted = 0;
    let kept = 0;
    while (deleted < c.deleteFileBatchMax) {
      const files = cl.queue.files;
      if (files.length <= 1) break;
      const f = files[0]!;
      // Never the file being written, nor one with bytes not yet written and flushed.
      if (f === cl.queue.last || f.fileEndOffset > cl.flushedOffset || f.fileEndOffset > cl.writtenOffset)
        break;
      const expired = f.lastModified() + reservedMs <= now;
      if (!expired && !force) {
        if (wantsForce) kept = files.length - 1;
        break;
      }
      if (!expired) {
        if (forced.length === 0) firstForcedTs = s.firstStoreTimestampOf(f);
        forced.push(f);
      }
      cl.queue.remove(f);
      deleted++;
    }
    if (kept > 0) s.disk.onCleanBlocked(kept);
    if (forced.length > 0) s.disk.onForcedClean(this.forcedLine(forced, firstForcedTs, ratio));
    return deleted;
  }

  /** "forced clean: N unexpired files … offsets [a, b), messages stored t1 … t2" for the log. */
  private forcedLine(forced: DataFile[], firstTs: number, ratio: number): string {
    const s = this.store;
    const c = s.config;
    const from = forced[0]!.fileFromOffset;
    const to = forced[forced.length - 1]!.fileEndOffset;
    const next = s.commitLog.queue.first;
    const nextTs = next ? s.firstStoreTimestampOf(next) : 0;
    const iso = (t: number) => (t > 0 ? new Date(t).toISOString() : '?');
    const names = forced.map((f) => basename(f.path)).join(', ');
    return `disk: forced clean at ${(ratio * 100).toFixed(1)}% used (diskSpaceCleanForciblyRatio ${c.diskSpaceCleanForciblyRatio}%): deleted ${forced.length} unexpired commit-log files ${names} (fileReservedTime ${c.fileReservedTime} h not reached), commit-log offsets [${from}, ${to}), messages stored from ${iso(firstTs)} to before ${iso(nextTs)}`;
  }

  deleteExpiredLogics(): void {
    const s = this.store;
    const minPhy = s.commitLog.minOffset;
    for (const [topic, ids] of s.getTopicQueues()) {
      for (const id of ids) s.findConsumeQueue(topic, id)?.deleteExpiredFiles(minPhy);
    }
    s.indexService.deleteExpiredFiles(minPhy);
  }
}
