import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root, from dist/test/client/servers.js. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RUN = join(ROOT, 'bin', 'run.js');

export interface Cluster {
  dir: string;
  namesrv: string;
  brokers: string[];
  /** Env for child CLI processes (logs in the temp dir). */
  env: NodeJS.ProcessEnv;
  /** SIGKILL one broker (a crash: no unregistration). */
  killBroker(index: number): Promise<void>;
  stop(): Promise<void>;
}

function waitForLine(
  child: ChildProcess,
  re: RegExp,
  what: string,
  timeoutMs = 20000,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start in ${timeoutMs} ms: ${buf}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      buf += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${buf}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Our name server and `brokers` brokers as child processes (`node bin/run.js ... start`) on free ports,
 * stores and logs in a temp dir that `stop()` removes.
 */
export async function startCluster(
  opts: { brokers?: number; brokerConf?: Record<string, string> } = {},
): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mq-client-test-'));
  const env = { ...process.env, MQ_LOG_DIR: join(dir, 'logs'), NO_COLOR: '1' };
  // The client engine in this test process logs there too (not into ~/logs).
  process.env.MQ_LOG_DIR ??= join(dir, 'logs');
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ns = spawn(
      process.execPath,
      [RUN, 'namesrv', 'start', '--port', '0', '--pid-file', join(dir, 'ns.pid')],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(ns);
    const m = await waitForLine(ns, /listening on [^\s]*:(\d+)/, 'namesrv');
    const namesrv = `127.0.0.1:${m[1]}`;
    const brokers: string[] = [];
    const brokerProcs: ChildProcess[] = [];
    for (let i = 0; i < (opts.brokers ?? 1); i++) {
      const name = `broker-${String.fromCharCode(97 + i)}`;
      const conf = {
        brokerClusterName: 'DefaultCluster',
        brokerName: name,
        brokerId: '0',
        listenPort: '0',
        namesrvAddr: namesrv,
        storePathRootDir: join(dir, name),
        brokerIP1: '127.0.0.1',
        ...opts.brokerConf,
      };
      const file = join(dir, `${name}.conf`);
      writeFileSync(
        file,
        Object.entries(conf)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      );
      const b = spawn(
        process.execPath,
        [RUN, 'broker', 'start', '-c', file, '--pid-file', join(dir, `${name}.pid`)],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(b);
      brokerProcs.push(b);
      const bm = await waitForLine(b, /The broker\[[^,]+, ([\d.]+:\d+)\] boot success/, name);
      brokers.push(bm[1]!);
    }
    const killBroker = (i: number) =>
      new Promise<void>((resolve) => {
        const b = brokerProcs[i]!;
        if (b.exitCode !== null || b.signalCode !== null) return resolve();
        b.once('exit', () => resolve());
        b.kill('SIGKILL');
      });
    return { dir, namesrv, brokers, env, killBroker, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Polls `cond` every 50 ms until true or `timeoutMs` passes (then throws `what`). */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
