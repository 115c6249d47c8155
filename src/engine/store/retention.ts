import { statfs } from 'node:fs/promises';
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
 * Retention and the disk guard (Java CleanCommitLogService / CleanConsumeQueueService):
 * - usage above max(diskMaxUsedSpaceRatio, diskSpaceWarningLevelRatio) refuses writes (SERVICE_NOT_AVAILABLE);
 * - commit-log files older than fileReservedTime are deleted at a deleteWhen hour, or at once when usage is
 *   above diskMaxUsedSpaceRatio; above diskSpaceCleanForciblyRatio too (or when writes are refused, or on a
 *   manual clean) even unexpired files go, oldest first, deleteFileBatchMax per run;
 * - the file being written, and anything not yet written and flushed, is never deleted;
 * - consume-queue and index files whose entries all point below the commit log's min offset follow.
 */
export class RetentionService {
  constructor(
    private readonly store: MessageStore,
    private readonly diskUsage: (path: string) => number | Promise<number> = statfsUsage,
  ) {}

  async checkDisk(): Promise<number> {
    const s = this.store;
    let ratio: number;
    try {
      ratio = await this.diskUsage(s.config.storePathCommitLog);
    } catch {
      ratio = -1;
    }
    s.diskUsedRatio = ratio;
    s.diskFull = ratio > s.writeLimitRatio;
    return ratio;
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
    const force =
      (manual && !expiredOnly) ||
      s.diskFull ||
      (spaceFull && c.cleanFileForciblyEnable && ratio > c.diskSpaceCleanForciblyRatio / 100);
    if (!timeUp && !spaceFull && !manual) return 0;
    const cl = s.commitLog;
    const reservedMs = c.fileReservedTime * 3600 * 1000;
    let deleted = 0;
    while (deleted < c.deleteFileBatchMax) {
      const files = cl.queue.files;
      if (files.length <= 1) break;
      const f = files[0]!;
      // Never the file being written, nor one with bytes not yet written and flushed.
      if (f === cl.queue.last || f.fileEndOffset > cl.flushedOffset || f.fileEndOffset > cl.writtenOffset)
        break;
      const expired = f.lastModified() + reservedMs <= now;
      if (!expired && !force) break;
      cl.queue.remove(f);
      deleted++;
    }
    return deleted;
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
