import * as fs from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * One writer per store directory. Java takes a file lock on `<storePathRootDir>/lock` at start ("Lock
 * failed,MQ already started"); Node has no flock, so the same file holds the owner's pid instead, created
 * exclusively. A lock whose pid is gone (the broker was killed) is stale and taken over; so is Java's own
 * lock file (it holds the text "lock", not a pid). Two stores of one process on one directory are refused
 * too: the second would cut the first one's files at recovery.
 */
const heldInThisProcess = new Set<string>();

export class StoreLockError extends Error {}

export class StoreLock {
  private held = false;
  private readonly path: string;
  private readonly key: string;

  constructor(rootDir: string) {
    this.key = resolve(rootDir);
    this.path = join(this.key, 'lock');
  }

  /** Take the lock or throw StoreLockError naming the process that has it. */
  acquire(): void {
    if (heldInThisProcess.has(this.key)) {
      throw new StoreLockError(`store ${this.key} is already open in this process (pid ${process.pid})`);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        fs.writeFileSync(this.path, `${process.pid}\n`, { flag: 'wx' });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      }
      const owner = readOwner(this.path);
      if (owner !== null && owner !== process.pid && isAlive(owner)) {
        throw new StoreLockError(
          `store ${this.key} is in use by process ${owner} (lock file ${this.path}); stop that broker first, ` +
            'or delete the lock file if that process is not a broker',
        );
      }
      fs.rmSync(this.path, { force: true }); // stale: its owner is gone
    }
    heldInThisProcess.add(this.key);
    this.held = true;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    heldInThisProcess.delete(this.key);
    if (readOwner(this.path) === process.pid) fs.rmSync(this.path, { force: true });
  }
}

function readOwner(path: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
  return /^\d+$/.test(text) ? Number(text) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}
