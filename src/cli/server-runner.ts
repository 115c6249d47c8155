import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeLoggers, logDir } from '../engine/common/logger.js';
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
  /** Printed under the boot line: where it logs, its ports, store, role, address (summaryLines). */
  details?: string[];
  /** Problems it started with anyway (a name server it cannot reach), each printed on stderr. */
  warnings?: string[];
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

  // The handlers go in before the start: a script that sends SIGTERM as soon as it reads the boot line must
  // get a graceful stop, never node's default (killed by the signal, stop-time lines and pid file left).
  let server: RunningServer | undefined;
  let pending: string | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    if (!server) {
      pending ??= signal; // still starting: stopped as soon as it is up
      return;
    }
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
        return closeLoggers().catch(() => {});
      })
      .finally(() => process.exit(0));
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  try {
    server = await opts.start();
  } catch (err) {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    throw err;
  }
  writePidFile(opts.pidFile);
  // In the same tick as the pid file: a --daemon parent relays these lines once the pid file appears.
  opts.log(server.bootLine);
  for (const line of server.details ?? []) opts.log(line);
  for (const w of server.warnings ?? []) process.stderr.write(`${opts.role}: ${w}\n`);
  if (pending) stop(pending);
  return { pid: process.pid, pidFile: opts.pidFile };
}

async function spawnDaemon(opts: ServerRunOptions): Promise<{ pid: number; pidFile: string }> {
  const args = process.argv.slice(1).filter((a) => a !== '--daemon' && a !== '-d');
  mkdirSync(logDir(), { recursive: true });
  const outFile = join(logDir(), `${opts.role}.out`);
  const out = openSync(outFile, 'a');
  // What this start adds to the .out file: relayed once the daemon is up, or shown when it died.
  const from = statSync(outFile).size;
  const output = () => readFileSync(outFile).subarray(from).toString().trimEnd();
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
      for (let i = 0; i < 20 && !output(); i++) await sleep(50);
      relay(output(), opts);
      opts.log(`The ${opts.role} is running in the background, pid ${pid} (pid file ${opts.pidFile})`);
      return { pid, pidFile: opts.pidFile };
    }
    if (!isAlive(pid)) break;
    await sleep(100);
  }
  const said = output();
  if (said) process.stderr.write(`${said}\n`);
  const reason = said
    .split('\n')
    .at(-1)
    ?.replace(/^[\w ]+: /, '');
  throw new Error(
    `the ${opts.role} did not start${reason ? `: ${reason}` : isAlive(pid) ? ' within 15 s' : ''} (output in ${outFile})`,
  );
}

/**
 * The daemon's start output, as a foreground start prints it: its own warnings on stderr, the rest on stdout.
 * Leading `<role>: ` lines (config warnings) were printed already by this process, which read the config too.
 */
function relay(text: string, opts: ServerRunOptions): void {
  const lines = text ? text.split('\n') : [];
  const first = lines.findIndex((l) => !l.startsWith(`${opts.role}: `));
  for (const line of first < 0 ? [] : lines.slice(first)) {
    if (line.startsWith(`${opts.role}: `)) process.stderr.write(`${line}\n`);
    else opts.log(line);
  }
}
