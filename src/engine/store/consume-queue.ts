import * as fs from 'node:fs';
import { join } from 'node:path';
import { dataViewOf, readInt64OrNaN, setInt64, writeInt64 } from '../protocol/message/int64.js';
import { DataFile, fdatasyncAsync, writeFullyAsync } from './data-file.js';
import { MappedFileQueue, zeroDirtyTail } from './mapped-file-queue.js';
import { MIN_RECORD_SIZE } from './record-check.js';

/** 20-byte unit: commit-log offset int64, size int32, tags code int64 (§6.2). */
export const CQ_STORE_UNIT_SIZE = 20;
/** Java's fillPreBlank entry size: units before a queue's first real entry (and, here, lost records). */
const BLANK_UNIT_SIZE = 0x7fffffff;
/** Refuse to fill a gap larger than this with blank units (a garbage queue offset, not lost records). */
const MAX_GAP_ENTRIES = 1 << 20;

/** Entries read from disk are untrusted: an offset beyond 2^53 reads as NaN, never throws. */
const readInt64 = readInt64OrNaN;

export interface ConsumeQueueLoadOptions {
  /**
   * Check every entry of every file (after an abnormal exit or with a damaged checkpoint). Otherwise
   * the last `recentFiles` files are checked entry by entry and older (full) files by their first and
   * last entries: each start then reads about what Java's recover() reads.
   */
  full: boolean;
  recentFiles: number;
  /** The largest size an entry may claim (a commit-log file). */
  maxEntrySize: number;
}

/** Where a queue's files stopped making sense; entries from there on were dropped. */
export interface ConsumeQueueDamage {
  file: string;
  /** Byte position in that file. */
  position: number;
  /** Queue offset of the first entry dropped. */
  index: number;
  reason: string;
}

/**
 * One consume queue: consumequeue/<topic>/<queueId>/<20-digit start byte>. New entries are buffered in
 * memory (readable at once) and written in the background in large pwrites; fdatasync happens on the
 * periodic consume-queue flush. A crash loses only what recovery re-dispatches from the commit log.
 */
export class ConsumeQueue {
  readonly queue: MappedFileQueue;
  /** End (offset + size) of the last entry's record in the commit log. */
  maxPhysicOffset = -1;
  /** Byte offset of the first valid entry. */
  minLogicOffset = 0;
  /** Logical byte end of written entries. */
  writePos = 0;
  private pending: Buffer = Buffer.allocUnsafe(CQ_STORE_UNIT_SIZE * 64);
  private pendingView = dataViewOf(this.pending);
  private pendingLen = 0;
  dirty = false;

  constructor(
    rootDir: string,
    readonly topic: string,
    readonly queueId: number,
    readonly fileSize: number,
  ) {
    this.queue = new MappedFileQueue(join(rootDir, topic, String(queueId)), fileSize);
  }

