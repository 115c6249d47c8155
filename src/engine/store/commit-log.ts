import * as fs from 'node:fs';
import { BLANK_MAGIC_CODE, END_FILE_MIN_BLANK_LENGTH } from '../protocol/message/record.js';
import { type DataFile, fdatasyncAsync, writeFullyAsync } from './data-file.js';
import { MappedFileQueue } from './mapped-file-queue.js';
import { checkRecord, type RecordCheck } from './record-check.js';
import type { DispatchRequest, PutMessageResult } from './types.js';

/**
 * The commit log: fixed-size files of §4.1 records, written without mmap.
 *
 * Write path. putMessage encodes records synchronously straight into an in-memory chunk (no copy) and
 * gets a physical offset at once; a writer scheduled with setImmediate hands every chunk accumulated
 * since its previous run to the kernel in one pwritev, so concurrent producers share syscalls. ASYNC_FLUSH
 * puts resolve when their write is issued; after it completes the records are dispatched (consume queues,
 * index); in SYNC_FLUSH a separate flusher issues fdatasync covering everything written so far (group commit, overlapping the
 * next write) and resolves the puts it covers.
 *
 * Offsets are JS numbers (exact to 2^53 = 8 PiB); see protocol/message/int64.ts for the reasoning.
 */
const CHUNK_SIZE = 1 << 20;

interface Waiter {
  endOffset: number;
  deadline: number;
  result: PutMessageResult;
  resolve: (r: PutMessageResult) => void;
  done: boolean;
}

interface Chunk {
  file: DataFile;
  filePos: number;
  buf: Buffer;
  len: number;
  /** Logical end offset once written (a blank marker's chunk ends at its file's end). */
  endOffset: number;
  reqs: DispatchRequest[];
  waiters: Waiter[];
  lastStoreTimestamp: number;
}

export interface CommitLogHooks {
  /** Called right after a chunk's bytes are in the kernel, in commit-log order. */
  dispatch(reqs: DispatchRequest[]): void;
  /** A write or fdatasync failed: the store stops accepting writes. */
  onIoError(err: Error): void;
}

export class CommitLog {
  readonly queue: MappedFileQueue;
  /** Next offset to hand out (includes bytes still in memory). */
  appendOffset = 0;
  /** Bytes whose write completed (in the kernel's page cache). */
  writtenOffset = 0;
  /** Bytes whose write was issued and dispatched: the readable end (the tail is served from memory). */
  readableOffset = 0;
  /** Bytes covered by fdatasync. */
  flushedOffset = 0;
  lastWrittenStoreTimestamp = 0;
  lastFlushedStoreTimestamp = 0;
  /** Bytes appended but not yet written (back-pressure measure). */
  pendingBytes = 0;

  private current: Chunk | null = null;
  private sealed: Chunk[] = [];
  private flushing: Promise<void> | null = null;
  private flushWaiters: Waiter[] = [];
  private flushWaitersHead = 0;
  private freeBuffers: Buffer[] = [];
  private writeIdle: (() => void)[] = [];

  constructor(
    dir: string,
    readonly fileSize: number,
    private readonly syncFlush: boolean,
    private readonly hooks: CommitLogHooks,
  ) {
    this.queue = new MappedFileQueue(dir, fileSize);
  }

  get minOffset(): number {
    const f = this.queue.first;
    return f ? f.fileFromOffset : 0;
  }

  /** After recovery: every offset up to `offset` is valid and durable. */
  setRecovered(offset: number, storeTimestamp: number): void {
    this.appendOffset = this.writtenOffset = this.readableOffset = this.flushedOffset = offset;
    this.lastWrittenStoreTimestamp = this.lastFlushedStoreTimestamp = storeTimestamp;
  }

  // ---- append (synchronous, called by the store's put path) ----

