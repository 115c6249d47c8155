import * as fs from 'node:fs';
import { join } from 'node:path';
import { readInt64, readInt64OrNaN, writeInt64 } from '../protocol/message/int64.js';
import { indexKeyHash } from '../protocol/message/java-hash.js';
import { createFullSize, fdatasyncAsync, writeFullyAsync } from './data-file.js';

/** §6.3: 40-byte header, hashSlotNum int32 slots, maxIndexNum 20-byte entries. */
export const INDEX_HEADER_SIZE = 40;
const HASH_SLOT_SIZE = 4;
const INDEX_SIZE = 20;
const PAGE = 4096;

/** yyyyMMddHHmmssSSS in local time (UtilAll.timeMillisToHumanString). */
export function indexFileName(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}` +
    `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}${p(d.getMilliseconds(), 3)}`
  );
}

/**
 * One index file. The writable file keeps its slot table in memory (Java maps the whole file): entries
 * are appended with one write per dispatch batch, dirty 4 KiB slot pages and the header go out on flush.
 * Closed (full) files are read with pread on query.
 */
export class IndexFile {
  readonly fd: number;
  readonly fileSize: number;
  beginTimestamp = 0;
  endTimestamp = 0;
  beginPhyOffset = 0;
  endPhyOffset = 0;
  hashSlotCount = 0;
  indexCount = 1;
  /** Slot table of a writable file (null once full/read-only). */
  private slots: Buffer | null = null;
  private dirtyPages = new Set<number>();
  private entries: Buffer = Buffer.allocUnsafe(INDEX_SIZE * 256);
  private entriesLen = 0;
  private entriesStart = 1;
  private headerDirty = false;
  flushedIndexCount = 1;

  constructor(
    readonly path: string,
    readonly hashSlotNum: number,
    readonly indexNum: number,
    create: boolean,
    lastEndPhyOffset = 0,
    lastEndTimestamp = 0,
  ) {
    this.fileSize = INDEX_HEADER_SIZE + hashSlotNum * HASH_SLOT_SIZE + indexNum * INDEX_SIZE;
    if (create) {
      this.fd = createFullSize(path, this.fileSize);
      this.beginPhyOffset = this.endPhyOffset = lastEndPhyOffset;
      this.beginTimestamp = this.endTimestamp = lastEndTimestamp;
      this.slots = Buffer.alloc(hashSlotNum * HASH_SLOT_SIZE);
      this.headerDirty = true;
    } else {
      this.fd = fs.openSync(path, 'r+');
      const size = fs.fstatSync(this.fd).size;
      if (size !== this.fileSize) {
        fs.closeSync(this.fd);
        throw new Error(`${path}: size ${size} differs from the configured index size ${this.fileSize}`);
      }
      const h = Buffer.alloc(INDEX_HEADER_SIZE);
      fs.readSync(this.fd, h, 0, INDEX_HEADER_SIZE, 0);
      // Untrusted: a value beyond 2^53 reads as NaN, and IndexService drops the file (see headerDamaged).
      this.beginTimestamp = readInt64OrNaN(h, 0);
      this.endTimestamp = readInt64OrNaN(h, 8);
      this.beginPhyOffset = readInt64OrNaN(h, 16);
      this.endPhyOffset = readInt64OrNaN(h, 24);
      this.hashSlotCount = h.readInt32BE(32);
      this.indexCount = Math.max(1, h.readInt32BE(36));
      this.flushedIndexCount = this.indexCount;
    }
    this.entriesStart = this.indexCount;
  }

  /** The header's values cannot be right (a damaged file): it must be dropped and rebuilt. */
  get headerDamaged(): boolean {
    const ok = (v: number) => v >= 0;
    return (
      !ok(this.beginTimestamp) ||
      !ok(this.endTimestamp) ||
      !ok(this.beginPhyOffset) ||
      !ok(this.endPhyOffset) ||
      this.endPhyOffset < this.beginPhyOffset ||
      this.indexCount > this.indexNum + 1 ||
      this.hashSlotCount < 0
    );
  }

  get isWriteFull(): boolean {
    return this.indexCount >= this.indexNum;
  }

  /** Load the slot table so the file can take more keys. */
  makeWritable(): void {
    if (this.slots) return;
    const s = Buffer.alloc(this.hashSlotNum * HASH_SLOT_SIZE);
    fs.readSync(this.fd, s, 0, s.length, INDEX_HEADER_SIZE);
    this.slots = s;
  }

  /** IndexFile.putKey, given the key's indexKeyHash; false when the file is full. */
  putKey(keyHash: number, phyOffset: number, storeTimestamp: number): boolean {
    if (this.indexCount >= this.indexNum || !this.slots) return false;
    const slotPos = keyHash % this.hashSlotNum;
    let slotValue = this.slots.readInt32BE(slotPos * HASH_SLOT_SIZE);
    if (slotValue <= 0 || slotValue > this.indexCount) slotValue = 0;
    let timeDiff = this.beginTimestamp <= 0 ? 0 : Math.floor((storeTimestamp - this.beginTimestamp) / 1000);
    if (timeDiff > 0x7fffffff) timeDiff = 0x7fffffff;
    else if (timeDiff < 0) timeDiff = 0;
    if (this.entriesLen + INDEX_SIZE > this.entries.length) {
      const n = Buffer.allocUnsafe(this.entries.length * 2);
      this.entries.copy(n, 0, 0, this.entriesLen);
      this.entries = n;
    }
    const p = this.entriesLen;
    this.entries.writeInt32BE(keyHash, p);
    writeInt64(this.entries, phyOffset, p + 4);
    this.entries.writeInt32BE(timeDiff, p + 12);
    this.entries.writeInt32BE(slotValue, p + 16);
    this.entriesLen += INDEX_SIZE;
    this.slots.writeInt32BE(this.indexCount, slotPos * HASH_SLOT_SIZE);
    this.dirtyPages.add(Math.floor((INDEX_HEADER_SIZE + slotPos * HASH_SLOT_SIZE) / PAGE));
    if (this.indexCount <= 1) {
      this.beginPhyOffset = phyOffset;
      this.beginTimestamp = storeTimestamp;
    }
    if (slotValue === 0) this.hashSlotCount++;
    this.indexCount++;
    this.endPhyOffset = phyOffset;
    this.endTimestamp = storeTimestamp;
    this.headerDirty = true;
    return true;
  }

  private get entriesBase(): number {
    return INDEX_HEADER_SIZE + this.hashSlotNum * HASH_SLOT_SIZE;
  }

  /** Write buffered entries (sequential, cheap): done after every dispatch batch. */
  writeEntries(): void {
    if (this.entriesLen === 0) return;
    // A short write (a filling disk) is followed by a throwing one: the entries stay buffered, rewritten whole.
    const pos = this.entriesBase + this.entriesStart * INDEX_SIZE;
    for (let done = 0; done < this.entriesLen; )
      done += fs.writeSync(this.fd, this.entries, done, this.entriesLen - done, pos + done);
    this.entriesStart += this.entriesLen / INDEX_SIZE;
    this.entriesLen = 0;
  }

  private headerBuffer(): Buffer {
    const h = Buffer.allocUnsafe(INDEX_HEADER_SIZE);
    writeInt64(h, this.beginTimestamp, 0);
    writeInt64(h, this.endTimestamp, 8);
    writeInt64(h, this.beginPhyOffset, 16);
    writeInt64(h, this.endPhyOffset, 24);
    h.writeInt32BE(this.hashSlotCount, 32);
    h.writeInt32BE(this.indexCount, 36);
    return h;
  }

  /**
   * Persist header, entries and dirty slot pages, then fdatasync. The header goes first so that a crash
   * mid-flush leaves endTimestamp past the checkpoint, which makes recovery rebuild this file.
   */
  async flush(): Promise<void> {
    if (!this.headerDirty && this.dirtyPages.size === 0 && this.entriesLen === 0) return;
    this.headerDirty = false;
    const count = this.indexCount;
    const pages = [...this.dirtyPages].sort((a, b) => a - b);
    this.dirtyPages.clear();
    try {
      await this.writeDirty(pages);
    } catch (e) {
      // A full disk: keep everything dirty so the next flush writes it (entries stay buffered on their own).
      this.headerDirty = true;
      for (const pg of pages) this.dirtyPages.add(pg);
      throw e;
    }
    this.flushedIndexCount = count;
  }

  private async writeDirty(pages: number[]): Promise<void> {
    fs.writeSync(this.fd, this.headerBuffer(), 0, INDEX_HEADER_SIZE, 0);
    this.writeEntries();
    if (this.slots) {
      const slotsEnd = INDEX_HEADER_SIZE + this.slots.length;
      if (pages.length > 64) {
        // Busy index: one sequential write of the whole slot table beats thousands of page writes.
        const copy = Buffer.from(this.slots);
        await writeFullyAsync(this.fd, copy, 0, copy.length, INDEX_HEADER_SIZE);
      } else {
        for (const pg of pages) {
          const from = Math.max(INDEX_HEADER_SIZE, pg * PAGE);
          const to = Math.min(slotsEnd, (pg + 1) * PAGE);
          fs.writeSync(this.fd, this.slots, from - INDEX_HEADER_SIZE, to - from, from);
        }
      }
    }
    await fdatasyncAsync(this.fd);
  }

  /** Drop the in-memory slot table (after the final flush of a full file). */
  makeReadOnly(): void {
    this.slots = null;
  }

  isTimeMatched(begin: number, end: number): boolean {
    return (
      (begin < this.beginTimestamp && end > this.endTimestamp) ||
      (begin >= this.beginTimestamp && begin <= this.endTimestamp) ||
      (end >= this.beginTimestamp && end <= this.endTimestamp)
    );
  }

  /** IndexFile.selectPhyOffset: walk the key's slot chain, newest first. */
  selectPhyOffsets(out: number[], key: string, maxNum: number, begin: number, end: number): void {
    this.writeEntries();
    const keyHash = indexKeyHash(key);
    const slotPos = keyHash % this.hashSlotNum;
    let slotValue: number;
    if (this.slots) slotValue = this.slots.readInt32BE(slotPos * HASH_SLOT_SIZE);
    else {
      const b = Buffer.alloc(4);
      fs.readSync(this.fd, b, 0, 4, INDEX_HEADER_SIZE + slotPos * HASH_SLOT_SIZE);
      slotValue = b.readInt32BE(0);
    }
    if (slotValue <= 0 || slotValue > this.indexCount || this.indexCount <= 1) return;
    const e = Buffer.alloc(INDEX_SIZE);
    for (let next = slotValue; ; ) {
      if (out.length >= maxNum) break;
      fs.readSync(this.fd, e, 0, INDEX_SIZE, this.entriesBase + next * INDEX_SIZE);
      const hashRead = e.readInt32BE(0);
      const phyOffsetRead = readInt64(e, 4);
      const timeRead = this.beginTimestamp + e.readInt32BE(12) * 1000;
      const prev = e.readInt32BE(16);
      if (hashRead === keyHash && timeRead >= begin && timeRead <= end) out.push(phyOffsetRead);
      if (prev <= 0 || prev > this.indexCount || prev === next || timeRead < begin) break;
      next = prev;
    }
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  destroy(): void {
    this.close();
    fs.rmSync(this.path, { force: true });
  }
}

export function indexFilePath(dir: string, ms: number): string {
  return join(dir, indexFileName(ms));
}
