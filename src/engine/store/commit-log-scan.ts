import { MESSAGE_MAGIC_CODE } from '../protocol/message/record.js';
import type { DataFile } from './data-file.js';
import type { MappedFileQueue } from './mapped-file-queue.js';
import { checkRecord, inspectRecord, MIN_RECORD_SIZE, RecordView } from './record-check.js';

/** Bytes of the commit log recovery stepped over because they hold no valid record. */
export interface SkippedRange {
  file: string;
  /** Commit-log offsets [from, to). */
  from: number;
  to: number;
  reason: string;
}

export interface ScanOptions {
  from: number;
  /** Stop before this offset (exclusive). */
  limit: number;
  checkCRC: boolean;
  levels: number[];
  /** Ranges an earlier scan found damaged (sorted): jumped over without looking at them again. */
  known?: readonly SkippedRange[];
}

export interface ScanResult {
  /** Offset after the last valid record: the end of written data. */
  end: number;
  /** Damaged ranges stepped over (a record or more), in log order. */
  skipped: SkippedRange[];
  /** Why the last file's data ended where it did, when it was not clean zeros (a torn or garbage tail). */
  cutReason?: string;
}

/** 1 MiB per pread: the bytes are still in the CPU cache (L2 here) when the records are checked. */
const WINDOW = 1 << 20;
/** How far past a zero TOTALSIZE in the last file we look for data (a zeroed sector hiding records). */
const ZERO_LOOKAHEAD = 1 << 20;
const ZEROS = Buffer.alloc(ZERO_LOOKAHEAD);
const MAGIC = Buffer.alloc(4);
MAGIC.writeInt32BE(MESSAGE_MAGIC_CODE);

/**
 * Walk commit-log records from `from` (a record boundary), calling `visit` for each valid message.
 *
 * Unlike a plain walk, a bad record (magic, lengths, offset or CRC fail: a torn write, a flipped sector)
 * does not end the log: the scan looks forward for the next valid record (magic code, sane size, its own
 * PHYSICALOFFSET equal to where it lies, body CRC, and a queue offset after the last one seen for its
 * queue), reports the bytes in between as skipped and goes on. Where nothing valid follows in the last
 * file, that is the end of written data (a torn tail, cut by the caller). A zero TOTALSIZE in the last
 * file is the end when the next MiB is zeros as well; in an earlier file (which must end with a blank
 * marker) the rest of the file is skipped. Reading is windowed: 1 MiB per pread.
 */
export function scanCommitLog(
  queue: MappedFileQueue,
  opts: ScanOptions,
  visit: (offset: number, r: RecordView) => void,
): ScanResult {
  const skipped: SkippedRange[] = [];
  const known = opts.known ?? [];
  let ki = 0;
  const lastQo: LastQueueOffsets = new Map();
  let qoTopic: string | undefined;
  let qoMap: Map<number, number> | undefined;
  let offset = opts.from;
  const win = new FileWindow(opts.limit);
  const v = new RecordView();
  for (;;) {
    const f = queue.findByOffset(offset);
    if (!f || offset >= opts.limit) return { end: offset, skipped };
    const isLast = f === queue.files[queue.files.length - 1];
    win.open(f);
    let pos = offset - f.fileFromOffset;
    let nextFile = false;
    while (pos < f.fileSize) {
      const abs = f.fileFromOffset + pos;
      if (abs >= opts.limit) return { end: abs, skipped };
      while (ki < known.length && known[ki]!.to <= abs) ki++;
      const k = known[ki];
      if (k && k.from <= abs) {
        pos = k.to - f.fileFromOffset;
        continue;
      }
      const kind = win.check(pos, opts.checkCRC, v);
      if (kind === 'message') {
        // Records of one topic come in runs: its map is looked up once per run.
        if (v.topic !== qoTopic) {
          qoTopic = v.topic;
          qoMap = lastQo.get(qoTopic);
          if (!qoMap) lastQo.set(qoTopic, (qoMap = new Map()));
        }
        qoMap!.set(v.queueId, v.queueOffset);
        visit(abs, v);
        pos += v.size;
        continue;
      }
      if (kind === 'blank') {
        nextFile = true;
        break;
      }
      if (kind === 'end' && isLast && win.zerosFrom(pos, ZERO_LOOKAHEAD)) return { end: abs, skipped };
      // A record the limit cuts (an HA slave's last chunk ends mid-record) is incomplete, not damaged.
      if (kind === 'bad' && win.crossesLimit(pos)) return { end: abs, skipped };
      const reason = kind === 'end' ? 'zero record size' : v.reason;
      const next = findNextRecord(f, pos + 1, opts.levels, lastQo, opts.limit);
      if (next >= 0) {
        skipped.push({ file: f.path, from: abs, to: f.fileFromOffset + next, reason });
        pos = next;
        continue;
      }
      if (isLast) return { end: abs, skipped, cutReason: reason };
      skipped.push({ file: f.path, from: abs, to: f.fileEndOffset, reason });
      nextFile = true;
      break;
    }
    if (!nextFile && pos < f.fileSize) return { end: f.fileFromOffset + pos, skipped };
    offset = f.fileEndOffset;
    if (!queue.findByOffset(offset)) return { end: offset, skipped };
  }
}

