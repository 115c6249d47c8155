import * as fs from 'node:fs';
import { BLANK_MAGIC_CODE, END_FILE_MIN_BLANK_LENGTH } from '../protocol/message/record.js';
import { type DataFile, fdatasyncAsync } from './data-file.js';
import { isNoSpaceError } from './disk-guard.js';
import { GroupCommitStats } from './group-commit-stats.js';
import { MappedFileQueue } from './mapped-file-queue.js';
import { checkRecord } from './record-check.js';
import type { DispatchRequest, PutMessageResult } from './types.js';

/**
 * The commit log: fixed-size files of §4.1 records, written without mmap.
 *
 * Write path. putMessage encodes records synchronously straight into an in-memory chunk (no copy) and
 * gets a physical offset at once. A tick scheduled with setImmediate (so every put of one event-loop
 * round shares it) writes everything appended since the previous tick with one pwritev per file,
 * synchronously, then dispatches those records in one call (consume queues, index); they are readable
 * from then on. A synchronous write of one round (~75 KB for 64 producers, a memcpy into the page cache)
 * costs less CPU than handing it to the thread pool, which measured ~15% more CPU per put.
 * ASYNC_FLUSH puts resolve once written: the bytes are in the page cache and survive a crash of the
 * process, as Java's mmap copy does. SYNC_FLUSH puts wait for an fdatasync that started after their
 * write (group commit, see flush()); fdatasync runs in the thread pool, so puts keep accumulating.
 *
 * Offsets are JS numbers (exact to 2^53 = 8 PiB); see protocol/message/int64.ts for the reasoning.
 */
const CHUNK_SIZE = 1 << 20;
/** Zero-ahead writes this much at a time (see zeroAhead). */
const ZERO_STEP = 1 << 20;

interface Waiter {
  endOffset: number;
  deadline: number;
  result: PutMessageResult;
  resolve: (r: PutMessageResult) => void;
  done: boolean;
}

/** Appended bytes of one file region, kept in memory until they are written. */
interface Chunk {
  file: DataFile;
  /** File position of buf[0]. */
  filePos: number;
  buf: Buffer;
  /** Bytes appended. */
  len: number;
  /** Bytes handed to a write. */
  issued: number;
  /** Logical end offset of the appended bytes (an END blank marker's chunk ends at its file's end). */
  endOffset: number;
  /** No more appends (full, or its file is full). */
  sealed: boolean;
}

export interface CommitLogHooks {
  /** Called once per tick with the records appended since the previous one, in commit-log order. */
  dispatch(reqs: DispatchRequest[]): void;
  /** A write or fdatasync failed: the store stops accepting writes. */
  onIoError(err: Error): void;
  /**
   * A write failed for lack of space (ENOSPC/EDQUOT): the unwritten records were rolled back (`reqs`,
   * `bytes`), their puts failed, and the log takes appends again from the written end.
   */
  onNoSpace(err: Error, reqs: DispatchRequest[], bytes: number): void;
}

export class CommitLog {
  readonly queue: MappedFileQueue;
  /** Next offset to hand out (includes bytes still in memory). */
  appendOffset = 0;
  /** Bytes whose write completed (in the kernel's page cache). */
  writtenOffset = 0;
  /** Bytes dispatched: the readable end (a tick writes synchronously before raising it, so it is written). */
  readableOffset = 0;
  /** Bytes covered by fdatasync. */
  flushedOffset = 0;
  lastWrittenStoreTimestamp = 0;
  lastFlushedStoreTimestamp = 0;
  /** Write calls (one pwritev per file per tick) and the bytes they wrote: the store's write size. */
  writeCalls = 0;
  writeBytes = 0;
  /** SYNC_FLUSH: puts answered per fdatasync, and its duration. */
  readonly groupCommit = new GroupCommitStats();
  /** Where the last allocate() reserved its bytes: buffer, position in it, physical offset. */
  allocBuf: Buffer = Buffer.alloc(0);
  allocPos = 0;
  allocOffset = 0;

