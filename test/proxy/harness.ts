import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { format } from 'node:util';
import rmq from 'rocketmq-client-nodejs';
import {
  createRequest,
  type ExtInput,
  type RemotingCommand,
} from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import type { RpcHook } from '../../src/engine/remoting/processor-table.js';
import {
  freeBrokerPort,
  freePortPair,
  type Proc,
  removeDir,
  startBroker,
  startNamesrv,
  startProc,
  stopProc,
  tempDir,
} from '../helpers/servers.js';

export const { Producer, SimpleConsumer } = rmq;

/** `mq proxy start`'s boot line; group 1 is the gRPC port. */
export const PROXY_READY = /The proxy boot success\. mode=cluster, gRPC listening on [^\s]+:(\d+)/;
/** `mq broker start --enable-proxy`'s extra line; group 1 is the gRPC port. */
export const LOCAL_PROXY_READY = /gRPC proxy \(local mode\) listening on [^\s]+:(\d+)/;

export type ProxyMode = 'cluster' | 'local';

export interface ProxyCluster {
  dir: string;
  mode: ProxyMode;
  namesrv: string;
  brokerAddr: string;
  /** host:port for the SDK's `endpoints`. */
  endpoints: string;
  broker: Proc;
  /** The proxy process (cluster mode) or the broker itself (local mode). */
  proxy: Proc;
  client: RemotingClient;
  call(code: number, ext?: ExtInput, body?: Buffer | null): Promise<RemotingCommand>;
  /** UPDATE_AND_CREATE_TOPIC on the broker; `attributes` like `+message.type=FIFO`. */
  createTopic(topic: string, queues: number, attributes?: string): Promise<void>;
  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP; `fifo` sets consumeMessageOrderly. */
  createGroup(group: string, opts?: { fifo?: boolean; retryMaxTimes?: number }): Promise<void>;
  /**
   * Commits offset 0 for `group` on every queue of `topic`: its first receive starts at the beginning
   * (a new POP group starts at the newest message, ConsumeInitMode.MAX, as Apache's proxy asks).
   */
  startGroupAtZero(group: string, topic: string, queues?: number): Promise<void>;
  /** An SDK logger writing into this cluster's dir (the SDK's default writes ~/logs/rocketmq). */
  logger(name: string): SdkLogger;
  restartBroker(): Promise<void>;
  stop(): Promise<void>;
}

export interface SdkLogger {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
  debug(...a: unknown[]): void;
}

/**
 * A name server, a broker and a gRPC proxy as real processes: `mq proxy start` beside the broker
 * (cluster mode) or `mq broker start --enable-proxy` (local mode). `conf` adds broker.conf lines.
 */