  /**
   * Reserve `len` contiguous bytes for records in one file, rolling to a new file (after an END blank
   * marker) when they don't fit. Returns where to encode them. Throws if a new file can't be created.
   */
  allocate(len: number): { buf: Buffer; pos: number; phyOffset: number } {
    let f = this.queue.last;
    if (!f || this.appendOffset >= f.fileEndOffset) f = this.queue.create(this.appendOffset);
    let filePos = this.appendOffset - f.fileFromOffset;
    if (len + END_FILE_MIN_BLANK_LENGTH > f.fileSize - filePos) {
      const remaining = f.fileSize - filePos;
      const c = this.chunkFor(f, filePos, END_FILE_MIN_BLANK_LENGTH);
      c.buf.writeInt32BE(remaining, c.len);
      c.buf.writeInt32BE(BLANK_MAGIC_CODE, c.len + 4);
      c.len += END_FILE_MIN_BLANK_LENGTH;
      this.appendOffset = f.fileEndOffset;
      c.endOffset = this.appendOffset;
      this.pendingBytes += END_FILE_MIN_BLANK_LENGTH;
      f = this.queue.create(this.appendOffset);
      filePos = 0;
    }
    const c = this.chunkFor(f, filePos, len);
    const pos = c.len;
    const phyOffset = this.appendOffset;
    c.len += len;
    this.appendOffset += len;
    c.endOffset = this.appendOffset;
    this.pendingBytes += len;
    return { buf: c.buf, pos, phyOffset };
  }

  /**
   * Attach the dispatch requests and the put's completion to the records just allocated; the promise
   * resolves once they are written (ASYNC_FLUSH) or covered by an fdatasync (SYNC_FLUSH, or FLUSH_DISK_TIMEOUT
   * after `syncFlushTimeout`).
   */
  commit(
    reqs: DispatchRequest[],
    result: PutMessageResult,
    syncFlushTimeout: number,
  ): Promise<PutMessageResult> {
    const c = this.current!;
    for (const r of reqs) c.reqs.push(r);
    c.lastStoreTimestamp = reqs[reqs.length - 1]?.storeTimestamp ?? c.lastStoreTimestamp;
    return new Promise((resolve) => {
      c.waiters.push({
        endOffset: c.endOffset,
        deadline: Date.now() + syncFlushTimeout,
        result,
        resolve,
        done: false,
      });
      this.kick();
    });
  }

  private chunkFor(f: DataFile, filePos: number, len: number): Chunk {
    const c = this.current;
    if (c && c.file === f && c.filePos + c.len === filePos && c.len + len <= c.buf.length) return c;
    if (c && c.len > 0) this.sealed.push(c);
    const size = Math.max(CHUNK_SIZE, len);
    const buf = (size === CHUNK_SIZE ? this.freeBuffers.pop() : undefined) ?? Buffer.allocUnsafe(size);
    const n: Chunk = {
      file: f,
      filePos,
      buf,
      len: 0,
      endOffset: f.fileFromOffset + filePos,
      reqs: [],
      waiters: [],
      lastStoreTimestamp: 0,
    };
    // Reqs/waiters of a put always land on the chunk holding its last record; carry none over.
    this.current = n;
    return n;
  }