  /**
   * Open existing files and find the end of valid entries (Java ConsumeQueue.recover), checking what it
   * reads: files of the wrong size or missing from the sequence, entries whose offset, size or order
   * cannot be right, zeroed entries followed by data. From the first such entry on, entries are dropped
   * (zeroed on disk, later files deleted) and the damage returned: the caller rebuilds them from the
   * commit log.
   */
  load(opts: ConsumeQueueLoadOptions): ConsumeQueueDamage | undefined {
    const dir = this.queue.dir;
    if (!fs.existsSync(dir)) return undefined;
    const names = fs
      .readdirSync(dir)
      .filter((n) => /^\d{20}$/.test(n))
      .sort();
    let damage: ConsumeQueueDamage | undefined;
    const files = this.queue.files;
    for (const n of names) {
      const from = Number(n);
      const path = join(dir, n);
      if (damage) {
        fs.rmSync(path, { force: true });
        continue;
      }
      const size = fs.statSync(path).size;
      const expected = files.length ? files[files.length - 1]!.fileEndOffset : from;
      const why =
        from % this.fileSize !== 0
          ? 'file name is not a multiple of the file size'
          : from !== expected
            ? `files missing between ${expected} and ${from}`
            : size !== this.fileSize
              ? `size ${size} differs from the configured ${this.fileSize}`
              : undefined;
      if (why) {
        damage = {
          file: path,
          position: 0,
          index: Math.min(expected, from) / CQ_STORE_UNIT_SIZE,
          reason: why,
        };
        fs.rmSync(path, { force: true });
        continue;
      }
      const f = new DataFile(dir, from, this.fileSize, false);
      f.wrotePosition = f.flushedPosition = this.fileSize;
      files.push(f);
    }
    let prevEnd = -1;
    let seenEntry = false;
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const last = i === files.length - 1;
      if (!opts.full && !last && i < files.length - opts.recentFiles) {
        // An older file: full by construction; its first and last entries must be in order.
        const head = f.read(0, CQ_STORE_UNIT_SIZE);
        const tail = f.read(f.fileSize - CQ_STORE_UNIT_SIZE, CQ_STORE_UNIT_SIZE);
        const bad = entryProblem(head, 0, prevEnd, opts, seenEntry) ?? entryProblem(tail, 0, -1, opts, true);
        if (!bad) {
          const sz = tail.readInt32BE(8);
          if (sz !== BLANK_UNIT_SIZE) {
            prevEnd = readInt64(tail, 0) + sz;
            seenEntry = true;
          }
          continue;
        }
        damage = { file: f.path, position: 0, index: f.fileFromOffset / CQ_STORE_UNIT_SIZE, reason: bad };
        this.cutAt(i, 0);
        break;
      }
      const data = readWhole(f, f.fileSize);
      const dv = new DataView(data.buffer, data.byteOffset, data.length);
      let pos = 0;
      let bad: string | undefined;
      for (; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
        // An ordinary entry, in numbers (entryProblem accepts it; that one explains the rest).
        const hi = dv.getInt32(pos);
        const sz = dv.getInt32(pos + 8);
        const th = dv.getInt32(pos + 12);
        if (
          hi >= 0 &&
          hi <= 0x1fffff &&
          sz >= MIN_RECORD_SIZE &&
          sz <= opts.maxEntrySize &&
          sz !== BLANK_UNIT_SIZE
        ) {
          const off = hi * 4294967296 + dv.getUint32(pos + 4);
          if (th >= -0x200000 && th <= 0x1fffff && (!seenEntry || off >= prevEnd)) {
            prevEnd = off + sz;
            seenEntry = true;
            continue;
          }
        }
        if (
          (data.readInt32BE(pos) |
            data.readInt32BE(pos + 4) |
            data.readInt32BE(pos + 8) |
            data.readInt32BE(pos + 12) |
            data.readInt32BE(pos + 16)) ===
          0
        ) {
          if (!last) bad = 'zeroed entries in a full file';
          else if (!isZero(data, pos)) bad = 'zeroed entries followed by data';
          break;
        }
        bad = entryProblem(data, pos, prevEnd, opts, seenEntry);
        if (bad) break;
        if (sz !== BLANK_UNIT_SIZE) {
          prevEnd = readInt64(data, pos) + sz;
          seenEntry = true;
        }
      }
      if (bad) {
        damage = {
          file: f.path,
          position: pos,
          index: (f.fileFromOffset + pos) / CQ_STORE_UNIT_SIZE,
          reason: bad,
        };
        this.cutAt(i, pos);
        break;
      }
      f.wrotePosition = f.flushedPosition = pos;
      if (pos < f.fileSize && !last) break;
    }
    // Step back over empty last files (created, never written): they would confuse the roll logic.
    while (files.length > 1 && files[files.length - 1]!.wrotePosition === 0)
      this.queue.remove(files[files.length - 1]!);
    const lastFile = files[files.length - 1];
    this.writePos = lastFile ? lastFile.fileFromOffset + lastFile.wrotePosition : 0;
    this.minLogicOffset = files[0]?.fileFromOffset ?? 0;
    this.maxPhysicOffset = this.lastEntryEndBefore(this.writePos);
    return damage;
  }

  /** Drop entries from file `i`, position `pos` on: the rest of that file is zeroed, later files deleted. */
  private cutAt(i: number, pos: number): void {
    const files = this.queue.files;
    for (const g of files.slice(i + 1)) this.queue.remove(g);
    const f = files[i]!;
    if (pos === 0 && i > 0) {
      this.queue.remove(f);
      return;
    }
    zeroDirtyTail(f, pos);
    f.wrotePosition = f.flushedPosition = pos;
  }

  /** End (offset + size) of the record of the last real entry before logical byte `end`, or -1. */
  private lastEntryEndBefore(end: number): number {
    let p = end;
    while (p > this.minLogicOffset) {
      const f = this.queue.findByOffset(p - CQ_STORE_UNIT_SIZE);
      if (!f) return -1;
      const from = Math.max(f.fileFromOffset, this.minLogicOffset, p - 4096 * CQ_STORE_UNIT_SIZE);
      const b = f.read(from - f.fileFromOffset, p - from);
      for (let q = b.length - CQ_STORE_UNIT_SIZE; q >= 0; q -= CQ_STORE_UNIT_SIZE) {
        const sz = b.readInt32BE(q + 8);
        if (sz !== BLANK_UNIT_SIZE) return readInt64(b, q) + sz;
      }
      p = from;
    }
    return -1;
  }

  /**
   * The entry of queue offset `index` as read from disk, for recovery's comparisons with the
   * commit log (a window is kept, so a walk in log order reads each queue in large preads).
   */
  entryOnDisk(index: number): { phyOffset: number; size: number; tagsCode: number } | null {
    const out = { phyOffset: 0, size: 0, tagsCode: 0 };
    return this.readEntryOnDisk(index, out) ? out : null;
  }

  /** entryOnDisk into `out` (no object per entry for a walk over a whole log); false if unreadable. */
  readEntryOnDisk(index: number, out: { phyOffset: number; size: number; tagsCode: number }): boolean {
    const logical = index * CQ_STORE_UNIT_SIZE;
    if (logical < this.minLogicOffset || logical >= this.writePos) return false;
    let w = this.window;
    if (!w || logical < w.start || logical + CQ_STORE_UNIT_SIZE > w.start + w.buf.length) {
      const f = this.queue.findByOffset(logical);
      if (!f) return false;
      const pos = logical - f.fileFromOffset;
      const n = Math.min(f.wrotePosition - pos, 1024 * CQ_STORE_UNIT_SIZE);
      if (n < CQ_STORE_UNIT_SIZE) return false;
      w = this.window = { start: logical, buf: f.read(pos, n) };
    }
    const at = logical - w.start;
    out.phyOffset = readInt64(w.buf, at);
    out.size = w.buf.readInt32BE(at + 8);
    out.tagsCode = readInt64(w.buf, at + 12);
    return true;
  }
  private window: { start: number; buf: Buffer } | null = null;

  /** Drop the read window of entryOnDisk (recovery is over; 20 KiB per queue otherwise stays). */
  releaseWindow(): void {
    this.window = null;
  }

  /** Turn the entry of queue offset `index` (on disk) into a blank unit: its record is lost. */
  blankEntry(index: number): boolean {
    return this.rewriteEntry(index, 0, BLANK_UNIT_SIZE, 0);
  }

  /** Overwrite the entry of queue offset `index` in its file (a repair; only entries already on disk). */
  rewriteEntry(index: number, phyOffset: number, size: number, tagsCode: number): boolean {
    const logical = index * CQ_STORE_UNIT_SIZE;
    if (logical < this.minLogicOffset || logical >= this.writePos) return false;
    const f = this.queue.findByOffset(logical);
    if (!f) return false;
    const b = Buffer.alloc(CQ_STORE_UNIT_SIZE);
    writeInt64(b, phyOffset, 0);
    b.writeInt32BE(size, 8);
    writeInt64(b, tagsCode, 12);
    f.writeSync(b, 0, CQ_STORE_UNIT_SIZE, logical - f.fileFromOffset);
    this.window = null;
    this.dirty = true;
    f.flushedPosition = Math.min(f.flushedPosition, logical - f.fileFromOffset);
    return true;
  }

  /** Whether an entry is a blank unit (no record: before the queue's start, or lost). */
  static isBlank(size: number): boolean {
    return size === BLANK_UNIT_SIZE;
  }

  /** Drop entries from queue offset `index` on (recovery found them not matching the commit log). */
  truncateAt(index: number): void {
    const logical = Math.max(index * CQ_STORE_UNIT_SIZE, this.minLogicOffset);
    if (logical >= this.writePos) return;
    const files = this.queue.files;
    const i = files.findIndex((f) => logical >= f.fileFromOffset && logical < f.fileEndOffset);
    if (i < 0) return;
    this.cutAt(i, logical - files[i]!.fileFromOffset);
    const lastFile = files[files.length - 1];
    this.writePos = lastFile ? lastFile.fileFromOffset + lastFile.wrotePosition : 0;
    if (files.length === 0) this.minLogicOffset = 0;
    this.maxPhysicOffset = this.lastEntryEndBefore(this.writePos);
    this.window = null;
  }

  private lastEntryEnd(f: DataFile): number {
    const b = f.read(f.fileSize - CQ_STORE_UNIT_SIZE, CQ_STORE_UNIT_SIZE);
    return readInt64(b, 0) + b.readInt32BE(8);
  }

  get maxOffsetInQueue(): number {
    return (this.writePos + this.pendingLen) / CQ_STORE_UNIT_SIZE;
  }

  get minOffsetInQueue(): number {
    return this.minLogicOffset / CQ_STORE_UNIT_SIZE;
  }

  /**
   * Add one entry for logical offset `cqOffset` (ConsumeQueue.putMessagePositionInfo). Entries already
   * present (a re-dispatch during recovery) are skipped; returns false when skipped.
   */
  put(phyOffset: number, size: number, tagsCode: number, cqOffset: number): boolean {
    if (phyOffset + size <= this.maxPhysicOffset) return false;
    const expect = cqOffset * CQ_STORE_UNIT_SIZE;
    const cur = this.writePos + this.pendingLen;
    if (expect < cur) return false;
    if (expect > cur) {
      if (cur === 0 && this.queue.files.length === 0) {
        // First entry of a queue that starts past 0 (topic re-created, slave, deleted files): pre-blank.
        this.startAt(expect);
      } else {
        // Records of the offsets in between are lost (damaged in the commit log): blank units keep every
        // later entry at its own queue offset.
        const gap = (expect - cur) / CQ_STORE_UNIT_SIZE;
        if (gap > MAX_GAP_ENTRIES) return false;
        for (let i = 0; i < gap; i++) this.appendEntry(0, BLANK_UNIT_SIZE, 0);
        this.blanksFilled += gap;
      }
    }
    this.appendEntry(phyOffset, size, tagsCode);
    this.maxPhysicOffset = phyOffset + size;
    return true;
  }
  /** Blank units put in for lost records (recovery reports them). */
  blanksFilled = 0;

  private appendEntry(phyOffset: number, size: number, tagsCode: number): void {
    if (this.pendingLen + CQ_STORE_UNIT_SIZE > this.pending.length) {
      // A new buffer: a write in flight keeps reading the old one.
      const n = Buffer.allocUnsafe(this.pending.length * 2);
      this.pending.copy(n, 0, 0, this.pendingLen);
      this.pending = n;
      this.pendingView = dataViewOf(n);
    }
    const p = this.pendingLen;
    const v = this.pendingView;
    setInt64(v, p, phyOffset);
    v.setInt32(p + 8, size);
    setInt64(v, p + 12, tagsCode);
    this.pendingLen += CQ_STORE_UNIT_SIZE;
  }

  private startAt(expect: number): void {
    const fileStart = expect - (expect % this.fileSize);
    const f = this.queue.create(fileStart);
    const blanks = (expect - fileStart) / CQ_STORE_UNIT_SIZE;
    if (blanks > 0) {
      const b = Buffer.alloc(blanks * CQ_STORE_UNIT_SIZE);
      for (let i = 0; i < blanks; i++) b.writeInt32BE(BLANK_UNIT_SIZE, i * CQ_STORE_UNIT_SIZE + 8);
      f.writeSync(b, 0, b.length, 0);
    }
    f.wrotePosition = expect - fileStart;
    this.writePos = expect;
    this.minLogicOffset = expect;
  }

  /** Bytes of entries not yet handed to the kernel. */
  get pendingBytes(): number {
    return this.pendingLen;
  }

  /**
   * Hand buffered entries to the kernel (async pwrite, one file at a time). Entries stay readable from
   * memory until their write completes; resolves when everything buffered at call time is written.
   * Only what is buffered when a write starts goes out: entries keep arriving during a write, and
   * chasing them turned one 64 KiB write into a stream of 160-byte pwrites (one per dispatch round).
   * Callers arriving during a write share one follow-up write.
   */
  writePending(): Promise<void> {
    if (this.writing) {
      this.again ??= this.writing.then(() => {
        this.again = null;
        return this.writePending();
      });
      return this.again;
    }
    if (this.pendingLen === 0) return Promise.resolve();
    this.writing = (async () => {
      try {
        let left = this.pendingLen;
        while (left > 0) {
          const logical = this.writePos;
          let f = this.queue.last;
          if (!f || logical >= f.fileEndOffset) f = this.queue.create(logical - (logical % this.fileSize));
          const pos = logical - f.fileFromOffset;
          const n = Math.min(left, f.fileSize - pos);
          // Appends during the write go past `n` (or into a new buffer): the bytes in flight never move.
          await writeFullyAsync(f.fd, this.pending, 0, n, pos);
          f.wrotePosition = pos + n;
          this.pending.copy(this.pending, 0, n, this.pendingLen);
          this.pendingLen -= n;
          this.writePos += n;
          this.dirty = true;
          left -= n;
        }
      } finally {
        this.writing = null;
      }
    })();
    return this.writing;
  }
  private writing: Promise<void> | null = null;
  private again: Promise<void> | null = null;

  /** A write is in flight (the dispatcher then leaves new entries to the next one). */
  get isWriting(): boolean {
    return this.writing !== null;
  }

  /** Raw entries from logical offset `index` to the end of its file's written part, or of memory (≤ maxCount). */
  readEntries(index: number, maxCount: number): Buffer | null {
    const logical = index * CQ_STORE_UNIT_SIZE;
    if (logical < this.minLogicOffset || logical >= this.writePos + this.pendingLen) return null;
    if (logical >= this.writePos) {
      const from = logical - this.writePos;
      const n = Math.min(this.pendingLen - from, maxCount * CQ_STORE_UNIT_SIZE);
      return Buffer.from(this.pending.subarray(from, from + n));
    }
    const f = this.queue.findByOffset(logical);
    if (!f) return null;
    const pos = logical - f.fileFromOffset;
    const want = maxCount * CQ_STORE_UNIT_SIZE;
    const n = Math.min(f.wrotePosition - pos, want);
    if (n <= 0) return null;
    const onDisk = f.read(pos, n);
    // Reading up to the written end of the last file: the entries still in memory follow on, so one read
    // (one pull) is not cut short where the background write happens to stand.
    if (
      onDisk.length === n &&
      n < want &&
      this.pendingLen > 0 &&
      f.fileFromOffset + f.wrotePosition === this.writePos
    ) {
      return Buffer.concat([onDisk, this.pending.subarray(0, Math.min(this.pendingLen, want - n))]);
    }
    return onDisk;
  }

  /** One entry, or null. */
  getEntry(index: number): { phyOffset: number; size: number; tagsCode: number } | null {
    const b = this.readEntries(index, 1);
    if (!b || b.length < CQ_STORE_UNIT_SIZE) return null;
    return { phyOffset: readInt64(b, 0), size: b.readInt32BE(8), tagsCode: readInt64(b, 12) };
  }

  /** First logical index of the file after the one holding `index` (Java rollNextFile). */
  rollNextFile(index: number): number {
    const perFile = this.fileSize / CQ_STORE_UNIT_SIZE;
    return index + perFile - (index % perFile);
  }

  /** Drop entries whose record starts at or beyond `phyOffset` (truncateDirtyLogicFiles). */
  truncateDirty(phyOffset: number): void {
    const files = this.queue.files;
    for (let i = files.length - 1; i >= 0; i--) {
      const f = files[i]!;
      const data = readWhole(f, f.wrotePosition);
      const dv = new DataView(data.buffer, data.byteOffset, data.length);
      let pos = 0;
      let lastEnd = -1;
      for (; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
        const hi = dv.getInt32(pos);
        // load() checked every entry: no offset here is beyond 2^53.
        const off = hi * 4294967296 + dv.getUint32(pos + 4);
        const size = dv.getInt32(pos + 8);
        if (size === BLANK_UNIT_SIZE) continue;
        if (off >= phyOffset) break;
        lastEnd = off + size;
      }
      if (pos === 0 && i > 0) {
        this.queue.remove(f);
        continue;
      }
      if (pos < f.wrotePosition) f.zeroRange(pos, f.wrotePosition);
      f.wrotePosition = pos;
      this.writePos = f.fileFromOffset + pos;
      this.maxPhysicOffset = lastEnd >= 0 ? lastEnd : i > 0 ? this.lastEntryEnd(files[i - 1]!) : -1;
      break;
    }
    if (files.length === 0) {
      this.writePos = this.minLogicOffset = 0;
      this.maxPhysicOffset = -1;
    }
  }

  /** Set minLogicOffset to the first entry pointing at or after the commit log's min offset. */
  correctMinOffset(minPhyOffset: number): void {
    const f = this.queue.first;
    if (!f) return;
    // In slices from the start: the first entry usually qualifies.
    const step = 4096 * CQ_STORE_UNIT_SIZE;
    for (let from = 0; from < f.wrotePosition; from += step) {
      const data = f.read(from, Math.min(step, f.wrotePosition - from));
      for (let pos = 0; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
        const off = readInt64(data, pos);
        const size = data.readInt32BE(pos + 8);
        if (size !== BLANK_UNIT_SIZE && off >= minPhyOffset) {
          this.minLogicOffset = Math.max(this.minLogicOffset, f.fileFromOffset + from + pos);
          return;
        }
      }
      if (data.length < step) break;
    }
    // Every entry of the first file is below the min offset: the queue starts after it.
    this.minLogicOffset = Math.max(this.minLogicOffset, f.fileFromOffset + f.wrotePosition);
  }

  /** Delete files (never the last) whose entries all point below `minPhyOffset`. Returns how many. */
  deleteExpiredFiles(minPhyOffset: number): number {
    let n = 0;
    while (this.queue.files.length > 1) {
      const f = this.queue.files[0]!;
      if (this.lastEntryEnd(f) > minPhyOffset) break;
      this.queue.remove(f);
      n++;
    }
    this.correctMinOffset(minPhyOffset);
    return n;
  }

  async flush(): Promise<void> {
    await this.writePending();
    if (!this.dirty) return;
    this.dirty = false;
    for (const f of this.queue.files) {
      if (f.flushedPosition < f.wrotePosition && !f.closed) {
        const target = f.wrotePosition;
        await fdatasyncAsync(f.fd);
        f.flushedPosition = target;
      }
    }
  }

  close(): void {
    this.queue.close();
  }

  destroy(): void {
    this.queue.destroyAll();
  }
}

