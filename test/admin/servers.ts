// Real servers for the admin tests: `node bin/run.js namesrv start` and `broker start -c <conf>` as child
// processes on free ports with temp stores, plus a runner for `node bin/run.js <mqadmin command>`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RUN_JS = join(REPO, 'bin', 'run.js');

export interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Spawns `node bin/run.js …args`; resolves with the first match of `ready` on stdout. */
export async function spawnServer(
  args: string[],
  ready: RegExp,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ server: Server; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [RUN_JS, ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const server: Server = { child, output: () => out, exited };
  const match = await new Promise<RegExpMatchArray>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`not ready after ${timeoutMs} ms: ${args.join(' ')}\n${out}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        res(m);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`exited (${code}) before ready: ${args.join(' ')}\n${out}`));
    });
  });
  return { server, match };
}

export async function stopServer(s: Server | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill(signal);
  const t = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
  await s.exited;
  clearTimeout(t);
}

function listenOnce(port: number): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(port, '0.0.0.0', () => {
      const a = srv.address();
      srv.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A free port whose successor is free too (broker listenPort + HA port). */
export async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await listenOnce(0);
    if (p >= 65535) continue;
    try {
      await listenOnce(p + 1);
      return p;
    } catch {
      // taken: try another
    }
  }
  throw new Error('no free port pair');
}

export interface Cluster {
  dir: string;
  namesrv: Server;
  namesrvAddr: string;
  broker?: Server;
  brokerAddr: string;
  brokerName: string;
  clusterName: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** One name server and (optionally) one master broker, in a temp dir that is removed by stop(). */
export async function startCluster(opts: { broker?: boolean; brokerName?: string } = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mq-admin-test-'));
  // HOME in the temp dir keeps logs, pid files and namesrv config out of the user's home.
  const env = { HOME: dir, MQ_PID_DIR: join(dir, 'pids'), MQ_LOG_LEVEL: 'warn', NAMESRV_ADDR: '' };
  writeFileSync(
    join(dir, 'namesrv.properties'),
    `kvConfigPath=${join(dir, 'kvConfig.json')}\nconfigStorePath=${join(dir, 'namesrv.properties')}\n`,
  );
  const ns = await spawnServer(
    [
      'namesrv',
      'start',
      '-c',
      join(dir, 'namesrv.properties'),
      '--port',
      '0',
      '--pid-file',
      join(dir, 'ns.pid'),
    ],
    /listening on [^:\s]+:(\d+)/,
    env,
  );
  const namesrvAddr = `127.0.0.1:${ns.match[1]}`;
  const brokerName = opts.brokerName ?? 'broker-a';
  const clusterName = 'AdminTestCluster';
  const cluster: Cluster = {
    dir,
    namesrv: ns.server,
    namesrvAddr,
    brokerAddr: '',
    brokerName,
    clusterName,
    env,
    async stop() {
      await stopServer(cluster.broker);
      await stopServer(cluster.namesrv);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (opts.broker !== false) {
    try {
      await startBroker(cluster);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }
  return cluster;
}

export async function startBroker(c: Cluster): Promise<void> {
  const port = await freePortPair();
  const conf = join(c.dir, 'broker.conf');
  writeFileSync(
    conf,
    [
      `brokerClusterName=${c.clusterName}`,
      `brokerName=${c.brokerName}`,
      'brokerId=0',
      `namesrvAddr=${c.namesrvAddr}`,
      `listenPort=${port}`,
      'brokerIP1=127.0.0.1',
      `storePathRootDir=${join(c.dir, 'store')}`,
      `storePathCommitLog=${join(c.dir, 'store', 'commitlog')}`,
      'autoCreateTopicEnable=true',
      'autoCreateSubscriptionGroup=true',
      'flushDiskType=ASYNC_FLUSH',
      '',
    ].join('\n'),
  );
  const b = await spawnServer(
    ['broker', 'start', '-c', conf, '--pid-file', join(c.dir, 'broker.pid')],
    /boot success/,
    c.env,
  );
  c.broker = b.server;
  c.brokerAddr = `127.0.0.1:${port}`;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/run.js …args` (piped, so mqadmin's plain text) against the cluster's name server. */
export function mq(
  c: Cluster | null,
  args: string[],
  extraEnv: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<RunResult> {
  const env = { ...process.env, ...(c?.env ?? {}), MQ_PLAIN: '1', ...extraEnv };
  const full = c ? [...args, '-n', c.namesrvAddr] : args;
  return new Promise((res) => {
    execFile(
      process.execPath,
      [RUN_JS, ...full],
      { cwd: REPO, env, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        res({ code, stdout, stderr });
      },
    );
  });
}

/** Runs with --json and parses stdout (asserting the exit code). */
export async function mqJson<T = unknown>(c: Cluster | null, args: string[], expectCode = 0): Promise<T> {
  const r = await mq(c, [...args, '--json']);
  if (r.code !== expectCode)
    throw new Error(`${args.join(' ')} exited ${r.code}, expected ${expectCode}\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Polls `fn` until it returns a truthy value (or throws after timeoutMs). */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