  /** Run the writer on the next check phase, so puts arriving in the same I/O round share one write. */
  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.issueWrites());
  }
  private scheduled = false;
  private inflight: { batch: Chunk[]; done: boolean; err?: Error }[] = [];

  /**
   * Hand every sealed chunk to the kernel as one async pwritev per file (several may be in flight; they
   * never overlap). ASYNC_FLUSH puts resolve here, once their bytes are queued for the kernel, like Java
   * acknowledging once a record is copied into its mmap; SYNC_FLUSH puts wait for the flusher.
   * The records are dispatched at once (reads of bytes still in flight are served from these chunks);
   * completions are applied strictly in log order: written offset, then the fdatasync queue.
   */
  private issueWrites(): void {
    this.scheduled = false;
    if (this.inflight.length >= 4) return; // re-kicked when one completes
    if (this.current && this.current.len > 0) {
      this.sealed.push(this.current);
      this.current = null;
    }
    const batch = this.sealed;
    if (batch.length === 0) {
      this.notifyIdle();
      return;
    }
    this.sealed = [];
    const entry: { batch: Chunk[]; done: boolean; err?: Error } = { batch, done: false };
    this.inflight.push(entry);
    this.writeChunks(batch).then(
      () => {
        entry.done = true;
        this.completeWrites();
      },
      (err: Error) => {
        entry.done = true;
        entry.err = err;
        this.completeWrites();
      },
    );
    this.readableOffset = batch[batch.length - 1]!.endOffset;
    for (const c of batch) if (c.reqs.length) this.hooks.dispatch(c.reqs);
    if (!this.syncFlush) {
      for (const c of batch) {
        for (const w of c.waiters) {
          w.done = true;
          w.resolve(w.result);
        }
      }
    }
  }

  private completeWrites(): void {
    while (this.inflight.length > 0 && this.inflight[0]!.done) {
      const { batch, err } = this.inflight.shift()!;
      if (err) {
        this.inflight = [];
        this.failAll(err);
        break;
      }
      const last = batch[batch.length - 1]!;
      this.writtenOffset = last.endOffset;
      for (const c of batch) {
        c.file.wrotePosition = c.endOffset - c.file.fileFromOffset;
        this.pendingBytes -= c.len;
        if (c.lastStoreTimestamp) this.lastWrittenStoreTimestamp = c.lastStoreTimestamp;
      }
      for (const c of batch) {
        if (this.syncFlush) for (const w of c.waiters) this.flushWaiters.push(w);
        if (c.buf.length === CHUNK_SIZE && this.freeBuffers.length < 16) this.freeBuffers.push(c.buf);
      }
    }
    if (this.syncFlush && this.flushedOffset < this.writtenOffset) void this.flush();
    if (this.sealed.length > 0 || (this.current && this.current.len > 0)) this.kick();
    this.notifyIdle();
  }

  private isIdle(): boolean {
    return this.inflight.length === 0 && this.sealed.length === 0 && !(this.current && this.current.len > 0);
  }

  private notifyIdle(): void {
    if (!this.isIdle() || this.writeIdle.length === 0) return;
    const idle = this.writeIdle;
    this.writeIdle = [];
    for (const f of idle) f();
  }

  /** One pwritev per run of contiguous chunks in the same file, issued together. */
  private async writeChunks(batch: Chunk[]): Promise<void> {
    const ops: Promise<void>[] = [];
    let i = 0;
    while (i < batch.length) {
      const first = batch[i]!;
      const bufs: Buffer[] = [first.buf.subarray(0, first.len)];
      let end = first.filePos + first.len;
      let j = i + 1;
      while (j < batch.length && batch[j]!.file === first.file && batch[j]!.filePos === end) {
        bufs.push(batch[j]!.buf.subarray(0, batch[j]!.len));
        end += batch[j]!.len;
        j++;
      }
      ops.push(writevFully(first.file.fd, bufs, first.filePos));
      i = j;
    }
    await Promise.all(ops);
  }

  private failAll(err: Error): void {
    this.hooks.onIoError(err);
    const fail = (w: Waiter) => {
      if (w.done) return;
      w.done = true;
      w.resolve({ status: 'UNKNOWN_ERROR', remark: `commit log write failed: ${err.message}` });
    };
    for (const c of this.sealed) c.waiters.forEach(fail);
    if (this.current) this.current.waiters.forEach(fail);
    this.flushWaiters.forEach(fail);
    this.sealed = [];
    this.current = null;
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
    if (this.writtenOffset > this.flushTarget) this.flushTarget = this.writtenOffset;
    if (this.flushing) return this.flushing;
    if (this.flushedOffset >= this.flushTarget) return Promise.resolve();
    this.flushing = (async () => {
      try {
        while (
          this.flushedOffset < this.flushTarget ||
          (this.syncFlush && this.flushedOffset < this.writtenOffset)
        ) {
          const target = this.writtenOffset;
          const ts = this.lastWrittenStoreTimestamp;
          const files = this.queue.files.filter(
            (f) => f.fileEndOffset > this.flushedOffset && f.fileFromOffset < target && !f.closed,
          );
          for (const f of files) await fdatasyncAsync(f.fd);
          for (const f of files) f.flushedPosition = Math.min(f.fileSize, target - f.fileFromOffset);
          this.flushedOffset = target;
          this.lastFlushedStoreTimestamp = ts;
          this.resolveFlushed();
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

  private resolveFlushed(): void {
    const ws = this.flushWaiters;
    let h = this.flushWaitersHead;
    while (h < ws.length && ws[h]!.endOffset <= this.flushedOffset) {
      const w = ws[h++]!;
      if (!w.done) {
        w.done = true;
        w.resolve(w.result);
      }
    }
    if (h > 1024 && h * 2 > ws.length) {
      this.flushWaiters = ws.slice(h);
      h = 0;
    }
    this.flushWaitersHead = h;
  }

  /** SYNC_FLUSH puts whose fdatasync didn't come in time answer FLUSH_DISK_TIMEOUT (the data stays). */
  expireFlushWaiters(now: number): void {
    const ws = this.flushWaiters;
    const pending: Waiter[] = [...ws.slice(this.flushWaitersHead)];
    for (const c of this.sealed) pending.push(...c.waiters);
    if (this.current) pending.push(...this.current.waiters);
    for (const w of pending) {
      if (!w.done && w.deadline <= now) {
        w.done = true;
        w.resolve({ ...w.result, status: 'FLUSH_DISK_TIMEOUT' });
      }
    }
  }

  /** Resolves when nothing is waiting to be written. */
  waitWritten(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.writeIdle.push(resolve);
      this.kick();
    });
  }

  // ---- reads ----

  /** `size` bytes at `offset` if they are written and still on disk. */
  getData(offset: number, size: number): Buffer | null {
    if (offset < 0 || size <= 0 || offset + size > this.readableOffset) return null;
    const f = this.queue.findByOffset(offset);
    if (!f) return null;
    const pos = offset - f.fileFromOffset;
    if (pos + size > f.fileSize) return null;
    if (offset + size <= this.writtenOffset) {
      const b = f.read(pos, size);
      return b.length === size ? b : null;
    }
    return this.readInflight(offset, size);
  }

  /** Copy [offset, offset+size) from the file and from chunks whose write is still in flight. */
  private readInflight(offset: number, size: number): Buffer | null {
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    if (offset < this.writtenOffset) {
      const f = this.queue.findByOffset(offset)!;
      const n = this.writtenOffset - offset;
      if (f.readInto(out, 0, n, offset - f.fileFromOffset) !== n) return null;
      filled = n;
    }
    for (const e of this.inflight) {
      for (const c of e.batch) {
        const start = c.file.fileFromOffset + c.filePos;
        const want = offset + filled;
        if (want >= start && want < start + c.len) {
          const n = Math.min(start + c.len - want, size - filled);
          c.buf.copy(out, filled, want - start, want - start + n);
          filled += n;
          if (filled === size) return out;
        }
      }
    }
    return filled === size ? out : null;
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
    if (offset >= this.writtenOffset) return this.rawInflight(offset, maxBytes);
    const f = this.queue.findByOffset(offset);
    if (!f) return null;
    const pos = offset - f.fileFromOffset;
    const avail = Math.min(f.wrotePosition, this.writtenOffset - f.fileFromOffset) - pos;
    if (avail <= 0) return null;
    return f.read(pos, Math.min(avail, maxBytes));
  }

  /**
   * Bytes at `offset` whose write is still in flight: the rest of the chunk holding it, or the zero
   * padding after an END blank marker (never written: files start zero-filled). HA may ship them at once,
   * as Java ships mmap bytes before they reach the disk.
   */
  private rawInflight(offset: number, maxBytes: number): Buffer | null {
    for (const e of this.inflight) {
      for (const c of e.batch) {
        const start = c.file.fileFromOffset + c.filePos;
        if (offset >= start && offset < start + c.len) {
          const n = Math.min(start + c.len - offset, maxBytes);
          return Buffer.from(c.buf.subarray(offset - start, offset - start + n));
        }
        if (offset >= start + c.len && offset < c.endOffset) {
          return Buffer.alloc(Math.min(c.endOffset - offset, maxBytes));
        }
      }
    }
    return null;
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
    if (startOffset !== this.appendOffset || this.inflight.length || this.sealed.length || this.current?.len)
      return false;
    let off = 0;
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
    this.writtenOffset = this.readableOffset = this.appendOffset;
    return true;
  }

  // ---- recovery ----

  /**
   * Walk records from `from` (a file start or a record boundary) up to `limit`, calling `visit` for each check result
   * with its offset; stops at the end of the log, at the first bad record, or when visit returns false.
   * Returns the offset after the last valid record (the valid end when the walk ran to completion).
   */
  walk(
    from: number,
    limit: number,
    checkCRC: boolean,
    levels: number[],
    visit: (offset: number, r: RecordCheck) => boolean,
  ): number {
    let offset = from;
    const window = 4 << 20;
    for (;;) {
      const f = this.queue.findByOffset(offset);
      if (!f) return offset;
      let pos = offset - f.fileFromOffset;
      let buf: Buffer = Buffer.alloc(0);
      let bufStart = pos;
      let nextFile = false;
      const refill = (len: number) => {
        buf = f.read(pos, Math.min(f.fileSize - pos, len));
        bufStart = pos;
      };
      // Read no further than `limit` needs: an HA slave walks each 32 KiB chunk it appends, and a 4 MiB
      // window per chunk made its reads ~100x the replicated bytes.
      const upTo = (min: number) => Math.max(min, Math.min(window, limit - (f.fileFromOffset + pos)));
      while (pos < f.fileSize) {
        if (pos + 8 > bufStart + buf.length) refill(upTo(8));
        if (pos + 8 <= bufStart + buf.length) {
          const size = buf.readInt32BE(pos - bufStart);
          if (size > 8 && pos + size > bufStart + buf.length && pos + size <= f.fileSize) refill(upTo(size));
        }
        const at = pos - bufStart;
        const avail = Math.min(buf.length - at, limit - (f.fileFromOffset + pos));
        const r = checkRecord(buf, at, avail, f.fileFromOffset + pos, checkCRC, levels);
        if (r.kind === 'end' || r.kind === 'bad') {
          visit(f.fileFromOffset + pos, r);
          return f.fileFromOffset + pos;
        }
        if (!visit(f.fileFromOffset + pos, r)) return f.fileFromOffset + pos;
        if (r.kind === 'blank') {
          nextFile = true;
          break;
        }
        pos += r.size;
      }
      if (!nextFile && pos < f.fileSize) return f.fileFromOffset + pos;
      offset = f.fileEndOffset;
      if (!this.queue.findByOffset(offset)) return offset;
    }
  }

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

function writevFully(fd: number, bufs: Buffer[], pos: number): Promise<void> {
  const total = bufs.reduce((n, b) => n + b.length, 0);
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, n: number) => {
      if (err) return reject(err);
      if (n === total) return resolve();
      // Short write: finish the rest with plain writes.
      const rest = Buffer.concat(bufs).subarray(n);
      writeFullyAsync(fd, rest, 0, rest.length, pos + n).then(resolve, reject);
    };
    if (bufs.length === 1) fs.write(fd, bufs[0]!, 0, total, pos, done);
    else fs.writev(fd, bufs, pos, done);
  });
}
