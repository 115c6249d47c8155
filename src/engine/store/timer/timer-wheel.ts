import * as fs from 'node:fs';

/** One slot: the time it fires, the timer-log position of its newest unit, how many units it links. */
export interface Slot {
  timeMs: number;
  lastPos: number;
  num: number;
}

export const SLOT_SIZE = 24;

/**
 * `timerwheel` (TimerWheel.java): a fixed array of slots, one per `precisionMs` tick, indexed by
 * (timeMs / precisionMs) mod slotsTotal. A slot names only its newest unit in the timer log; the units of a
 * slot form a list through their `prevPos`. A slot whose timeMs is not the asked time is empty (a slot left
 * from an earlier lap of the wheel). The whole array is one file of fixed size, read into one buffer: its
 * memory depends on the wheel's span, never on how many timers are pending.
 */
export class TimerWheel {
  readonly slotsTotal: number;
  private readonly fd: number;
  private readonly buf: Buffer;
  private readonly dirty = new Set<number>();

  constructor(
    readonly path: string,
    slotsTotal: number,
    readonly precisionMs: number,
  ) {
    const exists = fs.existsSync(path);
    this.fd = fs.openSync(path, exists ? 'r+' : 'w+');
    // A wheel written with another span keeps its own size: its slots stay where they were written.
    const size = exists ? fs.fstatSync(this.fd).size : 0;
    this.slotsTotal = size >= SLOT_SIZE ? Math.floor(size / SLOT_SIZE) : slotsTotal;
    this.buf = Buffer.alloc(this.slotsTotal * SLOT_SIZE);
    if (size < this.buf.length) fs.ftruncateSync(this.fd, this.buf.length);
    if (size > 0) fs.readSync(this.fd, this.buf, 0, Math.min(size, this.buf.length), 0);
  }

  /** Milliseconds the wheel spans: a unit further out than this must roll (be re-filed later). */
  get spanMs(): number {
    return this.slotsTotal * this.precisionMs;
  }

  private index(timeMs: number): number {
    return Math.floor(timeMs / this.precisionMs) % this.slotsTotal;
  }

  get(timeMs: number): Slot {
    const at = this.index(timeMs) * SLOT_SIZE;
    const t = Number(this.buf.readBigInt64BE(at));
    if (t !== timeMs) return { timeMs, lastPos: -1, num: 0 };
    return { timeMs, lastPos: Number(this.buf.readBigInt64BE(at + 8)), num: this.buf.readInt32BE(at + 16) };
  }

  put(s: Slot): void {
    const i = this.index(s.timeMs);
    const at = i * SLOT_SIZE;
    this.buf.writeBigInt64BE(BigInt(s.timeMs), at);
    this.buf.writeBigInt64BE(BigInt(s.lastPos), at + 8);
    this.buf.writeInt32BE(s.num, at + 16);
    this.dirty.add(i);
  }

  /** Hands the changed slots to the OS (enough for a kill -9; `sync` for a power loss). */
  write(): void {
    if (this.dirty.size === 0) return;
    for (const i of this.dirty) fs.writeSync(this.fd, this.buf, i * SLOT_SIZE, SLOT_SIZE, i * SLOT_SIZE);
    this.dirty.clear();
    this.unsynced = true;
  }

  private unsynced = false;

  sync(): void {
    this.write();
    if (this.unsynced) fs.fdatasyncSync(this.fd);
    this.unsynced = false;
  }

  /** `sync` off the event loop: the fdatasync runs on libuv's pool. */
  async syncAsync(): Promise<void> {
    this.write();
    if (!this.unsynced) return;
    this.unsynced = false;
    await fs.promises.open(this.path, 'r').then(async (h) => {
      try {
        await h.datasync();
      } finally {
        await h.close();
      }
    });
  }

  close(): void {
    this.sync();
    fs.closeSync(this.fd);
  }
}
