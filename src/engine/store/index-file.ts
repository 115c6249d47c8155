import * as fs from 'node:fs';
import { join } from 'node:path';
import { dataViewOf, readInt64, readInt64OrNaN, setInt64, writeInt64 } from '../protocol/message/int64.js';
import { indexKeyHash } from '../protocol/message/java-hash.js';
import { createFullSize, fdatasyncAsync } from './data-file.js';
import { SlotTable } from './slot-table.js';

/** §6.3: 40-byte header, hashSlotNum int32 slots, maxIndexNum 20-byte entries. */
export const INDEX_HEADER_SIZE = 40;
const HASH_SLOT_SIZE = 4;
const INDEX_SIZE = 20;
/** Slots per read-modify-write slice of the slot table (1 MB). */
const CHUNK_SLOTS = 1 << 18;
/** Up to this many dirty slots are written one by one; more go by slices. */
const SLOT_WRITES_MAX = 512;

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
 * One index file. Java maps the whole file; we keep only what changed: the slot table stays in the file
 * (page cache, not heap: 20 MB at the default 5M slots), slot values set since the last flush wait in a map
 * bounded by `maxDirtySlots`, and a writable file keeps one bit per slot so an empty slot (most of them)
 * needs no read. Entries are appended with one write per dispatch batch; dirty slots and the header go out
 * on flush. Closed (full) files are read with pread on query.
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
  /** Slot values not yet written to the file, by slot number. */
  private dirtySlots = new SlotTable();
  /** One bit per slot holding a value, for a writable file (null when read-only). */
  private occupied: Uint8Array | null = null;
  private readonly slotBuf = Buffer.alloc(HASH_SLOT_SIZE);
  private entries: Buffer = Buffer.allocUnsafe(INDEX_SIZE * 256);
  private entriesView = dataViewOf(this.entries);
  private entriesLen = 0;
  private entriesStart = 1;
  private headerDirty = false;
  flushedIndexCount = 1;

  constructor(
    readonly path: string,
    readonly hashSlotNum: number,
    readonly indexNum: number,
    create: boolean,
    /** Dirty slots held before they are written to the file without waiting for a flush. */
    readonly maxDirtySlots = 1 << 16,
    lastEndPhyOffset = 0,
    lastEndTimestamp = 0,
  ) {
    this.fileSize = INDEX_HEADER_SIZE + hashSlotNum * HASH_SLOT_SIZE + indexNum * INDEX_SIZE;
    if (create) {
      this.fd = createFullSize(path, this.fileSize);
      this.beginPhyOffset = this.endPhyOffset = lastEndPhyOffset;
      this.beginTimestamp = this.endTimestamp = lastEndTimestamp;
      this.occupied = new Uint8Array(Math.ceil(hashSlotNum / 8));
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

  /** Read which slots hold a value (in 1 MB slices) so the file can take more keys. */
  makeWritable(): void {
    if (this.occupied) return;
    const occupied = new Uint8Array(Math.ceil(this.hashSlotNum / 8));
    // Not from the shared pool: the Uint32Array view below needs a 4-byte aligned offset.
    const chunk = Buffer.allocUnsafeSlow(CHUNK_SLOTS * HASH_SLOT_SIZE);
    for (let first = 0; first < this.hashSlotNum; first += CHUNK_SLOTS) {
      const n = Math.min(CHUNK_SLOTS, this.hashSlotNum - first);
      readFully(this.fd, chunk, n * HASH_SLOT_SIZE, INDEX_HEADER_SIZE + first * HASH_SLOT_SIZE);
      // Zero or not reads the same in either byte order: a native view tests 5M slots in a few ms.
      const words = new Uint32Array(chunk.buffer, chunk.byteOffset, n);
      for (let i = 0; i < n; i++) if (words[i] !== 0) occupied[(first + i) >> 3]! |= 1 << ((first + i) & 7);
    }
    this.occupied = occupied;
  }

  /**
   * A slot's value: 0 when known empty (a set slot is marked occupied, so most keys of a fresh file end
   * on this one bit), else pending in memory, else read from the file.
   */
  private readSlot(slotPos: number): number {
    if (this.occupied && (this.occupied[slotPos >> 3]! & (1 << (slotPos & 7))) === 0) return 0;
    const v = this.dirtySlots.get(slotPos);
    if (v !== -1) return v;
    readFully(this.fd, this.slotBuf, HASH_SLOT_SIZE, INDEX_HEADER_SIZE + slotPos * HASH_SLOT_SIZE);
    return this.slotBuf.readInt32BE(0);
  }

  /** IndexFile.putKey, given the key's indexKeyHash; false when the file is full. */
  putKey(keyHash: number, phyOffset: number, storeTimestamp: number): boolean {
    if (this.indexCount >= this.indexNum || !this.occupied) return false;
    const slotPos = keyHash % this.hashSlotNum;
    let slotValue = this.readSlot(slotPos);
    if (slotValue <= 0 || slotValue > this.indexCount) slotValue = 0;
    let timeDiff = this.beginTimestamp <= 0 ? 0 : Math.floor((storeTimestamp - this.beginTimestamp) / 1000);
    if (timeDiff > 0x7fffffff) timeDiff = 0x7fffffff;
    else if (timeDiff < 0) timeDiff = 0;
    if (this.entriesLen + INDEX_SIZE > this.entries.length) {
      const n = Buffer.allocUnsafe(this.entries.length * 2);
      this.entries.copy(n, 0, 0, this.entriesLen);
      this.entries = n;
      this.entriesView = dataViewOf(n);
    }
    const p = this.entriesLen;
    const v = this.entriesView;
    v.setInt32(p, keyHash);
    setInt64(v, p + 4, phyOffset);
    v.setInt32(p + 12, timeDiff);
    v.setInt32(p + 16, slotValue);
    this.entriesLen += INDEX_SIZE;
    this.dirtySlots.set(slotPos, this.indexCount);
    this.occupied[slotPos >> 3]! |= 1 << (slotPos & 7);
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
    // Past the bound, slots go to the page cache now, after the entries they point to.
    if (this.dirtySlots.size > this.maxDirtySlots) {
      // On a throw they stay dirty, written whole next time.
      this.writeSlotsSync(this.dirtySlots);
      this.dirtySlots.clear();
    }
  }

  /**
   * Write slot values into the file: one 4-byte write each when few, else read-modify-write of the 1 MB
   * slices holding them (bucketed by slice in two counting passes: no sort, no lookups).
   */
  private writeSlotsSync(table: SlotTable): void {
    const { slots, values } = table.entries();
    if (slots.length <= SLOT_WRITES_MAX) {
      for (let i = 0; i < slots.length; i++) {
        this.slotBuf.writeInt32BE(values[i]!, 0);
        writeFully(this.fd, this.slotBuf, HASH_SLOT_SIZE, INDEX_HEADER_SIZE + slots[i]! * HASH_SLOT_SIZE);
      }
      return;
    }
    const slices = Math.ceil(this.hashSlotNum / CHUNK_SLOTS);
    const start = new Int32Array(slices + 1);
    for (let i = 0; i < slots.length; i++) start[Math.floor(slots[i]! / CHUNK_SLOTS) + 1]!++;
    for (let s = 0; s < slices; s++) start[s + 1]! += start[s]!;
    const fill = start.slice(0, slices);
    const order = new Int32Array(slots.length);
    for (let i = 0; i < slots.length; i++) order[fill[Math.floor(slots[i]! / CHUNK_SLOTS)]!++] = i;
    const chunk = Buffer.allocUnsafeSlow(CHUNK_SLOTS * HASH_SLOT_SIZE);
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let s = 0; s < slices; s++) {
      if (start[s] === start[s + 1]) continue;
      const first = s * CHUNK_SLOTS;
      const n = Math.min(CHUNK_SLOTS, this.hashSlotNum - first);
      const at = INDEX_HEADER_SIZE + first * HASH_SLOT_SIZE;
      readFully(this.fd, chunk, n * HASH_SLOT_SIZE, at);
      for (let k = start[s]!; k < start[s + 1]!; k++) {
        const i = order[k]!;
        view.setInt32((slots[i]! - first) * HASH_SLOT_SIZE, values[i]!);
      }
      writeFully(this.fd, chunk, n * HASH_SLOT_SIZE, at);
    }
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
   * Persist header, entries and dirty slots, then fdatasync. The header goes first so that a crash
   * mid-flush leaves endTimestamp past the checkpoint, which makes recovery rebuild this file. Slots are
   * written synchronously: nothing else can change them meanwhile.
   */
  async flush(): Promise<void> {
    if (!this.headerDirty && this.dirtySlots.size === 0 && this.entriesLen === 0) return;
    this.headerDirty = false;
    const count = this.indexCount;
    const slots = this.dirtySlots;
    this.dirtySlots = new SlotTable(slots.size);
    try {
      fs.writeSync(this.fd, this.headerBuffer(), 0, INDEX_HEADER_SIZE, 0);
      this.writeEntries();
      this.writeSlotsSync(slots);
      await fdatasyncAsync(this.fd);
    } catch (e) {
      // A full disk: keep everything dirty so the next flush writes it (entries stay buffered on their own).
      this.headerDirty = true;
      const old = slots.entries();
      for (let i = 0; i < old.slots.length; i++)
        if (!this.dirtySlots.has(old.slots[i]!)) this.dirtySlots.set(old.slots[i]!, old.values[i]!);
      throw e;
    }
    this.flushedIndexCount = count;
  }

  /** Forget which slots are empty (after the final flush of a full file): queries read the file. */
  makeReadOnly(): void {
    this.occupied = null;
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
    const slotValue = this.readSlot(keyHash % this.hashSlotNum);
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

function readFully(fd: number, buf: Buffer, len: number, pos: number): void {
  for (let done = 0; done < len; ) {
    const n = fs.readSync(fd, buf, done, len - done, pos + done);
    if (n === 0) throw new Error(`index file ends before ${pos + len}`);
    done += n;
  }
}

function writeFully(fd: number, buf: Buffer, len: number, pos: number): void {
  for (let done = 0; done < len; ) done += fs.writeSync(fd, buf, done, len - done, pos + done);
}

export function indexFilePath(dir: string, ms: number): string {
  return join(dir, indexFileName(ms));
}
