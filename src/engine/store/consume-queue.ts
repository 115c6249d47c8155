import { join } from 'node:path';
import { readInt64, writeInt64 } from '../protocol/message/int64.js';
import { type DataFile, fdatasyncAsync, writeFullyAsync } from './data-file.js';
import { MappedFileQueue } from './mapped-file-queue.js';

/** 20-byte unit: commit-log offset int64, size int32, tags code int64 (§6.2). */
export const CQ_STORE_UNIT_SIZE = 20;
/** Java's fillPreBlank entry size: marks units before a queue's first real entry. */
const BLANK_UNIT_SIZE = 0x7fffffff;

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

  /** Open existing files and find the end of valid entries (Java ConsumeQueue.recover). */
  load(): void {
    this.queue.load();
    const files = this.queue.files;
    if (files.length === 0) return;
    // Files before the last are full; scan the last one (and step back over an empty last file).
    for (let i = files.length - 1; i >= 0; i--) {
      const f = files[i]!;
      const data = f.read(0, f.fileSize);
      let pos = 0;
      let lastEnd = -1;
      for (; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
        const off = readInt64(data, pos);
        const size = data.readInt32BE(pos + 8);
        if (off < 0 || size <= 0) break;
        if (size !== BLANK_UNIT_SIZE) lastEnd = off + size;
      }
      f.wrotePosition = f.flushedPosition = pos;
      if (pos > 0 || i === 0) {
        this.writePos = f.fileFromOffset + pos;
        if (lastEnd >= 0) this.maxPhysicOffset = lastEnd;
        else if (i > 0) this.maxPhysicOffset = this.lastEntryEnd(files[i - 1]!);
        // Later (empty) files would confuse the roll logic.
        for (const g of files.slice(i + 1)) this.queue.remove(g);
        break;
      }
    }
    this.minLogicOffset = files[0]?.fileFromOffset ?? 0;
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
    if (expect > cur && cur === 0 && this.queue.files.length === 0) {
      // First entry of a queue that starts past 0 (topic re-created, slave, deleted files): pre-blank.
      this.startAt(expect);
    }
    if (this.pendingLen + CQ_STORE_UNIT_SIZE > this.pending.length) {
      // A new buffer: a write in flight keeps reading the old one.
      const n = Buffer.allocUnsafe(this.pending.length * 2);
      this.pending.copy(n, 0, 0, this.pendingLen);
      this.pending = n;
    }
    const p = this.pendingLen;
    writeInt64(this.pending, phyOffset, p);
    this.pending.writeInt32BE(size, p + 8);
    writeInt64(this.pending, tagsCode, p + 12);
    this.pendingLen += CQ_STORE_UNIT_SIZE;
    this.maxPhysicOffset = phyOffset + size;
    return true;
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
      const data = f.read(0, f.wrotePosition);
      let pos = 0;
      let lastEnd = -1;
      for (; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
        const off = readInt64(data, pos);
        const size = data.readInt32BE(pos + 8);
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
    const data = f.read(0, f.wrotePosition);
    for (let pos = 0; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
      const off = readInt64(data, pos);
      const size = data.readInt32BE(pos + 8);
      if (size !== BLANK_UNIT_SIZE && off >= minPhyOffset) {
        this.minLogicOffset = Math.max(this.minLogicOffset, f.fileFromOffset + pos);
        return;
      }
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
