import type { MessageExt } from './message.js';

/** A queue is dropped if nothing was pulled for this long (ProcessQueue.PULL_MAX_IDLE_TIME). */
export const PULL_MAX_IDLE_MS = 120000;
/** Broker-side queue lock lease (RebalanceLockManager) and how long we trust our lock. */
export const REBALANCE_LOCK_MAX_LIVE_MS = 30000;

/**
 * Messages pulled for one queue and not yet consumed (ProcessQueue.java). Pull results arrive in offset
 * order, so an insertion-ordered Map is also offset-ordered: its first key is the lowest unconsumed offset,
 * which is what may be committed.
 */
export class ProcessQueue {
  private readonly msgs = new Map<number, MessageExt>();
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
    return this.msgs.size;
  }

  get bytes(): number {
    return this.cachedBytes;
  }

  /** Adds pulled messages; returns true if the queue was idle (nothing cached) before, for orderly dispatch. */
  put(list: readonly MessageExt[]): boolean {
    const wasEmpty = this.msgs.size === 0 && this.consuming.size === 0;
    for (const m of list) {
      if (this.msgs.has(m.queueOffset) || m.queueOffset <= this.queueOffsetMax) continue;
      this.msgs.set(m.queueOffset, m);
      this.cachedBytes += m.body.length;
      this.queueOffsetMax = m.queueOffset;
    }
    return wasEmpty;
  }

  /** Offset span between the lowest and highest cached message (consumeConcurrentlyMaxSpan check). */
  maxSpan(): number {
    if (this.msgs.size === 0) return 0;
    const first = this.msgs.keys().next().value as number;
    return this.queueOffsetMax - first;
  }

  /**
   * Concurrent mode: the listener finished `list`. Returns the offset that may now be committed: the lowest
   * still-cached offset, or one past the highest seen when nothing is left; -1 if nothing was cached.
   */
  remove(list: readonly MessageExt[]): number {
    if (this.msgs.size === 0) return -1;
    for (const m of list) {
      const had = this.msgs.get(m.queueOffset);
      if (had) {
        this.msgs.delete(m.queueOffset);
        this.cachedBytes -= had.body.length;
      }
    }
    this.lastConsumeTimestamp = Date.now();
    if (this.msgs.size > 0) return this.msgs.keys().next().value as number;
    return this.queueOffsetMax + 1;
  }

  /** Orderly mode: take up to `n` messages in offset order into the consuming set. */
  take(n: number): MessageExt[] {
    const out: MessageExt[] = [];
    for (const [off, m] of this.msgs) {
      if (out.length >= n) break;
      out.push(m);
      this.msgs.delete(off);
      this.consuming.set(off, m);
    }
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
    const rest = [...this.msgs];
    this.msgs.clear();
    for (const [off, m] of [...this.consuming].sort((a, b) => a[0] - b[0])) this.msgs.set(off, m);
    for (const [off, m] of rest) this.msgs.set(off, m);
    this.consuming.clear();
  }

  hasPending(): boolean {
    return this.msgs.size > 0;
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
    const first = this.msgs.size ? (this.msgs.keys().next().value as number) : 0;
    return {
      cachedMsgCount: this.msgs.size,
      cachedMsgSizeInMiB: Math.floor(this.cachedBytes / (1024 * 1024)),
      cachedMsgMinOffset: first,
      cachedMsgMaxOffset: Math.max(this.queueOffsetMax, 0),
    };
  }
}
