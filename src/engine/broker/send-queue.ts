/**
 * The broker's send queue (Java's send thread pool + BrokerFastFailure): at most `concurrency` sends are in
 * the store at once; the rest wait in FIFO order. A send that waited longer than `maxWaitMs` is refused
 * with SYSTEM_BUSY "[TIMEOUT_CLEAN_QUEUE]" instead of being stored late; a full queue refuses at once.
 */
export class SendQueue {
  private running = 0;
  private readonly waiting: Array<{
    enqueued: number;
    start: () => void;
    reject: (why: BusyReason) => void;
  }> = [];
  private head = 0;

  constructor(
    private readonly concurrency: number,
    private readonly capacity: number,
    public maxWaitMs: number,
    public fastFailure = true,
  ) {}

  get size(): number {
    return this.waiting.length - this.head;
  }

  /** ms the oldest waiting send has waited (sendThreadPoolQueueHeadWaitTimeMills). */
  headWaitMs(now = Date.now()): number {
    return this.size > 0 ? now - this.waiting[this.head]!.enqueued : 0;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency && this.size === 0) return this.exec(fn);
    if (this.size >= this.capacity) return Promise.reject(new BusyReason('OVERLOAD', 0, this.size));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        enqueued: Date.now(),
        start: () => this.exec(fn).then(resolve, reject),
        reject,
      });
    });
  }

  // Plain promise chaining rather than async/await + finally: one promise and no extra microtask hops
  // per send on the hot path.
  private exec<T>(fn: () => Promise<T>): Promise<T> {
    this.running++;
    let p: Promise<T>;
    try {
      p = fn();
    } catch (e) {
      this.done();
      return Promise.reject(e);
    }
    return p.then(
      (v) => {
        this.done();
        return v;
      },
      (e) => {
        this.done();
        throw e;
      },
    );
  }

  private done(): void {
    this.running--;
    this.next();
  }

  /** Refuses sends that have waited too long even while the store is stuck (BrokerFastFailure's sweep). */
  sweep(now = Date.now()): void {
    if (!this.fastFailure) return;
    while (this.size > 0) {
      const w = this.waiting[this.head]!;
      const waited = now - w.enqueued;
      if (waited <= this.maxWaitMs) return;
      this.waiting[this.head++] = undefined as never;
      w.reject(new BusyReason('TIMEOUT_CLEAN_QUEUE', waited, this.size));
    }
  }

  private next(): void {
    const now = Date.now();
    while (this.running < this.concurrency && this.size > 0) {
      const w = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as never;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      const waited = now - w.enqueued;
      if (this.fastFailure && waited > this.maxWaitMs) {
        w.reject(new BusyReason('TIMEOUT_CLEAN_QUEUE', waited, this.size));
        continue;
      }
      w.start();
    }
  }
}

/** Why a send was refused before reaching the store; turned into a SYSTEM_BUSY reply. */
export class BusyReason extends Error {
  constructor(
    readonly kind: 'OVERLOAD' | 'TIMEOUT_CLEAN_QUEUE',
    readonly waitedMs: number,
    readonly queueSize: number,
  ) {
    super(
      kind === 'OVERLOAD'
        ? '[OVERLOAD]system busy, start flow control for a while'
        : `[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: ${waitedMs}ms, size of queue: ${queueSize}`,
    );
    this.name = 'BusyReason';
  }
}
