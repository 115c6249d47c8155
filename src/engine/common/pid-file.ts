import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export function writePidFile(path: string, pid = process.pid): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${pid}\n`);
}

/** The pid in the file, or undefined when the file is missing or not a number. */
export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
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
