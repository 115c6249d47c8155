import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  createRequest,
  type ExtInput,
  type RemotingCommand,
} from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import { type Proc, removeDir, startBroker, startNamesrv, stopProc, tempDir } from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

export interface Cluster {
  dir: string;
  namesrv: string;
  brokerAddr: string;
  broker: Proc;
  namesrvProc: Proc;
  client: RemotingClient;
  /** Invoke a request on the broker. */
  call(code: number, ext?: ExtInput, body?: Buffer | null, timeoutMs?: number): Promise<RemotingCommand>;
  createTopic(topic: string, queues: number, extra?: ExtInput): Promise<void>;
  /** One PULL_MESSAGE (no suspend, no commit) of up to 32 messages from queue offset 0. */
  pullFromStart(
    group: string,
    topic: string,
    queueId?: number,
    subscription?: string,
  ): Promise<RemotingCommand>;
  /** Starts the broker again on the same store (after `stopProc(broker)`); updates brokerAddr. */
  restartBroker(): Promise<void>;
  stop(): Promise<void>;
}

/** A name server and a broker as child processes on free ports, with a temp store; `conf` adds broker.conf lines. */
export async function startCluster(conf: Record<string, string | number | boolean> = {}): Promise<Cluster> {
  const dir = tempDir('mq-broker-test-');
  const env = { MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: join(dir, 'pids'), MQ_LOG_LEVEL: 'warn' };
  const ns = await startNamesrv(dir, { env });
  const namesrv = ns.addr;
  const namesrvProc = ns.proc;
  const confFile = join(dir, 'broker.conf');
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
  // A restart keeps broker.conf as the broker may have rewritten it (UPDATE_BROKER_CONFIG).
  const bootBroker = (write: boolean) =>
    startBroker({
      confFile,
      conf: write ? lines : undefined,
      pidFile: join(dir, 'broker.pid'),
      args: ['-n', namesrv],
      env,
    });
  let broker: Proc;
  let brokerAddr: string;
  try {
    ({ proc: broker, addr: brokerAddr } = await bootBroker(true));
  } catch (e) {
    await stopProc(namesrvProc);
    removeDir(dir);
    throw e;
  }
  const client = new RemotingClient({ idleMs: 0 });
  const cluster: Cluster = {
    dir,
    namesrv,
    brokerAddr,
    broker,
    namesrvProc,
    client,
    call: (code, ext, body, timeoutMs = 5000) =>
      client.invoke(cluster.brokerAddr, createRequest(code, ext, body ?? null), timeoutMs),
    async restartBroker() {
      ({ proc: cluster.broker, addr: cluster.brokerAddr } = await bootBroker(false));
    },
    pullFromStart: (group, topic, queueId = 0, subscription = '*') =>
      cluster.call(RequestCode.PULL_MESSAGE, {
        consumerGroup: group,
        topic,
        queueId,
        queueOffset: 0,
        maxMsgNums: 32,
        sysFlag: 4, // subscription only
        commitOffset: 0,
        suspendTimeoutMillis: 0,
        subscription,
        subVersion: Date.now(),
      }),
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
      await stopProc(cluster.broker, 15_000);
      await stopProc(namesrvProc, 15_000);
      removeDir(dir);
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
/** Resolves true once `cond` holds, false if it still does not after `timeoutMs` (callers assert). */
export function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  stepMs = 100,
): Promise<boolean> {
  return pollUntil(cond, { what: 'condition', timeoutMs, everyMs: stepMs }).catch(() => false);
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
