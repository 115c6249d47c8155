import { readInt64OrNaN } from '../protocol/message/int64.js';
import { MESSAGE_MAGIC_CODE } from '../protocol/message/record.js';
import type { CommitLog } from './commit-log.js';
import { scanCommitLog } from './commit-log-scan.js';
import { ConsumeQueue } from './consume-queue.js';
import { MIN_RECORD_SIZE } from './record-check.js';

/** How far to look either side of a bad entry for good ones bounding the repair. */
const SEARCH = 4096;

/**
 * Read repair: the pull path met a queue entry at `index` that does not lead to its record (garbage, a
 * wrong offset or size: damage a start's cheap checks did not reach). The commit log is the source of
 * truth: find the nearest good entries around it, walk the commit log between their records, and
 * rewrite the entries in between from the records found for this queue (an entry whose record is itself
 * damaged stays: its pull reports the loss). Returns how many entries changed (0: the record is lost).
 * Costs a walk of the log between two records of the queue, and only when damage is met.
 */
export function repairQueueEntries(
  cq: ConsumeQueue,
  index: number,
  log: CommitLog,
  levels: number[],
  fileSize: number,
): number {
  const end = Math.floor(cq.writePos / 20);
  if (index < cq.minOffsetInQueue || index >= end) return 0;
  const good = (i: number) => {
    const e = cq.entryOnDisk(i);
    if (!e || ConsumeQueue.isBlank(e.size) || !(e.phyOffset >= 0)) return undefined;
    if (e.size < MIN_RECORD_SIZE || e.size > fileSize) return undefined;
    const h = log.getData(e.phyOffset, 36);
    if (!h || h.readInt32BE(0) !== e.size || h.readInt32BE(4) !== MESSAGE_MAGIC_CODE) return undefined;
    if (h.readInt32BE(12) !== cq.queueId || readInt64OrNaN(h, 20) !== i) return undefined;
    if (readInt64OrNaN(h, 28) !== e.phyOffset) return undefined;
    return e;
  };
  let lo = index - 1;
  let from = log.minOffset;
  for (; lo >= cq.minOffsetInQueue && index - lo <= SEARCH; lo--) {
    const e = good(lo);
    if (e) {
      from = Math.max(from, e.phyOffset + e.size);
      break;
    }
  }
  let hi = index + 1;
  let to = log.readableOffset;
  for (; hi < end && hi - index <= SEARCH; hi++) {
    const e = good(hi);
    if (e) {
      to = e.phyOffset;
      break;
    }
  }
  hi = Math.min(hi, end);
  const found = new Map<number, { phy: number; size: number; tags: number }>();
  scanCommitLog(log.queue, { from, limit: to, checkCRC: true, levels }, (off, r) => {
    if (r.topic === cq.topic && r.queueId === cq.queueId && r.queueOffset > lo && r.queueOffset < hi)
      found.set(r.queueOffset, { phy: off, size: r.size, tags: r.tagsCode(levels) });
  });
  let changed = 0;
  for (let i = Math.max(lo + 1, cq.minOffsetInQueue); i < hi; i++) {
    const want = found.get(i);
    const cur = cq.entryOnDisk(i);
    if (want) {
      if (cur && cur.phyOffset === want.phy && cur.size === want.size && cur.tagsCode === want.tags) continue;
      if (cq.rewriteEntry(i, want.phy, want.size, want.tags)) changed++;
    }
    // No valid record for i: the entry stays, and a pull of it gets the error for that offset.
  }
  return changed;
}
