// Real child processes for HA integration tests: `node bin/run.js namesrv start` and `broker start -c`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file runs from dist/test/ha). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RUN_JS = join(REPO, 'bin', 'run.js');

export interface Proc {
  name: string;
  child: ChildProcess;
  out: string[];
  /** Resolves with the exit code/signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node bin/run.js …args` and resolves once stdout matches `ready` (rejects on exit or timeout). */
export async function startProc(
  name: string,
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
  /** Command prefix, e.g. `['ip', 'netns', 'exec', 'ns1']` (it must exec node in place). */
  wrap: string[] = [],
): Promise<{ proc: Proc; match: RegExpMatchArray }> {
  const argv = [...wrap, process.execPath, RUN_JS, ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: REPO,
    env: { ...process.env, MQ_LOG_LEVEL: process.env.MQ_LOG_LEVEL ?? 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  const proc: Proc = { name, child, out, exited };
  const match = await new Promise<RegExpMatchArray>((res, rej) => {
    let buf = '';
    const timer = setTimeout(
      () => rej(new Error(`${name}: not ready after ${timeoutMs} ms:\n${out.join('')}`)),
      timeoutMs,
    );
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
    child.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`${name} exited (${code ?? signal}) before ready:\n${out.join('')}`));
    });
  });
  return { proc, match };
}

/** SIGKILL (or another signal) and wait for the exit. */
export async function killProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await p.exited;
}

/** Stops a possibly SIGSTOPped process for good. */
export async function reapProc(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGCONT');
  await killProc(p, 'SIGKILL');
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

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface NamesrvHandle {
  proc: Proc;
  addr: string;
}

export async function startNamesrv(
  dir: string,
  opts: { port?: number; host?: string; wrap?: string[] } = {},
): Promise<NamesrvHandle> {
  const { proc, match } = await startProc(
    'namesrv',
    ['namesrv', 'start', '--port', String(opts.port ?? 0), '--pid-file', join(dir, 'namesrv.pid')],
    /listening on [^\s:]+:(\d+)/,
    { MQ_LOG_DIR: join(dir, 'logs-namesrv') },
    20_000,
    opts.wrap,
  );
  return { proc, addr: `${opts.host ?? '127.0.0.1'}:${match[1]}` };
}

export interface BrokerSpec {
  name: string;
  namesrvAddr: string;
  brokerName: string;
  brokerId: number;
  brokerRole: 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';
  listenPort: number;
  storeDir: string;
  extra?: Record<string, string | number | boolean>;
  /** brokerIP1/brokerIP2 (default 127.0.0.1). */
  ip?: string;
  /** Command prefix to run the broker under (network namespaces). */
  wrap?: string[];
}

export interface BrokerHandle {
  proc: Proc;
  spec: BrokerSpec;
  addr: string;
  confFile: string;
}

/** Writes `<storeDir>.conf` (broker.conf syntax) for the spec. */
export function writeBrokerConf(spec: BrokerSpec): string {
  const lines: Record<string, string | number | boolean> = {
    brokerClusterName: 'HaCluster',
    brokerName: spec.brokerName,
    brokerId: spec.brokerId,
    brokerRole: spec.brokerRole,
    flushDiskType: 'ASYNC_FLUSH',
    namesrvAddr: spec.namesrvAddr,
    brokerIP1: spec.ip ?? '127.0.0.1',
    brokerIP2: spec.ip ?? '127.0.0.1',
    listenPort: spec.listenPort,
    storePathRootDir: spec.storeDir,
    storePathCommitLog: join(spec.storeDir, 'commitlog'),
    autoCreateTopicEnable: true,
    // Small files keep temp stores small; 1 MiB also exercises replication across file boundaries.
    mappedFileSizeCommitLog: 1024 * 1024,
    ...spec.extra,
  };
  const file = `${spec.storeDir}.conf`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${Object.entries(lines)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  return file;
}

/** Starts `mq broker start -c <conf>` and waits for its boot line. */
export async function startBroker(spec: BrokerSpec, confFile = writeBrokerConf(spec)): Promise<BrokerHandle> {
  const { proc } = await startProc(
    spec.name,
    ['broker', 'start', '-c', confFile, '--pid-file', `${spec.storeDir}.pid`],
    /boot success/,
    { MQ_LOG_DIR: `${spec.storeDir}-logs` },
    20_000,
    spec.wrap,
  );
  return { proc, spec, addr: `${spec.ip ?? '127.0.0.1'}:${spec.listenPort}`, confFile };
}

/** Polls `check` every `everyMs` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
