import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Folder for pid files: MQ_PID_DIR, else ~/.mq. */
export function pidDir(): string {
  return process.env.MQ_PID_DIR || join(homedir(), '.mq');
}

/** `namesrv-9876.pid`, `broker-10911.pid`: one per server, so several can run on one host. */
export function defaultPidFile(role: string, port: number | string): string {
  return join(pidDir(), `${role}-${port}.pid`);
}

/**
 * The file holds the pid alone (what `kill $(cat …)` in ops scripts wants). Its modification time is the
 * other half of the server's identity: the process must have started before the file was written, which a
 * later process given the same pid has not (see checkPidFile).
 */
export function writePidFile(path: string, pid = process.pid): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${pid}\n`);
}

export interface PidFileEntry {
  pid: number;
  /** When the file was written. */
  mtimeMs: number;
}

export function readPidFileEntry(path: string): PidFileEntry | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, mtimeMs: statSync(path).mtimeMs };
  } catch {
    return undefined;
  }
}

/** The pid in the file, or undefined when the file is missing or not a number. */
export function readPidFile(path: string): number | undefined {
  return readPidFileEntry(path)?.pid;
}

export function removePidFile(path: string, onlyIfPid = process.pid): void {
  if (readPidFile(path) === onlyIfPid) rmSync(path, { force: true });
}

/** Pid files of a role in the pid folder (`broker-*.pid`), for `mq shutdown broker`. */
export function listPidFiles(role: string, dir = pidDir()): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.startsWith(`${role}-`) && f.endsWith('.pid'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Start time of a process in clock ticks since boot (Linux /proc), undefined elsewhere or when gone. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) is parenthesised and may hold spaces: count fields from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22, starttime
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** A process's argv (Linux /proc), undefined elsewhere or when gone. */
export function processCommandLine(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  } catch {
    return undefined;
  }
}

/** Boot time, ms since the epoch (/proc/stat btime, whole seconds). */
function bootTimeMs(): number | undefined {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return m ? Number(m[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ: /proc/<pid>/stat counts in these ticks (100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

export type PidFileState =
  | { state: 'running'; pid: number }
  /** No process has the pid any more. */
  | { state: 'gone'; pid: number }
  /** The pid now belongs to another program (or to a later process). */
  | { state: 'other'; pid: number; command: string }
  /** Missing or unreadable file. */
  | { state: 'unreadable' };

/**
 * Is the pid in `path` still the mq `role` server that wrote it? On Linux its command line must be an mq
 * `<role> start` and it must have started before the file was written (/proc/<pid>/stat start time against
 * the file's mtime). Elsewhere only whether the pid is alive can be told.
 */
export function checkPidFile(path: string, role: string): PidFileState {
  const entry = readPidFileEntry(path);
  if (!entry) return { state: 'unreadable' };
  const { pid } = entry;
  if (!isAlive(pid)) return { state: 'gone', pid };
  const argv = processCommandLine(pid);
  if (argv === undefined) {
    // No /proc (macOS, …): trust a live pid; a process gone between the two checks is gone.
    return existsProc() ? { state: 'gone', pid } : { state: 'running', pid };
  }
  const command = argv.join(' ');
  if (!isServerCommand(argv, role)) return { state: 'other', pid, command };
  const started = processStartTicks(pid);
  if (started === undefined) return { state: 'gone', pid };
  const boot = bootTimeMs();
  // btime has whole seconds: allow that much (and a tick) before calling the process younger than the file.
  if (boot !== undefined && boot + (started * 1000) / TICKS_PER_SECOND > entry.mtimeMs + 1010)
    return { state: 'other', pid, command };
  return { state: 'running', pid };
}

function existsProc(): boolean {
  try {
    return statSync('/proc/self').isDirectory();
  } catch {
    return false;
  }
}

/** `node …/run.js broker start …`, `mq namesrv start …`: the role word followed by `start`. */
export function isServerCommand(argv: string[], role: string): boolean {
  for (let i = 1; i + 1 < argv.length; i++) if (argv[i] === role && argv[i + 1] === 'start') return true;
  return false;
}
