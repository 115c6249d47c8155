import * as fs from 'node:fs';
import { DataFile } from './data-file.js';

/** An ordered run of fixed-size files named by start offset (Java MappedFileQueue). */
export class MappedFileQueue {
  files: DataFile[] = [];

  constructor(
    readonly dir: string,
    readonly fileSize: number,
  ) {}

  /** Open every file in the directory (sizes must match). Wrote positions are set by recovery. */
  load(): void {
    if (!fs.existsSync(this.dir)) return;
    const names = fs
      .readdirSync(this.dir)
      .filter((n) => /^\d{20}$/.test(n))
      .sort();
    for (const n of names) {
      const f = new DataFile(this.dir, Number(n), this.fileSize, false);
      f.wrotePosition = this.fileSize;
      f.flushedPosition = this.fileSize;
      this.files.push(f);
    }
  }

  get last(): DataFile | undefined {
    return this.files[this.files.length - 1];
  }

  get first(): DataFile | undefined {
    return this.files[0];
  }

  create(startOffset: number): DataFile {
    fs.mkdirSync(this.dir, { recursive: true });
    const f = new DataFile(this.dir, startOffset, this.fileSize, true);
    this.files.push(f);
    return f;
  }

  /** The file holding `offset`, or undefined (deleted or never written). */
  findByOffset(offset: number): DataFile | undefined {
    const first = this.files[0];
    if (!first || offset < first.fileFromOffset) return undefined;
    const idx = Math.floor((offset - first.fileFromOffset) / this.fileSize);
    const f = this.files[idx];
    if (f && offset >= f.fileFromOffset && offset < f.fileEndOffset) return f;
    return this.files.find((x) => offset >= x.fileFromOffset && offset < x.fileEndOffset);
  }

  get minOffset(): number {
    return this.files[0]?.fileFromOffset ?? 0;
  }

  get maxWrotePosition(): number {
    const l = this.last;
    return l ? l.fileFromOffset + l.wrotePosition : 0;
  }

  /** Drop every byte at or beyond `offset`: later files are deleted, the tail of the holder is zeroed. */
  truncateFrom(offset: number): void {
    for (let i = this.files.length - 1; i >= 0; i--) {
      const f = this.files[i]!;
      if (f.fileFromOffset >= offset && !(f.fileFromOffset === offset && i === 0)) {
        f.destroy();
        this.files.splice(i, 1);
        continue;
      }
      const pos = offset - f.fileFromOffset;
      if (pos < f.fileSize) {
        zeroDirtyTail(f, pos);
        f.wrotePosition = pos;
        f.flushedPosition = Math.min(f.flushedPosition, pos);
      }
      break;
    }
  }

  /** Remove `f` from the queue and delete it from disk. */
  remove(f: DataFile): void {
    const i = this.files.indexOf(f);
    if (i >= 0) this.files.splice(i, 1);
    f.destroy();
  }

  close(): void {
    for (const f of this.files) f.close();
  }

  destroyAll(): void {
    for (const f of this.files) f.destroy();
    this.files = [];
  }
}

/**
 * Zero the bytes after `pos` up to the first all-zero block: the leftovers of a torn or cut tail. Files
 * are preallocated with zeros and written sequentially, so garbage is one contiguous run after `pos`.
 */
export function zeroDirtyTail(f: DataFile, pos: number): void {
  const block = 64 * 1024;
  const zeros = Buffer.alloc(block);
  // Pages of one write may land out of order on power loss, so keep scanning past a few zero blocks.
  let zeroRun = 0;
  for (let p = pos; p < f.fileSize && zeroRun < 16; p += block) {
    const len = Math.min(block, f.fileSize - p);
    const b = f.read(p, len);
    if (b.equals(zeros.subarray(0, b.length))) {
      zeroRun++;
      continue;
    }
    zeroRun = 0;
    f.writeSync(zeros, 0, len, p);
  }
}
