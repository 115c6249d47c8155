import type { SlaveWaitStatus } from './ha-store.js';

interface Waiter {
  endOffset: number;
  deadline: number;
  resolve: (s: SlaveWaitStatus) => void;
}

/**
 * SYNC_MASTER puts waiting for a slave to acknowledge their end offset (Java GroupTransferService). Kept
 * sorted by end offset so an acknowledgement releases a prefix; one sweep timer handles every deadline,
 * so a put costs no timer of its own.
 */
export class GroupTransferWaiters {
  private waiters: Waiter[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly sweepIntervalMs = 20) {}

  get size(): number {
    return this.waiters.length;
  }

  wait(endOffset: number, timeoutMs: number): Promise<SlaveWaitStatus> {
    return new Promise((resolve) => {
      const w: Waiter = { endOffset, deadline: Date.now() + timeoutMs, resolve };
      // Puts finish in commit-log order, so the insert point is almost always the tail.
      let i = this.waiters.length;
      while (i > 0 && this.waiters[i - 1]!.endOffset > endOffset) i--;
      this.waiters.splice(i, 0, w);
      if (!this.sweeper) {
        // Referenced on purpose: a pending put must get its answer; the timer stops when none is left.
        this.sweeper = setInterval(() => this.expire(), this.sweepIntervalMs);
      }
    });
  }

  /** The slaves have everything below `ackedOffset`: release every put that ends at or before it. */
  acknowledge(ackedOffset: number): void {
    let n = 0;
    while (n < this.waiters.length && this.waiters[n]!.endOffset <= ackedOffset) n++;
    if (n === 0) return;
    const done = this.waiters.splice(0, n);
    for (const w of done) w.resolve('PUT_OK');
    this.stopIfIdle();
  }

  /** Releases every waiter with `status` (shutdown). */
  releaseAll(status: SlaveWaitStatus): void {
    const all = this.waiters;
    this.waiters = [];
    for (const w of all) w.resolve(status);
    this.stopIfIdle();
  }

  private expire(): void {
    const now = Date.now();
    const kept: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.deadline <= now) w.resolve('FLUSH_SLAVE_TIMEOUT');
      else kept.push(w);
    }
    if (kept.length !== this.waiters.length) this.waiters = kept;
    this.stopIfIdle();
  }

  private stopIfIdle(): void {
    if (this.waiters.length === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
