import * as fs from 'node:fs';
import { join } from 'node:path';
import { offset2FileName } from '../data-file.js';

/** One timer in the log: where its message is in the commit log, when it is due, the slot it is filed in. */
export interface TimerUnit {
  /** Position of the previous unit of the same slot, or -1. */
  prevPos: number;
  /** The slot this unit is linked into (earlier than deliverMs when the timer rolls). */
  slotTimeMs: number;
  deliverMs: number;
  phyOffset: number;
  size: number;
}

export const UNIT_SIZE = 40;
const UNIT_MAGIC = 0x54494d52; // "TIMR"

/**
 * `timerlog` (TimerLog.java): append-only fixed-size units in segment files named by their start
 * position. Units are buffered and written in batches (`flush`); a segment whose units all belong to
 * slots already fired is deleted (`deleteSegmentsBefore`).
 */
export class TimerLog {
  private readonly segments = new Map<number, number>(); // start → fd
  private pending: Buffer[] = [];
  private pendingFrom = 0;
  /** Position the next unit gets. */
  end = 0;

  constructor(
    readonly dir: string,
    readonly segmentSize: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(dir).sort()) {
      if (!/^\d{20}$/.test(name)) continue;
      const start = Number(name);
      this.segments.set(start, fs.openSync(join(dir, name), 'r+'));
    }
  }

  /** Segment starts, oldest first. */
  segmentStarts(): number[] {
    return [...this.segments.keys()].sort((a, b) => a - b);
  }

  /**
   * Sets the end at `checkpointEnd` and steps forward over whole units written after it (a crash after
   * the units were written but before the checkpoint): those units may already be linked into the wheel.
   */
  recover(checkpointEnd: number): void {
    let end = checkpointEnd;
    const b = Buffer.alloc(UNIT_SIZE);
    for (;;) {
      if (!this.readInto(end, b) || b.readInt32BE(36) !== UNIT_MAGIC) break;
      end += UNIT_SIZE;
    }
    this.end = end;
    this.pendingFrom = end;
  }

  append(u: TimerUnit): number {
    const pos = this.end;
    // Units never straddle segments: the segment size is a multiple of the unit size.
    const b = Buffer.alloc(UNIT_SIZE);
    b.writeBigInt64BE(BigInt(u.prevPos), 0);
    b.writeBigInt64BE(BigInt(u.slotTimeMs), 8);
    b.writeBigInt64BE(BigInt(u.deliverMs), 16);
    b.writeBigInt64BE(BigInt(u.phyOffset), 24);
    b.writeInt32BE(u.size, 32);
    b.writeInt32BE(UNIT_MAGIC, 36);
    if (this.pending.length === 0) this.pendingFrom = pos;
    this.pending.push(b);
    this.end += UNIT_SIZE;
    return pos;
  }

  private readonly unsynced = new Set<number>();

  /** Hands buffered units to the OS, one write per segment touched (enough for a kill -9). */
  write(): void {
    if (this.pending.length === 0) return;
    let pos = this.pendingFrom;
    let i = 0;
    while (i < this.pending.length) {
      const start = pos - (pos % this.segmentSize);
      const room = (start + this.segmentSize - pos) / UNIT_SIZE;
      const chunk = this.pending.slice(i, i + room);
      const fd = this.segmentFd(start, true)!;
      fs.writeSync(fd, Buffer.concat(chunk), 0, chunk.length * UNIT_SIZE, pos - start);
      this.unsynced.add(fd);
      pos += chunk.length * UNIT_SIZE;
      i += chunk.length;
    }
    this.pending = [];
    this.pendingFrom = this.end;
  }

  /** Writes and syncs the segments written since the last sync (for a power loss). */
  sync(): void {
    this.write();
    for (const fd of this.unsynced) fs.fdatasyncSync(fd);
    this.unsynced.clear();
  }

  read(pos: number): TimerUnit | undefined {
    const b = Buffer.alloc(UNIT_SIZE);
    if (!this.readInto(pos, b) || b.readInt32BE(36) !== UNIT_MAGIC) return undefined;
    return {
      prevPos: Number(b.readBigInt64BE(0)),
      slotTimeMs: Number(b.readBigInt64BE(8)),
      deliverMs: Number(b.readBigInt64BE(16)),
      phyOffset: Number(b.readBigInt64BE(24)),
      size: b.readInt32BE(32),
    };
  }

  private readInto(pos: number, b: Buffer): boolean {
    if (pos < 0) return false;
    if (pos >= this.pendingFrom && pos < this.end) {
      this.pending[(pos - this.pendingFrom) / UNIT_SIZE]!.copy(b);
      return true;
    }
    const start = pos - (pos % this.segmentSize);
    const fd = this.segmentFd(start, false);
    if (fd === undefined) return false;
    return fs.readSync(fd, b, 0, UNIT_SIZE, pos - start) === UNIT_SIZE;
  }

  /** `sync` off the event loop (each segment synced through its own handle, so deletion is safe). */
  async syncAsync(): Promise<void> {
    this.write();
    const starts = [...this.segments].filter(([, fd]) => this.unsynced.has(fd)).map(([s]) => s);
    this.unsynced.clear();
    await Promise.all(
      starts.map((start) =>
        fs.promises.open(join(this.dir, offset2FileName(start)), 'r').then(
          async (h) => {
            try {
              await h.datasync();
            } finally {
              await h.close();
            }
          },
          () => {}, // deleted meanwhile: nothing left to sync
        ),
      ),
    );
  }

  private segmentFd(start: number, create: boolean): number | undefined {
    let fd = this.segments.get(start);
    if (fd === undefined && create) {
      fd = fs.openSync(join(this.dir, offset2FileName(start)), 'w+');
      this.segments.set(start, fd);
    }
    return fd;
  }

  /** Deletes the segments that start before `pos` (all their units fired); returns how many. */
  deleteSegmentsBefore(pos: number, keep: (start: number) => boolean): number {
    let n = 0;
    for (const start of this.segmentStarts()) {
      if (start + this.segmentSize > pos || keep(start)) continue;
      this.unsynced.delete(this.segments.get(start)!);
      fs.closeSync(this.segments.get(start)!);
      this.segments.delete(start);
      fs.rmSync(join(this.dir, offset2FileName(start)), { force: true });
      n++;
    }
    return n;
  }

  close(): void {
    this.sync();
    for (const fd of this.segments.values()) fs.closeSync(fd);
    this.segments.clear();
  }
}
