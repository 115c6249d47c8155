import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, listPidFiles, readPidFile } from '../common/pid-file.js';

export interface ShutdownOutcome {
  pid: number;
  pidFile: string;
  /** 'stopped': exited after SIGTERM; 'killed': did not exit within the timeout and was SIGKILLed (only with force). */
  result: 'stopped' | 'timeout' | 'killed';
  waitedMs: number;
}

export interface ShutdownReport {
  role: string;
  servers: ShutdownOutcome[];
  /** Pid files whose process was already gone (removed). */
  stale: string[];
}

/**
 * `mqshutdown` for our servers: finds them through their pid files, sends SIGTERM (the server flushes,
 * writes its checkpoint, unregisters and exits), and waits until each process is gone.
 */
export async function shutdownServers(opts: {
  role: 'broker' | 'namesrv';
  pidFile?: string;
  timeoutMs?: number;
  force?: boolean;
}): Promise<ShutdownReport> {
  const files = opts.pidFile ? [opts.pidFile] : listPidFiles(opts.role);
  const report: ShutdownReport = { role: opts.role, servers: [], stale: [] };
  const waits: Promise<void>[] = [];
  for (const pidFile of files) {
    const pid = readPidFile(pidFile);
    if (!pid || !isAlive(pid)) {
      if (!opts.pidFile || pid) rmSync(pidFile, { force: true });
      report.stale.push(pidFile);
      continue;
    }
    process.kill(pid, 'SIGTERM');
    const outcome: ShutdownOutcome = { pid, pidFile, result: 'stopped', waitedMs: 0 };
    report.servers.push(outcome);
    waits.push(waitForExit(outcome, opts.timeoutMs ?? 60_000, opts.force ?? false));
  }
  await Promise.all(waits);
  return report;
}

async function waitForExit(o: ShutdownOutcome, timeoutMs: number, force: boolean): Promise<void> {
  const started = Date.now();
  while (isAlive(o.pid)) {
    if (Date.now() - started > timeoutMs) {
      if (force) {
        process.kill(o.pid, 'SIGKILL');
        o.result = 'killed';
      } else {
        o.result = 'timeout';
      }
      break;
    }
    await sleep(50);
  }
  o.waitedMs = Date.now() - started;
}