const ZEROS = Buffer.alloc(64 * 1024);

/**
 * Bytes [0, len) of a queue file in a scratch buffer kept between calls (valid until the next call) and
 * dropped when recovery ends: a start reads every queue file whole, and a fresh 6 MB buffer per file
 * costs more in page faults than the read itself.
 */
function readWhole(f: DataFile, len: number): Buffer {
  if (scratch.length < len) scratch = Buffer.allocUnsafeSlow(len);
  return scratch.subarray(0, f.readInto(scratch, 0, len, 0));
}
let scratch: Buffer = Buffer.alloc(0);

/** Drop the scratch buffer of load and truncateDirty (a start is over: a file's size would stay in memory). */
export function releaseLoadScratch(): void {
  scratch = Buffer.alloc(0);
}

function isZero(b: Buffer, from: number): boolean {
  for (let i = from; i < b.length; i += ZEROS.length) {
    const n = Math.min(ZEROS.length, b.length - i);
    if (!b.subarray(i, i + n).equals(ZEROS.subarray(0, n))) return false;
  }
  return true;
}

/**
 * What is wrong with the entry at b[pos], or undefined: an offset beyond 2^53 or negative, a size no
 * record has, a tags code beyond 2^53, or a record starting before the previous one's end (entries of
 * one queue point forward in the commit log). A blank unit is Java's fillPreBlank (0, 2^31-1, 0).
 */
function entryProblem(
  b: Buffer,
  pos: number,
  prevEnd: number,
  opts: ConsumeQueueLoadOptions,
  seenEntry: boolean,
): string | undefined {
  const off = readInt64(b, pos);
  const size = b.readInt32BE(pos + 8);
  const tags = readInt64(b, pos + 12);
  if (size === BLANK_UNIT_SIZE) {
    if (off === 0 && tags === 0) return undefined;
    return 'blank unit with data';
  }
  if (!(off >= 0)) return `commit-log offset ${Number.isNaN(off) ? 'beyond 2^53' : off}`;
  if (size < MIN_RECORD_SIZE || size > opts.maxEntrySize) return `size ${size}`;
  if (Number.isNaN(tags)) return 'tags code beyond 2^53';
  if (seenEntry && off < prevEnd) return `offset ${off} before the previous record's end ${prevEnd}`;
  return undefined;
}
