// Real servers for integration tests and benchmarks: `node bin/run.js namesrv start` and
// `broker start -c <conf>` as child processes on free ports, in temp dirs, stopped by SIGTERM then SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Logs, pid files and HOME of this test process and the servers it starts go to its own temp dir.
import { childEnv } from './sandbox.js';

/** Repository root (this file runs from dist/test/helpers). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RUN_JS = join(REPO, 'bin', 'run.js');

/** The name server's boot line; group 1 is the port. */
export const NAMESRV_READY = /The Name Server boot success\. serializeType=JSON, listening on [^\s:]+:(\d+)/;
/** The broker's boot line; group 1 is its address (brokerIP1:listenPort). */
export const BROKER_READY = /The broker\[[^,]+, ([\d.]+:\d+)\] boot success/;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  /** stdout and stderr chunks in arrival order. */
  out: string[];
  output(): string;
  /** stderr only. */
  stderr(): string;
  exited: Promise<Exit>;
}

export interface ProcOptions {
  /** Added to (or, when undefined, removed from) this process's environment. */
  env?: Record<string, string | undefined>;
  /** How long to wait for the ready line (default 20 s). */
  timeoutMs?: number;
  /** Command prefix, e.g. `['ip', 'netns', 'exec', 'ns1']` (it must exec node in place). */
  wrap?: string[];
}