  /** Chunks holding bytes not yet written, and the one taking appends, in log order. */
  private chunks: Chunk[] = [];
  private current: Chunk | null = null;
  /** Records appended since the last tick. */
  private pendingReqs: DispatchRequest[] = [];
  /**
   * Puts answered once written (ASYNC_FLUSH, and SYNC_FLUSH ones with WAIT=false), ordered by end offset:
   * parallel arrays, no object per put.
   */
  private writeEnds: number[] = [];
  private writeResults: PutMessageResult[] = [];
  private writeResolves: ((r: PutMessageResult) => void)[] = [];
  /** SYNC_FLUSH puts waiting for an fdatasync (ordered by end offset). */
  private flushWaiters: Waiter[] = [];
  private flushWaitersHead = 0;
  /** Store timestamp of the last record appended. */
  private appendStoreTimestamp = 0;
  /** End of the bytes handed to a write. */
  private failed: Error | null = null;
  private flushing: Promise<void> | null = null;
  private freeBuffers: Buffer[] = [];
  private writeIdle: (() => void)[] = [];
  private scheduled = false;
  /** SYNC_FLUSH: when the first put waiting for the next fdatasync came (0: none yet), when the last one ended. */
  private groupStart = 0;
  private lastSyncEnd = 0;
  /** SYNC_FLUSH: bytes of the current file kept zero-filled ahead of the write end (0: off). */
  private zeroAheadBytes: number;
  /** End of the zero-filled region ahead of the write end. */
  private zeroedTo = 0;
  private zeros: Buffer | null = null;

  constructor(
    dir: string,
    readonly fileSize: number,
    private readonly syncFlush: boolean,
    private readonly hooks: CommitLogHooks,
    zeroAheadBytes = 0,
  ) {
    this.queue = new MappedFileQueue(dir, fileSize);
    this.zeroAheadBytes = syncFlush ? Math.max(0, zeroAheadBytes) : 0;
  }

  get minOffset(): number {
    const f = this.queue.first;
    return f ? f.fileFromOffset : 0;
  }

  /** Bytes appended but not yet written (back-pressure measure). */
  get pendingBytes(): number {
    return this.appendOffset - this.writtenOffset;
  }

  /** After recovery: every offset up to `offset` is valid and durable. */
  setRecovered(offset: number, storeTimestamp: number): void {
    this.appendOffset = this.writtenOffset = this.readableOffset = this.flushedOffset = offset;
    this.lastWrittenStoreTimestamp = this.lastFlushedStoreTimestamp = storeTimestamp;
    this.appendStoreTimestamp = storeTimestamp;
  }

  // ---- append (synchronous, called by the store's put path) ----

  /**
   * Reserve `len` contiguous bytes for records in one file, rolling to a new file (after an END blank
   * marker) when they don't fit; where to encode them is left in allocBuf/allocPos/allocOffset (no
   * object per put). Throws if a new file can't be created.
   */
  allocate(len: number): void {
    let f = this.queue.last;
    if (!f || this.appendOffset >= f.fileEndOffset) f = this.queue.create(this.appendOffset);
    let filePos = this.appendOffset - f.fileFromOffset;
    if (len + END_FILE_MIN_BLANK_LENGTH > f.fileSize - filePos) {
      const c = this.chunkFor(f, filePos, END_FILE_MIN_BLANK_LENGTH);
      c.buf.writeInt32BE(f.fileSize - filePos, c.len);
      c.buf.writeInt32BE(BLANK_MAGIC_CODE, c.len + 4);
      c.len += END_FILE_MIN_BLANK_LENGTH;
      this.appendOffset = f.fileEndOffset;
      c.endOffset = this.appendOffset;
      c.sealed = true;
      f = this.queue.create(this.appendOffset);
      filePos = 0;
    }
    const c = this.chunkFor(f, filePos, len);
    this.allocBuf = c.buf;
    this.allocPos = c.len;
    this.allocOffset = this.appendOffset;
    c.len += len;
    this.appendOffset += len;
    c.endOffset = this.appendOffset;
  }