/** Last queue offset seen per topic and queue id (nested: no key string per record). */
type LastQueueOffsets = Map<string, Map<number, number>>;

/**
 * File position of the first valid message record at or after `start` in `f`, or -1. A candidate must
 * carry the magic code, a size that fits, its own position as PHYSICALOFFSET and a matching body CRC;
 * one whose queue offset is not past the last seen for its queue is stale data, not the next record.
 */
export function findNextRecord(
  f: DataFile,
  start: number,
  levels: number[],
  lastQo: LastQueueOffsets,
  limit = Number.MAX_SAFE_INTEGER,
): number {
  const step = WINDOW - 64;
  const stop = Math.min(f.fileSize, limit - f.fileFromOffset);
  for (let base = Math.max(0, start); base < stop; base += step) {
    const buf = f.read(base, Math.min(WINDOW, stop - base));
    for (let h = buf.indexOf(MAGIC, 4); h >= 0; h = buf.indexOf(MAGIC, h + 1)) {
      const c = h - 4;
      if (base + c < start) continue;
      if (c + 36 > buf.length) break;
      const size = buf.readInt32BE(c);
      if (size < MIN_RECORD_SIZE || base + c + size > stop) continue;
      const phy = f.fileFromOffset + base + c;
      if (buf.readInt32BE(c + 28) * 4294967296 + buf.readUInt32BE(c + 32) !== phy) continue;
      const rec = c + size <= buf.length ? buf.subarray(c, c + size) : f.read(base + c, size);
      const r = checkRecord(rec, 0, rec.length, phy, true, levels);
      if (r.kind !== 'message') continue;
      const seen = lastQo.get(r.req.topic)?.get(r.req.queueId);
      if (seen !== undefined && r.req.consumeQueueOffset <= seen) continue;
      return base + c;
    }
  }
  return -1;
}

/**
 * A read window over the files of a scan: one pread per WINDOW bytes into a buffer reused for the whole
 * scan (a 1 GiB walk allocates no 4 MiB buffer per window, and the garbage collector has nothing to do).
 */
class FileWindow {
  private f!: DataFile;
  private store: Buffer = Buffer.alloc(0);
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;

  constructor(private readonly limit: number) {}

  /** Move to another file (its data is read on the first check). */
  open(f: DataFile): void {
    this.f = f;
    this.buf = this.store.subarray(0, 0);
    this.start = 0;
  }

  /** Bytes of the file from `pos` that the scan may look at. */
  private avail(pos: number): number {
    return Math.min(this.f.fileSize - pos, this.limit - (this.f.fileFromOffset + pos));
  }

  private ensure(pos: number, len: number): void {
    if (pos >= this.start && pos + len <= this.start + this.buf.length) return;
    // No further than the limit needs: an HA slave scans each 32 KiB chunk it appends.
    const want = Math.min(this.f.fileSize - pos, Math.max(len, Math.min(WINDOW, this.avail(pos))));
    if (this.store.length < want)
      this.store = Buffer.allocUnsafeSlow(Math.max(want, Math.min(WINDOW, 2 * this.store.length)));
    const n = this.f.readInto(this.store, 0, want, pos);
    this.buf = this.store.subarray(0, n);
    this.start = pos;
  }

  /** Whether the record at `pos` (as far as its header tells) runs past the scan's limit. */
  crossesLimit(pos: number): boolean {
    const avail = this.avail(pos);
    if (avail < 8) return true;
    this.ensure(pos, 8);
    const at = pos - this.start;
    const size = this.buf.readInt32BE(at);
    return (
      this.buf.readInt32BE(at + 4) === MESSAGE_MAGIC_CODE && size > avail && pos + size <= this.f.fileSize
    );
  }

  check(pos: number, checkCRC: boolean, v: RecordView): ReturnType<typeof inspectRecord> {
    this.ensure(pos, 8);
    let at = pos - this.start;
    if (at + 8 <= this.buf.length) {
      const size = this.buf.readInt32BE(at);
      if (size > 8 && size <= this.avail(pos)) {
        this.ensure(pos, size);
        at = pos - this.start;
      }
    }
    const avail = Math.min(this.buf.length - at, this.avail(pos));
    return inspectRecord(this.buf, at, avail, this.f.fileFromOffset + pos, checkCRC, v);
  }

  /** Whether the next `len` bytes from `pos` (within the file) are all zero. */
  zerosFrom(pos: number, len: number): boolean {
    const n = Math.min(len, this.f.fileSize - pos);
    const b = this.f.read(pos, n);
    return b.equals(ZEROS.subarray(0, b.length));
  }
}