/** Spawns `node bin/run.js …args` and resolves once stdout matches `ready` (rejects on exit or timeout). */
export async function startProc(
  name: string,
  args: string[],
  ready: RegExp,
  opts: ProcOptions = {},
): Promise<{ proc: Proc; match: RegExpMatchArray }> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const argv = [...(opts.wrap ?? []), process.execPath, RUN_JS, ...args];
  const env = childEnv({ ...process.env, ...opts.env });
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  const exited = new Promise<Exit>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const proc: Proc = {
    name,
    child,
    out,
    output: () => out.join(''),
    stderr: () => err.join(''),
    exited,
  };
  child.stderr!.on('data', (d: Buffer) => {
    const s = d.toString();
    out.push(s);
    err.push(s);
  });
  const match = await new Promise<RegExpMatchArray>((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`${name} (${args.join(' ')}): not ready after ${timeoutMs} ms:\n${proc.output()}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      const s = d.toString();
      out.push(s);
      buf += s;
      const m = buf.match(ready);
      if (m) {
        clearTimeout(timer);
        res(m);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(
        new Error(`${name} (${args.join(' ')}) exited (${code ?? signal}) before ready:\n${proc.output()}`),
      );
    });
  });
  return { proc, match };
}

const running = (p: Proc): boolean => p.child.exitCode === null && p.child.signalCode === null;

/** SIGTERM (a graceful shutdown), then SIGKILL if it has not exited after `graceMs`. */
export async function stopProc(p: Proc | undefined, graceMs = 10_000): Promise<Exit | undefined> {
  if (!p) return undefined;
  if (!running(p)) return p.exited;
  p.child.kill('SIGCONT'); // a SIGSTOPped process would never handle SIGTERM
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const exit = await p.exited;
  clearTimeout(t);
  return exit;
}

/** SIGKILL (or another signal) and wait for the exit. */
export async function killProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!p || !running(p)) return;
  p.child.kill(signal);
  await p.exited;
}

/** Stops a possibly SIGSTOPped process for good. */
export async function reapProc(p: Proc | undefined): Promise<void> {
  if (!p || !running(p)) return;
  p.child.kill('SIGCONT');
  await killProc(p, 'SIGKILL');
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

function tryListen(port: number): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(port, '0.0.0.0', () => {
      const a = s.address();
      const p = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(p));
    });
  });
}

/** A free port p with p+1 also free (a broker's listenPort and its HA port listenPort+1). */
export async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await tryListen(0);
    if (p >= 65535) continue;
    try {
      await tryListen(p + 1);
      return p;
    } catch {
      // taken: try another
    }
  }
  throw new Error('no free port pair');
}

/** A broker port p with p-2 (its VIP channel) and p+1 (HA) free too. */
export async function freeBrokerPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await freePortPair();
    if (p < 3) continue;
    try {
      await tryListen(p - 2);
      return p;
    } catch {
      // p-2 taken: try another pair
    }
  }
  throw new Error('no free broker port (p-2, p, p+1)');
}

export type Conf = Record<string, string | number | boolean>;

/** Writes `key=value` lines (broker.conf / namesrv.properties syntax); returns the file. */
export function writeConf(file: string, conf: Conf): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${Object.entries(conf)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  return file;
}

export interface NamesrvOptions extends ProcOptions {
  /** --port (default 0: any free port). */
  port?: number;
  /** The host in the returned address (default 127.0.0.1). */
  host?: string;
  /** Properties for `-c <dir>/namesrv.properties`, e.g. kvConfigPath (none: no -c). */
  conf?: Conf;
  /** Default `<dir>/namesrv.pid`. */
  pidFile?: string;
}

export interface NamesrvHandle {
  proc: Proc;
  addr: string;
  port: number;
}

/** `mq namesrv start` with its pid file (and config, if any) in `dir`. */
export async function startNamesrv(dir: string, opts: NamesrvOptions = {}): Promise<NamesrvHandle> {
  const args = ['namesrv', 'start', '--port', String(opts.port ?? 0)];
  if (opts.conf) args.push('-c', writeConf(join(dir, 'namesrv.properties'), opts.conf));
  args.push('--pid-file', opts.pidFile ?? join(dir, 'namesrv.pid'));
  const { proc, match } = await startProc('namesrv', args, NAMESRV_READY, opts);
  const port = Number(match[1]);
  return { proc, addr: `${opts.host ?? '127.0.0.1'}:${port}`, port };
}

export interface BrokerOptions extends ProcOptions {
  /**
   * Written as `confFile` first (brokerIP1=127.0.0.1 unless it says otherwise); left out, the file is used
   * as it is (a restart on a kept conf).
   */
  conf?: Conf;
  /** Passed as `-c`. */
  confFile: string;
  /** Default `confFile` with `.pid` for `.conf`. */
  pidFile?: string;
  /** Extra command-line arguments, e.g. `['-n', addr]`. */
  args?: string[];
  /** Name in errors (default the conf's brokerName). */
  name?: string;
}

export interface BrokerHandle {
  proc: Proc;
  /** brokerIP1:listenPort from the boot line. */
  addr: string;
  confFile: string;
}

/** `mq broker start -c <conf>`, resolved at its boot line. */
export async function startBroker(opts: BrokerOptions): Promise<BrokerHandle> {
  // Tests talk to 127.0.0.1 only: an unset brokerIP1 would advertise the host's network address.
  if (opts.conf) writeConf(opts.confFile, { brokerIP1: '127.0.0.1', ...opts.conf });
  const pidFile = opts.pidFile ?? opts.confFile.replace(/(\.conf)?$/, '.pid');
  const { proc, match } = await startProc(
    opts.name ?? String(opts.conf?.brokerName ?? 'broker'),
    ['broker', 'start', '-c', opts.confFile, '--pid-file', pidFile, ...(opts.args ?? [])],
    BROKER_READY,
    opts,
  );
  return { proc, addr: match[1]!, confFile: opts.confFile };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/run.js …args` (or `bin`, e.g. a symlink named mqadmin) to completion (stdout/stderr piped, so commands print plain text), with
 * `env` as the whole environment (default this process's) and `stdin` fed in; rejects after `timeoutMs`.
 */
/**
 * Runs `mq …args` and sends it `signal` once it has printed more than `lines` lines (a user's Ctrl-C or an
 * init system's SIGTERM mid-stream); SIGKILL after `timeoutMs`. Resolves with its exit and output.
 */
export function runCliUntilLines(
  args: string[],
  o: { env: NodeJS.ProcessEnv; lines: number; signal: NodeJS.Signals; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [RUN_JS, ...args], {
      cwd: REPO,
      env: childEnv(o.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!signalled && stdout.split('\n').length > o.lines) {
        signalled = true;
        child.kill(o.signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** The last lines of a log file, for an error message (empty when there is none). */
export function logTail(dir: string | undefined, file: string, lines = 30): string {
  if (!dir) return '';
  try {
    const all = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
    return `\n--- last ${Math.min(lines, all.length)} lines of ${join(dir, file)}:\n${all.slice(-lines).join('\n')}`;
  } catch {
    return '';
  }
}

export function runCli(
  args: string[],
  o: { env?: NodeJS.ProcessEnv; stdin?: string | Buffer; timeoutMs?: number; bin?: string } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [o.bin ?? RUN_JS, ...args], {
      cwd: REPO,
      env: childEnv(o.env ?? process.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `mq ${args.join(' ')} timed out; stdout: ${stdout.slice(-2000)}; stderr: ${stderr.slice(-2000)}` +
            logTail(o.env?.MQ_LOG_DIR ?? process.env.MQ_LOG_DIR, 'rocketmq_client.log'),
        ),
      );
    }, o.timeoutMs ?? 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(o.stdin ?? '');
  });
}
