import * as fs from 'node:fs';
import { join } from 'node:path';

/** 20-digit zero-padded decimal file name of a start offset (UtilAll.offset2FileName). */
export function offset2FileName(offset: number): string {
  return String(offset).padStart(20, '0');
}

/**
 * One fixed-size store file (a Java MappedFile, here a plain fd). Files are created at full size with
 * ftruncate (sparse) because Java refuses to load a file whose length differs from the configured size.
 * `wrotePosition` counts bytes handed to the OS; `flushedPosition` bytes covered by an fdatasync.
 */
export class DataFile {
  readonly path: string;
  fd: number;
  wrotePosition = 0;
  flushedPosition = 0;
  closed = false;

  constructor(
    readonly dir: string,
    readonly fileFromOffset: number,
    readonly fileSize: number,
    create: boolean,
  ) {
    this.path = join(dir, offset2FileName(fileFromOffset));
    if (create) {
      this.fd = createFullSize(this.path, fileSize);
    } else {
      this.fd = fs.openSync(this.path, 'r+');
      const size = fs.fstatSync(this.fd).size;
      if (size !== fileSize) {
        fs.closeSync(this.fd);
        throw new Error(`${this.path}: size ${size} differs from the configured file size ${fileSize}`);
      }
    }
  }

  get fileEndOffset(): number {
    return this.fileFromOffset + this.fileSize;
  }

  get isFull(): boolean {
    return this.wrotePosition >= this.fileSize;
  }

  /** Read `len` bytes at file position `pos` into a new buffer (sync pread: page-cache reads, like mmap). */
  read(pos: number, len: number): Buffer {
    const b = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const n = fs.readSync(this.fd, b, done, len - done, pos + done);
      if (n === 0) break;
      done += n;
    }
    return done === len ? b : b.subarray(0, done);
  }

  readInto(buf: Buffer, off: number, len: number, pos: number): number {
    let done = 0;
    while (done < len) {
      const n = fs.readSync(this.fd, buf, off + done, len - done, pos + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  writeSync(buf: Buffer, off: number, len: number, pos: number): void {
    let done = 0;
    while (done < len) done += fs.writeSync(this.fd, buf, off + done, len - done, pos + done);
  }

  /** Overwrite [from, to) with zeros (cutting a torn tail so it can never be read as records again). */
  zeroRange(from: number, to: number): void {
    const zeros = Buffer.alloc(Math.min(1 << 20, Math.max(0, to - from)));
    for (let p = from; p < to; p += zeros.length) this.writeSync(zeros, 0, Math.min(zeros.length, to - p), p);
  }

  lastModified(): number {
    try {
      return fs.fstatSync(this.fd).mtimeMs;
    } catch {
      return 0;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  destroy(): void {
    this.close();
    fs.rmSync(this.path, { force: true });
  }
}

export function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

export function writeAsync(fd: number, buf: Buffer, off: number, len: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.write(fd, buf, off, len, pos, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/** Write all of `buf[off, off+len)` at `pos`, looping over short writes. */
export async function writeFullyAsync(
  fd: number,
  buf: Buffer,
  off: number,
  len: number,
  pos: number,
): Promise<void> {
  let done = 0;
  while (done < len) done += await writeAsync(fd, buf, off + done, len - done, pos + done);
}

/**
 * Create a zero-filled (sparse) file of `size` bytes atomically: sized under a temporary name, then
 * renamed, so a crash never leaves a short file that would fail the size check on the next start.
 */
export function createFullSize(path: string, size: number): number {
  const tmp = `${path}.tmp`;
  const fd = fs.openSync(tmp, 'w+');
  fs.ftruncateSync(fd, size);
  fs.renameSync(tmp, path);
  return fd;
}
