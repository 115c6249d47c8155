import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createRequest,
  type ExtInput,
  type RemotingCommand,
} from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';

/** Repo root from dist/test/broker/harness.js. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServerProc {
  proc: ChildProcess;
  bootLine: string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Spawns `node bin/run.js <args>` and resolves once its stdout shows the boot line. */
export function spawnServer(
  args: string[],
  env: Record<string, string>,
  bootRe: RegExp,
  timeoutMs = 20_000,
): Promise<ServerProc> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/run.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const stop = async () => {
    if (proc.exitCode !== null) return proc.exitCode;
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(t);
    return code;
  };
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      rej(new Error(`${args.join(' ')} did not boot in ${timeoutMs} ms: ${out} ${err}`));
    }, timeoutMs);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = bootRe.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ proc, bootLine: m[0], stderr: () => err, stop });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${args.join(' ')} exited with ${code} before booting: ${out} ${err}`));
    });
  });
}

export interface Cluster {
  dir: string;
  namesrv: string;
  brokerAddr: string;
  broker: ServerProc;
  namesrvProc: ServerProc;
  client: RemotingClient;
  /** Invoke a request on the broker. */
  call(code: number, ext?: ExtInput, body?: Buffer | null, timeoutMs?: number): Promise<RemotingCommand>;
  createTopic(topic: string, queues: number, extra?: ExtInput): Promise<void>;
  /** Starts the broker again on the same store (after `broker.stop()`); updates brokerAddr. */
  restartBroker(): Promise<void>;
  stop(): Promise<void>;
}

/** A name server and a broker as child processes on free ports, with a temp store; `conf` adds broker.conf lines. */
export async function startCluster(conf: Record<string, string | number | boolean> = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mq-broker-test-'));
  const env = { MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: join(dir, 'pids'), MQ_LOG_LEVEL: 'warn' };
  const namesrvProc = await spawnServer(
    ['namesrv', 'start', '--port', '0'],
    env,
    /The Name Server boot success\. serializeType=JSON, listening on [^:]+:(\d+)/,
  );
  const nsPort = /:(\d+)$/.exec(namesrvProc.bootLine)![1];
  const namesrv = `127.0.0.1:${nsPort}`;
  const lines = {
    brokerClusterName: 'TestCluster',
    brokerName: 'broker-t',
    brokerId: 0,
    listenPort: 0,
    storePathRootDir: join(dir, 'store'),
    mappedFileSizeCommitLog: 64 * 1024 * 1024,
    maxHashSlotNum: 10000,
    maxIndexNum: 40000,
    ...conf,
  };
  const confFile = join(dir, 'broker.conf');
  writeFileSync(
    confFile,
    `${Object.entries(lines)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  const bootBroker = () =>
    spawnServer(
      ['broker', 'start', '-n', namesrv, '-c', confFile, '--pid-file', join(dir, 'broker.pid')],
      env,
      /The broker\[[^,]+, ([\d.]+:\d+)\] boot success\. serializeType=JSON and name server is \S+/,
    );
  let broker: ServerProc;
  try {
    broker = await bootBroker();
  } catch (e) {
    await namesrvProc.stop();
    throw e;
  }
  const addrOf = (p: ServerProc) => /, ([\d.]+:\d+)\]/.exec(p.bootLine)![1]!;
  const client = new RemotingClient({ idleMs: 0 });
  const cluster: Cluster = {
    dir,
    namesrv,
    brokerAddr: addrOf(broker),
    broker,
    namesrvProc,
    client,
    call: (code, ext, body, timeoutMs = 5000) =>
      client.invoke(cluster.brokerAddr, createRequest(code, ext, body ?? null), timeoutMs),
    async restartBroker() {
      cluster.broker = await bootBroker();
      cluster.brokerAddr = addrOf(cluster.broker);
    },
    async createTopic(topic, queues, extra = {}) {
      const r = await cluster.call(RequestCode.UPDATE_AND_CREATE_TOPIC, {
        topic,
        defaultTopic: 'TBW102',
        readQueueNums: queues,
        writeQueueNums: queues,
        perm: 6,
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: 0,
        order: false,
        ...extra,
      });
      if (r.code !== 0) throw new Error(`create topic ${topic}: ${r.code} ${r.remark}`);
    },
    async stop() {
      // ali-ons keeps reconnect timers alive after close(); end this test process once the suite is done.
      setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
      const inner = aliOns().Producer.defaultProducer;
      if (inner) {
        quiet(inner);
        await Promise.race([inner.close().catch(() => {}), sleep(3000)]);
        aliOns().Producer.defaultProducer = null;
      }
      await client.close();
      await cluster.broker.stop();
      await namesrvProc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

// biome-ignore lint/suspicious/noExplicitAny: ali-ons ships no types
export type AliOns = any;

/** ali-ons@3.12.0 (the third-party peer), required from CommonJS. */
export function aliOns(): { Producer: AliOns; Consumer: AliOns; Message: AliOns } {
  const require = createRequire(import.meta.url);
  return require('ali-ons');
}

/** Options that keep ali-ons quiet and quick: fixed name server, no HTTP lookups, short timers. */
export function aliOnsCommon(
  namesrv: string,
  instanceName: string,
  errors: string[] = [],
): Record<string, unknown> {
  const keep = (...a: unknown[]) => {
    const m = a.map(String).join(' ');
    if (!m.includes('%RETRY%') && !m.includes('%DLQ%')) errors.push(m.slice(0, 300));
  };
  return {
    nameSrv: namesrv,
    instanceName,
    clientIP: '127.0.0.1',
    httpclient: {
      async request() {
        throw new Error('httpclient unused: nameSrv is set');
      },
    },
    logger: { info() {}, debug() {}, warn: keep, error: keep },
    pollNameServerInteval: 1000,
    heartbeatBrokerInterval: 1000,
    rebalanceInterval: 1000,
    persistConsumerOffsetInterval: 1000,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until true or the deadline; returns whether it became true. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  stepMs = 100,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(stepMs);
  }
  return cond();
}

/** Routes an ali-ons client's 'error' events to `errors` (else sdk-base prints them to stderr). */
export function quiet(client: AliOns, errors: string[] = []): AliOns {
  client.on('error', (e: Error) => {
    if (!/%RETRY%|%DLQ%/.test(e.message)) errors.push(e.message.slice(0, 300));
  });
  return client;
}

/** Closes ali-ons clients without letting a slow close hang the test. */
export async function closeAll(clients: AliOns[]): Promise<void> {
  // ali-ons's shared inner producer (send-back fallback) has no error listener of its own.
  const inner = aliOns().Producer.defaultProducer;
  if (inner && inner.listenerCount('error') === 0) quiet(inner);
  await Promise.race([Promise.all(clients.map((c) => c.close().catch(() => {}))), sleep(5000)]);
}
