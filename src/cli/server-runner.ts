import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { flushLoggers, logDir } from '../engine/common/logger.js';
import {
  checkPidFile,
  isAlive,
  readPidFile,
  removePidFile,
  writePidFile,
} from '../engine/common/pid-file.js';

export interface RunningServer {
  /** Printed on stdout once the server listens, e.g. "The Name Server boot success. ..." */
  bootLine: string;
  /** Graceful stop: stop accepting, flush, unregister. */
  stop(): Promise<void>;
}

export interface ServerRunOptions {
  role: string;
  daemon: boolean;
  pidFile: string;
  start(): Promise<RunningServer>;
  /** stdout writer (the command's log). */
  log(line: string): void;
}

/**
 * Runs a server the way ops scripts expect: foreground by default (graceful on SIGTERM/SIGINT, pid file
 * written while running), or `--daemon`: the same command re-spawned detached, returning once the child
 * has written its pid file.
 */
export async function runServer(opts: ServerRunOptions): Promise<{ pid: number; pidFile: string }> {
  // Only a live mq server of this role blocks the start: a stale file (pid gone or reused) is overwritten.
  const running = checkPidFile(opts.pidFile, opts.role);
  if (running.state === 'running' && running.pid !== process.pid) {
    throw new Error(`a ${opts.role} is already running with pid ${running.pid} (pid file ${opts.pidFile})`);
  }
  if (opts.daemon) return spawnDaemon(opts);

  const server = await opts.start();
  writePidFile(opts.pidFile);
  opts.log(server.bootLine);

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${opts.role}: ${signal} again, exiting now\n`);
      process.exit(130);
    }
    stopping = server
      .stop()
      .catch((e) => {
        process.stderr.write(`${opts.role}: error while stopping: ${(e as Error).message}\n`);
      })
      .finally(() => {
        removePidFile(opts.pidFile);
        opts.log(`The ${opts.role} shutdown OK (${signal})`);
        flushLoggers();
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return { pid: process.pid, pidFile: opts.pidFile };
}

async function spawnDaemon(opts: ServerRunOptions): Promise<{ pid: number; pidFile: string }> {
  const args = process.argv.slice(1).filter((a) => a !== '--daemon' && a !== '-d');
  mkdirSync(logDir(), { recursive: true });
  const out = openSync(join(logDir(), `${opts.role}.out`), 'a');
  // node's spawn with plain fds: execa's {file} stdio pipes through this process and kept it alive until
  // the daemon exited (and its types refuse a runtime fd number).
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out] });
  child.on('error', () => {}); // a failed spawn shows as a missing pid below
  child.unref();
  closeSync(out);
  const pid = child.pid;
  if (!pid) throw new Error(`could not start the ${opts.role} in the background`);
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (readPidFile(opts.pidFile) === pid) {
      opts.log(`The ${opts.role} is running in the background, pid ${pid} (pid file ${opts.pidFile})`);
      return { pid, pidFile: opts.pidFile };
    }
    if (!isAlive(pid)) break;
    await sleep(100);
  }
  throw new Error(`the ${opts.role} did not start; see ${join(logDir(), `${opts.role}.out`)}`);
}
