import type { MessageExt } from './message.js';

/** A queue is dropped if nothing was pulled for this long (ProcessQueue.PULL_MAX_IDLE_TIME). */
export const PULL_MAX_IDLE_MS = 120000;
/** Broker-side queue lock lease (RebalanceLockManager) and how long we trust our lock. */
export const REBALANCE_LOCK_MAX_LIVE_MS = 30000;

/**
 * Messages pulled for one queue and not yet consumed (ProcessQueue.java, a TreeMap there). Pull results
 * arrive in offset order, so the cache is an array in offset order: consumed messages leave holes, and the
 * first live entry is the lowest unconsumed offset, which is what may be committed. An array rather than a
 * Map: a Map used as a FIFO rehashes as it goes, which cost ~80 bytes of garbage per message in the drain.
 */
export class ProcessQueue {
  /** Cached messages in offset order from `head` on; consumed ones are undefined. */
  private cache: Array<MessageExt | undefined> = [];
  private head = 0;
  private live = 0;
  /** Orderly mode: messages handed to the listener and not yet committed. */
  private readonly consuming = new Map<number, MessageExt>();
  private cachedBytes = 0;
  /** Highest offset ever put (so an empty queue still knows where it stands). */
  private queueOffsetMax = -1;
  dropped = false;
  /** Set once a dropped queue's last offset was committed: later progress must not be recorded. */
  finalized = false;
  locked = false;
  lastLockTimestamp = 0;
  lastPullTimestamp = Date.now();
  lastConsumeTimestamp = Date.now();
  /** Orderly mode: a consume task is running for this queue. */
  consumingNow = false;
  tryUnlockTimes = 0;
  /** Listener calls running for this queue (a dropped queue waits for 0 before its final commit). */
  inflight = 0;

  get count(): number {
    return this.live;
  }

  get bytes(): number {
    return this.cachedBytes;
  }

  /** Adds pulled messages; returns true if the queue was idle (nothing cached) before, for orderly dispatch. */
  put(list: readonly MessageExt[]): boolean {
    const wasEmpty = this.live === 0 && this.consuming.size === 0;
    for (const m of list) {
      if (m.queueOffset <= this.queueOffsetMax) continue;
      this.cache.push(m);
      this.live++;
      this.cachedBytes += m.body.length;
      this.queueOffsetMax = m.queueOffset;
    }
    return wasEmpty;
  }

  /** Lowest cached offset (only while count > 0). */
  private firstOffset(): number {
    return this.cache[this.head]!.queueOffset;
  }

  /** Offset span between the lowest and highest cached message (consumeConcurrentlyMaxSpan check). */
  maxSpan(): number {
    if (this.live === 0) return 0;
    return this.queueOffsetMax - this.firstOffset();
  }

  /** Index of the cached message at `offset`, or -1 (binary search: the live entries are in offset order). */
  private indexOf(offset: number): number {
    const c = this.cache;
    let lo = this.head;
    let hi = c.length - 1;
    while (lo <= hi) {
      // Holes are skipped to the right; the search stays within [lo, hi].
      const mid = (lo + hi) >>> 1;
      let i = mid;
      while (i <= hi && c[i] === undefined) i++;
      if (i > hi) {
        hi = mid - 1;
        continue;
      }
      const at = c[i]!.queueOffset;
      if (at === offset) return i;
      if (at < offset) lo = i + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Drops the holes before the first live entry, and the spent prefix once it is most of the array. */
  private trimHead(): void {
    const c = this.cache;
    while (this.head < c.length && c[this.head] === undefined) this.head++;
    if (this.head === c.length) {
      c.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= c.length) {
      this.cache = c.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Concurrent mode: the listener finished `list`. Returns the offset that may now be committed: the lowest
   * still-cached offset, or one past the highest seen when nothing is left; -1 if nothing was cached.
   */
  remove(list: readonly MessageExt[]): number {
    if (this.live === 0) return -1;
    for (const m of list) {
      const i = this.indexOf(m.queueOffset);
      if (i < 0) continue;
      this.cachedBytes -= this.cache[i]!.body.length;
      this.cache[i] = undefined;
      this.live--;
    }
    this.trimHead();
    this.lastConsumeTimestamp = Date.now();
    if (this.live > 0) return this.firstOffset();
    return this.queueOffsetMax + 1;
  }

  /** Orderly mode: take up to `n` messages in offset order into the consuming set. */
  take(n: number): MessageExt[] {
    const out: MessageExt[] = [];
    const c = this.cache;
    for (let i = this.head; i < c.length && out.length < n; i++) {
      const m = c[i];
      if (m === undefined) continue;
      out.push(m);
      c[i] = undefined;
      this.live--;
      this.consuming.set(m.queueOffset, m);
    }
    this.trimHead();
    this.lastConsumeTimestamp = Date.now();
    return out;
  }

  /** Orderly mode: the consuming set succeeded; returns the next offset to commit, or -1 if none. */
  commit(): number {
    let max = -1;
    for (const [off, m] of this.consuming) {
      if (off > max) max = off;
      this.cachedBytes -= m.body.length;
    }
    this.consuming.clear();
    return max >= 0 ? max + 1 : -1;
  }

  /** Orderly mode: put the consuming set back in front, to be retried. */
  rollback(): void {
    if (this.consuming.size === 0) return;
    const back = [...this.consuming.values()].sort((a, b) => a.queueOffset - b.queueOffset);
    const rest = this.cache.slice(this.head).filter((m) => m !== undefined);
    this.cache = back.concat(rest);
    this.head = 0;
    this.live = this.cache.length;
    this.consuming.clear();
  }

  hasPending(): boolean {
    return this.live > 0;
  }

  isPullExpired(now = Date.now()): boolean {
    return now - this.lastPullTimestamp > PULL_MAX_IDLE_MS;
  }

  isLockExpired(now = Date.now()): boolean {
    return now - this.lastLockTimestamp > REBALANCE_LOCK_MAX_LIVE_MS;
  }

  /** Cached messages, for GET_CONSUMER_RUNNING_INFO. */
  info(): {
    cachedMsgCount: number;
    cachedMsgSizeInMiB: number;
    cachedMsgMinOffset: number;
    cachedMsgMaxOffset: number;
  } {
    const first = this.live > 0 ? this.firstOffset() : 0;
    return {
      cachedMsgCount: this.live,
      cachedMsgSizeInMiB: Math.floor(this.cachedBytes / (1024 * 1024)),
      cachedMsgMinOffset: first,
      cachedMsgMaxOffset: Math.max(this.queueOffsetMax, 0),
    };
  }
}
