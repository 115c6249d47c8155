import { existsSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkPidFile, isAlive, listPidFiles } from '../common/pid-file.js';

export interface ShutdownOutcome {
  pid: number;
  pidFile: string;
  /**
   * 'stopped': exited after SIGTERM; 'timeout': still running when the wait ended; 'killed': did not exit
   * within the timeout and was SIGKILLed (only with force).
   */
  result: 'stopped' | 'timeout' | 'killed';
  waitedMs: number;
}

export interface StalePidFile {
  pidFile: string;
  /** The pid the file named, when it named one. */
  pid?: number;
  /** Why it is stale, e.g. "pid 123 is not running" or "pid 123 is now another program: sleep 30". */
  reason: string;
}

export interface ShutdownReport {
  role: string;
  servers: ShutdownOutcome[];
  /** Pid files that named no running server of the role (removed; nothing was signalled). */
  stale: StalePidFile[];
}

/**
 * `mqshutdown` for our servers: finds them through their pid files, checks each pid is still that server
 * (command line and start time) so an unrelated process that got the pid is never signalled, sends SIGTERM
 * (the server flushes, writes its checkpoint, unregisters and exits), and waits until each one is gone.
 */
export async function shutdownServers(opts: {
  role: 'broker' | 'namesrv';
  pidFile?: string;
  timeoutMs?: number;
  force?: boolean;
  /** Told when a server was signalled and is being waited for. */
  onSignalled?: (o: ShutdownOutcome) => void;
}): Promise<ShutdownReport> {
  const files = opts.pidFile ? [opts.pidFile] : listPidFiles(opts.role);
  const report: ShutdownReport = { role: opts.role, servers: [], stale: [] };
  const waits: Promise<void>[] = [];
  for (const pidFile of files) {
    const s = checkPidFile(pidFile, opts.role);
    if (s.state !== 'running') {
      if (s.state === 'unreadable') {
        // A file that does not exist is simply no server; a garbled one is stale.
        if (existsSync(pidFile)) report.stale.push({ pidFile, reason: 'it holds no pid' });
      } else if (s.state === 'gone') {
        report.stale.push({ pidFile, pid: s.pid, reason: `pid ${s.pid} is not running` });
      } else {
        report.stale.push({
          pidFile,
          pid: s.pid,
          reason: `pid ${s.pid} is now another program (${s.command.slice(0, 120)}), left alone`,
        });
      }
      rmSync(pidFile, { force: true });
      continue;
    }
    process.kill(s.pid, 'SIGTERM');
    const outcome: ShutdownOutcome = { pid: s.pid, pidFile, result: 'stopped', waitedMs: 0 };
    report.servers.push(outcome);
    opts.onSignalled?.(outcome);
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