export async function startProxyCluster(
  mode: ProxyMode,
  conf: Record<string, string | number | boolean> = {},
  opts: { proxyArgs?: string[]; clientHook?: RpcHook } = {},
): Promise<ProxyCluster> {
  const dir = tempDir('mq-proxy-test-');
  const env = { MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: join(dir, 'pids'), MQ_LOG_LEVEL: 'warn' };
  const procs: Proc[] = [];
  try {
    const ns = await startNamesrv(dir, { env });
    procs.push(ns.proc);
    const confFile = join(dir, 'broker.conf');
    const listenPort = await freeBrokerPort();
    const lines = {
      brokerClusterName: 'ProxyCluster',
      brokerName: 'broker-p',
      brokerId: 0,
      listenPort,
      storePathRootDir: join(dir, 'store'),
      mappedFileSizeCommitLog: 64 * 1024 * 1024,
      maxHashSlotNum: 10000,
      maxIndexNum: 40000,
      ...conf,
    };
    // Local mode keeps its gRPC port across broker restarts, so SDK clients reconnect to it.
    const localGrpcPort = mode === 'local' ? await freePortPair() : 0;
    const bootBroker = async (write: boolean) => {
      const args = ['-n', ns.addr];
      if (mode === 'local') args.push('--enable-proxy', '--grpc-port', String(localGrpcPort));
      const b = await startBroker({
        confFile,
        conf: write ? lines : undefined,
        pidFile: join(dir, 'broker.pid'),
        args,
        env,
      });
      let port = 0;
      if (mode === 'local') {
        // The line comes right after the boot line (same tick), maybe in a later chunk.
        for (let i = 0; i < 50 && !LOCAL_PROXY_READY.test(b.proc.output()); i++)
          await new Promise((r) => setTimeout(r, 20));
        const m = b.proc.output().match(LOCAL_PROXY_READY);
        if (!m) throw new Error(`broker printed no local proxy line:\n${b.proc.output()}`);
        port = Number(m[1]);
      }
      return { ...b, port };
    };
    const b = await bootBroker(true);
    procs.push(b.proc);
    let proxy = b.proc;
    let grpcPort = b.port;
    if (mode === 'cluster') {
      const p = await startProc(
        'proxy',
        [
          'proxy',
          'start',
          '-n',
          ns.addr,
          '--grpc-port',
          '0',
          '--pid-file',
          join(dir, 'proxy.pid'),
          ...(opts.proxyArgs ?? []),
        ],
        PROXY_READY,
        { env },
      );
      procs.push(p.proc);
      proxy = p.proc;
      grpcPort = Number(p.match[1]);
    }
    const client = new RemotingClient({ idleMs: 0 });
    if (opts.clientHook) client.registerRpcHook(opts.clientHook);
    const c: ProxyCluster = {
      dir,
      mode,
      namesrv: ns.addr,
      brokerAddr: b.addr,
      endpoints: `127.0.0.1:${grpcPort}`,
      broker: b.proc,
      proxy,
      client,
      call: (code, ext, body) => client.invoke(c.brokerAddr, createRequest(code, ext, body ?? null), 5000),
      async createTopic(topic, queues, attributes) {
        const r = await c.call(RequestCode.UPDATE_AND_CREATE_TOPIC, {
          topic,
          defaultTopic: 'TBW102',
          readQueueNums: queues,
          writeQueueNums: queues,
          perm: 6,
          topicFilterType: 'SINGLE_TAG',
          topicSysFlag: 0,
          order: false,
          attributes,
        });
        if (r.code !== 0) throw new Error(`create topic ${topic}: ${r.code} ${r.remark}`);
      },
      async createGroup(group, opts = {}) {
        const body = Buffer.from(
          JSON.stringify({
            groupName: group,
            consumeEnable: true,
            consumeFromMinEnable: true,
            consumeBroadcastEnable: true,
            consumeMessageOrderly: opts.fifo ?? false,
            retryQueueNums: 1,
            retryMaxTimes: opts.retryMaxTimes ?? 16,
            brokerId: 0,
            whichBrokerWhenConsumeSlowly: 1,
            notifyConsumerIdsChangedEnable: true,
          }),
        );
        const r = await c.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, body);
        if (r.code !== 0) throw new Error(`create group ${group}: ${r.code} ${r.remark}`);
      },
      async startGroupAtZero(group, topic, queues = 1) {
        for (let q = 0; q < queues; q++) {
          const r = await c.call(RequestCode.UPDATE_CONSUMER_OFFSET, {
            consumerGroup: group,
            topic,
            queueId: q,
            commitOffset: 0,
          });
          if (r.code !== 0) throw new Error(`commit offset of ${group}: ${r.code} ${r.remark}`);
        }
      },
      logger(name) {
        const file = join(dir, 'sdk-logs', `${name}.log`);
        mkdirSync(join(dir, 'sdk-logs'), { recursive: true });
        const w =
          (level: string) =>
          (...a: unknown[]) => {
            // The SDK may log after its shutdown, when the test has removed the dir: dropped then.
            try {
              appendFileSync(file, `${new Date().toISOString()} ${level} ${format(...a)}\n`);
            } catch {}
          };
        return { info: w('INFO'), warn: w('WARN'), error: w('ERROR'), debug: () => {} };
      },
      async restartBroker() {
        await stopProc(c.broker, 15_000);
        const nb = await bootBroker(false);
        c.broker = nb.proc;
        c.brokerAddr = nb.addr;
        if (mode === 'local') c.proxy = nb.proc;
      },
      async stop() {
        await client.close();
        if (mode === 'cluster') await stopProc(c.proxy, 15_000);
        await stopProc(c.broker, 15_000);
        await stopProc(ns.proc, 15_000);
        removeDir(dir);
      },
    };
    return c;
  } catch (e) {
    for (const p of procs.reverse()) await stopProc(p);
    removeDir(dir);
    throw e;
  }
}

/**
 * The SDK's gRPC channels and retry timers outlive its shutdown(): once every test of the file is done, the
 * process ends (as the ali-ons tests do). Call at the top level of a test file.
 */
export function endProcessAfterTests(): void {
  after(() => {
    setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
  });
}

export type SdkConsumer = InstanceType<typeof SimpleConsumer>;
export type SdkMessage = InstanceType<typeof rmq.MessageView>;

/** The SDK's receive, with "no message" (MESSAGE_NOT_FOUND, which 1.0.8 throws as NotFoundException) as []. */
export async function receiveSome(
  consumer: SdkConsumer,
  max: number,
  invisibleMs: number,
): Promise<SdkMessage[]> {
  try {
    return await consumer.receive(max, invisibleMs);
  } catch (err) {
    if (
      (err as { code?: number }).code === 40401 ||
      /MESSAGE_NOT_FOUND|no new message|no match/i.test(String(err))
    )
      return [];
    throw err;
  }
}

/** Receives until `n` messages came (or `timeoutMs` passed). */
export async function receiveN(
  consumer: SdkConsumer,
  n: number,
  invisibleMs: number,
  timeoutMs = 40_000,
): Promise<SdkMessage[]> {
  const got: SdkMessage[] = [];
  const until = Date.now() + timeoutMs;
  while (got.length < n && Date.now() < until)
    got.push(...(await receiveSome(consumer, n - got.length, invisibleMs)));
  return got;
}

/** Pulls everything in queue `queueId` of `topic` from offset 0 through the classic protocol (bodies). */
export async function pullBodies(c: ProxyCluster, topic: string, queueId = 0): Promise<string[]> {
  const { decodeRecords } = await import('../../src/engine/protocol/message/index.js');
  const r = await c.call(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'CG_proxy_check',
    topic,
    queueId,
    queueOffset: 0,
    maxMsgNums: 32,
    sysFlag: 4,
    commitOffset: 0,
    suspendTimeoutMillis: 0,
    subscription: '*',
    subVersion: Date.now(),
  });
  return r.code === 0 && r.body ? decodeRecords(r.body).map((m) => m.body.toString()) : [];
}