  /**
   * Attach the dispatch request(s) and the put's completion to the records just allocated; the promise
   * resolves once they are written (ASYNC_FLUSH) or covered by an fdatasync (SYNC_FLUSH, or
   * FLUSH_DISK_TIMEOUT after `syncFlushTimeout`). `waitFlush` false (the producer's WAIT=false) answers a
   * SYNC_FLUSH put once written, as Java does: the group commit still covers it, nobody waits for it.
   */
  commit(
    reqs: DispatchRequest | DispatchRequest[],
    result: PutMessageResult,
    syncFlushTimeout: number,
    waitFlush = true,
  ): Promise<PutMessageResult> {
    if (Array.isArray(reqs)) {
      for (const r of reqs) this.pendingReqs.push(r);
      if (reqs.length) this.appendStoreTimestamp = reqs[reqs.length - 1]!.storeTimestamp;
    } else {
      this.pendingReqs.push(reqs);
      this.appendStoreTimestamp = reqs.storeTimestamp;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.tick);
    }
    const promise = new Promise<PutMessageResult>(captureResolve);
    const resolve = capturedResolve;
    if (this.syncFlush && waitFlush) {
      if (this.groupStart === 0) this.groupStart = performance.now();
      this.flushWaiters.push({
        endOffset: this.appendOffset,
        deadline: Date.now() + syncFlushTimeout,
        result,
        resolve,
        done: false,
      });
    } else {
      this.writeEnds.push(this.appendOffset);
      this.writeResults.push(result);
      this.writeResolves.push(resolve);
    }
    return promise;
  }

  private chunkFor(f: DataFile, filePos: number, len: number): Chunk {
    const c = this.current;
    if (c && !c.sealed && c.file === f && c.filePos + c.len === filePos && c.len + len <= c.buf.length)
      return c;
    if (c) {
      c.sealed = true;
      this.dropWritten();
    }
    const size = Math.max(CHUNK_SIZE, len);
    const buf = (size === CHUNK_SIZE ? this.freeBuffers.pop() : undefined) ?? Buffer.allocUnsafe(size);
    const n: Chunk = {
      file: f,
      filePos,
      buf,
      len: 0,
      issued: 0,
      endOffset: f.fileFromOffset + filePos,
      sealed: false,
    };
    this.chunks.push(n);
    this.current = n;
    return n;
  }

  /** Forget sealed chunks whose bytes are all written; their buffers are reused. */
  private dropWritten(): void {
    let n = 0;
    while (n < this.chunks.length) {
      const c = this.chunks[n]!;
      if (!c.sealed || c.endOffset > this.writtenOffset) break;
      if (c.buf.length === CHUNK_SIZE && this.freeBuffers.length < 8) this.freeBuffers.push(c.buf);
      n++;
    }
    if (n) this.chunks.splice(0, n);
  }

  /**
   * Once per event-loop round with puts: dispatch what they appended (readable from here on) and
   * start a write if none is running.
   */
  private readonly tick = (): void => {
    this.scheduled = false;
    if (this.failed) return;
    this.write();
    if (this.failed) return;
    this.readableOffset = this.appendOffset;
    const reqs = this.pendingReqs;
    if (reqs.length) {
      this.pendingReqs = [];
      this.hooks.dispatch(reqs);
    }
    this.notifyIdle();
  };

  /** Hand every appended byte not yet written to the kernel: one pwritev per file. */
  private write(): void {
    if (this.failed) return;
    const cs = this.chunks;
    let i = 0;
    while (i < cs.length && cs[i]!.issued === cs[i]!.len) i++;
    if (i === cs.length) return;
    const runs: { fd: number; bufs: Buffer[]; pos: number }[] = [];
    while (i < cs.length) {
      const first = cs[i]!;
      const bufs: Buffer[] = [first.buf.subarray(first.issued, first.len)];
      const pos = first.filePos + first.issued;
      let end = first.filePos + first.len;
      first.issued = first.len;
      let j = i + 1;
      while (j < cs.length && cs[j]!.file === first.file && cs[j]!.filePos === end) {
        const c = cs[j]!;
        bufs.push(c.buf.subarray(0, c.len));
        end += c.len;
        c.issued = c.len;
        j++;
      }
      runs.push({ fd: first.file.fd, bufs, pos });
      i = j;
    }
    const end = this.appendOffset;
    const ts = this.appendStoreTimestamp;
    try {
      for (const r of runs) this.writeBytes += writevFullySync(r.fd, r.bufs, r.pos);
      this.writeCalls += runs.length;
    } catch (err) {
      if (isNoSpaceError(err)) this.rollbackUnwritten(err as Error);
      else this.failAll(err as Error);
      return;
    }
    this.written(end, ts);
  }

  /**
   * ENOSPC/EDQUOT on a write: nothing after the written end was acknowledged, so drop it all: zero the
   * bytes a short write left on disk (no partial record stays in the log for recovery to find), delete
   * files created for it, fail its puts (the producer may retry), hand its records back to the store to
   * rewind queue offsets, and take appends again from the written end. Zeroing only rewrites pages the
   * short write already allocated, so it needs no new space; if it fails anyway, the log stops as for
   * any other I/O error.
   */
  private rollbackUnwritten(err: Error): void {
    const from = this.writtenOffset;
    const bytes = this.appendOffset - from;
    try {
      for (const f of [...this.queue.files]) {
        if (f.fileEndOffset <= from || f.fileFromOffset >= this.appendOffset) continue;
        if (f.fileFromOffset >= from) this.queue.remove(f);
        else
          zeroNonZeroBytes(
            f,
            from - f.fileFromOffset,
            Math.min(f.fileSize, this.appendOffset - f.fileFromOffset),
          );
      }
    } catch (e) {
      this.failAll(e as Error);
      return;
    }
    for (const c of this.chunks)
      if (c.buf.length === CHUNK_SIZE && this.freeBuffers.length < 8) this.freeBuffers.push(c.buf);
    this.chunks = [];
    this.current = null;
    this.appendOffset = from;
    this.appendStoreTimestamp = this.lastWrittenStoreTimestamp;
    if (this.flushTarget > from) this.flushTarget = from;
    const reqs = this.pendingReqs;
    this.pendingReqs = [];
    const failed = (): PutMessageResult => ({
      status: 'SERVICE_NOT_AVAILABLE',
      remark: `message not stored: no space left writing the commit log (${err.message})`,
    });
    for (const resolve of this.writeResolves) resolve(failed());
    this.writeEnds.length = this.writeResults.length = this.writeResolves.length = 0;
    const ws = this.flushWaiters;
    for (let h = this.flushWaitersHead; h < ws.length; h++) {
      const w = ws[h]!;
      if (!w.done && w.endOffset > from) {
        w.done = true;
        w.resolve(failed());
      }
    }
    this.hooks.onNoSpace(err, reqs, bytes);
    // A flusher waiting for bytes that will never be written goes on with what is.
    const waiting = this.writtenWaiters;
    this.writtenWaiters = [];
    for (const w of waiting) w.resolve();
    this.notifyIdle();
  }

  /** The write covering everything up to `end` completed. */
  private written(end: number, ts: number): void {
    this.writtenOffset = end;
    this.lastWrittenStoreTimestamp = ts;
    for (const c of this.chunks) {
      const f = c.file;
      if (end > f.fileFromOffset) f.wrotePosition = Math.min(f.fileSize, end - f.fileFromOffset);
    }
    this.dropWritten();
    this.resolveWrittenWaiters();
    this.resolveWritten(end);
    if (this.syncFlush && this.flushedOffset < end) void this.flush();
    if (this.zeroAheadBytes) this.zeroAhead();
  }

  /**
   * SYNC_FLUSH: keep the file zero-filled (and its blocks allocated) a little ahead of the write end.
   * The files are sparse, so a write into a hole allocates blocks and the group commit's fdatasync must
   * then commit the file system's journal too (ext4: a second device flush and a wake-up of its journal
   * thread), which measured 2-3x the fdatasync of an overwrite. Writing the zeros here, synchronously on
   * the event loop like every other commit-log write (so no write of records can be overtaken by them),
   * and an fdatasync in the background moves that allocation off the group commit's path. One ZERO_STEP
   * at a time, only while the zeroed region is short by a step. Zeros are what the sparse file reads as
   * anyway: the format and recovery see no difference. A failed zero write (a full disk) turns it off.
   */
  private zeroAhead(): void {
    const f = this.queue.last;
    if (!f || f.closed) return;
    const from = Math.max(this.zeroedTo, this.appendOffset, f.fileFromOffset);
    const want = Math.min(f.fileEndOffset, this.writtenOffset + this.zeroAheadBytes);
    if (from >= want || (want - from < ZERO_STEP && want < f.fileEndOffset)) return;
    const to = Math.min(want, from + ZERO_STEP);
    this.zeros ??= Buffer.alloc(ZERO_STEP);
    try {
      f.writeSync(this.zeros, 0, to - from, from - f.fileFromOffset);
    } catch {
      this.zeroAheadBytes = 0;
      this.zeros = null;
      return;
    }
    this.zeroedTo = to;
    // Errors show up again on the group commit's own fdatasync, which handles them.
    fs.fdatasync(f.fd, () => {});
  }

  private resolveWritten(end: number): void {
    const ends = this.writeEnds;
    const results = this.writeResults;
    const resolves = this.writeResolves;
    let n = 0;
    while (n < ends.length && ends[n]! <= end) {
      resolves[n]!(results[n]!);
      n++;
    }
    // A tick writes everything appended before it, so this normally empties the arrays (kept for reuse).
    if (n === ends.length) {
      ends.length = results.length = resolves.length = 0;
    } else if (n > 0) {
      ends.splice(0, n);
      results.splice(0, n);
      resolves.splice(0, n);
    }
  }

  private isIdle(): boolean {
    return !this.scheduled && this.writtenOffset >= this.appendOffset;
  }

  private notifyIdle(): void {
    if (this.writeIdle.length === 0 || !this.isIdle()) return;
    const idle = this.writeIdle;
    this.writeIdle = [];
    for (const f of idle) f();
    this.resolveWrittenWaiters();
  }

  private failAll(err: Error): void {
    this.failed = err;
    this.hooks.onIoError(err);
    const failed = (): PutMessageResult => ({
      status: 'UNKNOWN_ERROR',
      remark: `commit log write failed: ${err.message}`,
    });
    for (const resolve of this.writeResolves) resolve(failed());
    this.writeEnds.length = this.writeResults.length = this.writeResolves.length = 0;
    for (let h = this.flushWaitersHead; h < this.flushWaiters.length; h++) {
      const w = this.flushWaiters[h]!;
      if (w.done) continue;
      w.done = true;
      w.resolve(failed());
    }
    this.flushWaiters = [];
    this.flushWaitersHead = 0;
    const idle = this.writeIdle;
    this.writeIdle = [];
    for (const f of idle) f();
    this.resolveWrittenWaiters();
  }

  /**
   * fdatasync everything written so far (at the time of the call); resolves SYNC_FLUSH puts it covers.
   * One flusher runs at a time and calls coalesce into it. Each pass covers the bytes written when it
   * starts; the flusher goes on while a caller's target is not covered yet or, in SYNC_FLUSH, while
   * more bytes were written (group commit: the next fdatasync starts the moment the previous one ends,
   * covering every write that completed meanwhile). An ASYNC_FLUSH timer tick is a single pass: chasing
   * the writes kept an fdatasync running back to back all the time.
   */
  flush(): Promise<void> {
    if (this.appendOffset > this.flushTarget) this.flushTarget = this.appendOffset;
    if (this.flushing) return this.flushing;
    if (this.flushedOffset >= this.flushTarget || this.failed) return Promise.resolve();
    this.flushing = (async () => {
      try {
        while (
          !this.failed &&
          (this.flushedOffset < this.flushTarget ||
            (this.syncFlush && this.flushedOffset < this.writtenOffset))
        ) {
          // Bytes appended before the call may still be in memory or in a write: wait for them.
          if (this.writtenOffset < this.flushTarget) await this.writtenTo(this.flushTarget);
          if (this.failed) break;
          const target = this.writtenOffset;
          const ts = this.lastWrittenStoreTimestamp;
          const files = this.queue.files.filter(
            (f) => f.fileEndOffset > this.flushedOffset && f.fileFromOffset < target && !f.closed,
          );
          const t0 = performance.now();
          if (this.groupStart) {
            this.groupCommit.recordCycle(
              t0 - this.groupStart,
              this.lastSyncEnd ? this.groupStart - this.lastSyncEnd : Number.NaN,
            );
            this.groupStart = 0;
          }
          for (const f of files) await fdatasyncAsync(f.fd);
          for (const f of files) f.flushedPosition = Math.min(f.fileSize, target - f.fileFromOffset);
          this.flushedOffset = target;
          this.lastFlushedStoreTimestamp = ts;
          const answered = this.resolveFlushed();
          if (this.syncFlush) {
            this.lastSyncEnd = performance.now();
            this.groupCommit.record(answered, this.lastSyncEnd - t0);
          }
        }
      } catch (err) {
        this.failAll(err as Error);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }
  /** The flusher runs at least up to here. */
  private flushTarget = 0;
  private writtenWaiters: { offset: number; resolve: () => void }[] = [];

  /** Resolves once the bytes up to `offset` are written (or the log failed). */
  private writtenTo(offset: number): Promise<void> {
    if (this.writtenOffset >= offset || this.failed) return Promise.resolve();
    return new Promise((resolve) => this.writtenWaiters.push({ offset, resolve }));
  }

  private resolveWrittenWaiters(): void {
    if (this.writtenWaiters.length === 0) return;
    const keep: { offset: number; resolve: () => void }[] = [];
    for (const w of this.writtenWaiters) {
      if (this.writtenOffset >= w.offset || this.failed) w.resolve();
      else keep.push(w);
    }
    this.writtenWaiters = keep;
  }

  /** Answers the SYNC_FLUSH puts the flushed offset covers; returns how many. */
  private resolveFlushed(): number {
    const ws = this.flushWaiters;
    let h = this.flushWaitersHead;
    let answered = 0;
    while (h < ws.length && ws[h]!.endOffset <= this.flushedOffset) {
      const w = ws[h++]!;
      if (!w.done) {
        w.done = true;
        w.resolve(w.result);
        answered++;
      }
    }
    if (h > 1024 && h * 2 > ws.length) {
      this.flushWaiters = ws.slice(h);
      h = 0;
    }
    this.flushWaitersHead = h;
    return answered;
  }

  /** SYNC_FLUSH puts whose fdatasync didn't come in time answer FLUSH_DISK_TIMEOUT (the data stays). */
  expireFlushWaiters(now: number): void {
    const ws = this.flushWaiters;
    for (let h = this.flushWaitersHead; h < ws.length; h++) {
      const w = ws[h]!;
      if (!w.done && w.deadline <= now) {
        w.done = true;
        w.resolve({ ...w.result, status: 'FLUSH_DISK_TIMEOUT' });
      }
    }
  }

  /** Resolves when nothing is waiting to be written. */
  waitWritten(): Promise<void> {
    if (this.isIdle() || this.failed) return Promise.resolve();
    return new Promise((resolve) => this.writeIdle.push(resolve));
  }

  // ---- reads ----

  /** `size` bytes at `offset` if they are written and still on disk. */
  getData(offset: number, size: number): Buffer | null {
    if (offset < 0 || size <= 0 || offset + size > Math.min(this.readableOffset, this.writtenOffset))
      return null;
    const f = this.queue.findByOffset(offset);
    if (!f) return null;
    const pos = offset - f.fileFromOffset;
    if (pos + size > f.fileSize) return null;
    const b = f.read(pos, size);
    return b.length === size ? b : null;
  }

  /** The whole record at `offset` (size read from its TOTALSIZE), or null. */
  lookMessageByOffset(offset: number, size?: number): Buffer | null {
    if (size === undefined) {
      const head = this.getData(offset, 4);
      if (!head) return null;
      size = head.readInt32BE(0);
      if (size <= 0) return null;
    }
    return this.getData(offset, size);
  }

  /** Raw log bytes from `offset` to the end of its file's written part (≤ maxBytes): the HA transfer unit. */
  getRawData(offset: number, maxBytes: number): Buffer | null {
    if (offset >= this.readableOffset) return null;
    const f = this.queue.findByOffset(offset);
    if (!f) return null;
    const pos = offset - f.fileFromOffset;
    const avail = Math.min(f.wrotePosition, this.writtenOffset - f.fileFromOffset) - pos;
    if (avail <= 0) return null;
    return f.read(pos, Math.min(avail, maxBytes));
  }

  /** Start offset of the file after the one holding `offset` (Java rollNextFile). */
  rollNextFile(offset: number): number {
    return offset + this.fileSize - (offset % this.fileSize);
  }

  /**
   * Slave side of HA: append raw bytes received from the master at `startOffset` (must equal our end).
   * Synchronous; the caller then re-dispatches from the previous end.
   */
  appendRaw(startOffset: number, data: Buffer): boolean {
    // An empty slave may start mid-log: Java's master streams an empty slave the head of its last file.
    if (this.queue.files.length === 0 && this.appendOffset === 0 && startOffset > 0) {
      this.appendOffset = this.writtenOffset = this.flushedOffset = startOffset;
    }
    if (startOffset !== this.appendOffset || !this.isIdle()) return false;
    let off = 0;
    try {
      while (off < data.length) {
        let f = this.queue.last;
        if (!f || this.appendOffset >= f.fileEndOffset) {
          f = this.queue.create(this.appendOffset - (this.appendOffset % this.fileSize));
        }
        const pos = this.appendOffset - f.fileFromOffset;
        const n = Math.min(data.length - off, f.fileSize - pos);
        f.writeSync(data, off, n, pos);
        f.wrotePosition = pos + n;
        off += n;
        this.appendOffset += n;
      }
    } catch (err) {
      // A full slave disk: undo the whole chunk (the master sends it again once the slave reconnects).
      if (isNoSpaceError(err)) this.undoRaw(startOffset, startOffset + data.length);
      throw err;
    }
    this.writtenOffset = this.readableOffset = this.appendOffset;
    return true;
  }

  /** Drop what appendRaw wrote of [from, to): zero its bytes, delete files it created, rewind. */
  private undoRaw(from: number, to: number): void {
    for (const f of [...this.queue.files]) {
      if (f.fileEndOffset <= from || f.fileFromOffset >= to) continue;
      if (f.fileFromOffset >= from) this.queue.remove(f);
      else {
        zeroNonZeroBytes(f, from - f.fileFromOffset, Math.min(f.fileSize, to - f.fileFromOffset));
        f.wrotePosition = from - f.fileFromOffset;
      }
    }
    this.appendOffset = this.writtenOffset = this.readableOffset = from;
  }

  // ---- recovery ----

  /** Store timestamp of the first record of a file, or 0 if it has none. */
  firstStoreTimestamp(f: DataFile, levels: number[]): number {
    const b = f.read(0, Math.min(f.fileSize, 4096));
    if (b.length < 8) return 0;
    const size = b.readInt32BE(0);
    const full = size > b.length && size <= f.fileSize ? f.read(0, size) : b;
    const r = checkRecord(full, 0, full.length, f.fileFromOffset, false, levels);
    return r.kind === 'message' ? r.req.storeTimestamp : 0;
  }

  close(): void {
    this.queue.close();
  }
}

/**
 * One executor for every put's promise: it leaves the resolve function here for commit() to take, so a
 * put allocates no executor closure.
 */
let capturedResolve: (r: PutMessageResult) => void = () => {};
function captureResolve(resolve: (r: PutMessageResult) => void): void {
  capturedResolve = resolve;
}

/** Overwrite with zeros the part of [from, to) that is not zero already (up to its last non-zero byte). */
function zeroNonZeroBytes(f: DataFile, from: number, to: number): void {
  const block = 1 << 20;
  let last = -1;
  for (let p = from; p < to; p += block) {
    const b = f.read(p, Math.min(block, to - p));
    for (let i = b.length - 1; i >= 0; i--) {
      if (b[i] !== 0) {
        last = p + i;
        break;
      }
    }
  }
  if (last >= from) f.zeroRange(from, last + 1);
}

/** Writes every byte of `bufs` at `pos`; returns how many (their total). */
function writevFullySync(fd: number, bufs: Buffer[], pos: number): number {
  const total = bufs.reduce((n, b) => n + b.length, 0);
  const n = bufs.length === 1 ? fs.writeSync(fd, bufs[0]!, 0, total, pos) : fs.writevSync(fd, bufs, pos);
  if (n === total) return total;
  const rest = Buffer.concat(bufs).subarray(n);
  for (let done = 0; done < rest.length; )
    done += fs.writeSync(fd, rest, done, rest.length - done, pos + n + done);
  return total;
}
