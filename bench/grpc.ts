/**
 * gRPC proxy benchmark, local mode: one `mq broker start --enable-proxy` (plus a name server) as child
 * processes; the classic path (our producer, then our push consumer) and the gRPC path (the RocketMQ 5
 * Node.js SDK's Producer, then SimpleConsumer receive + ack) in the same run, on the same broker.
 *
 *   npm run build && node dist/bench/grpc.js [count=20000] [inflight=32] [size=1024]
 *
 * Prints msg/s of each and the proxy's cost (1 - gRPC / classic); the target is ≤ 30 %.
 */

import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import rmq from 'rocketmq-client-nodejs';
import { benchmarkConsumer, benchmarkProducer } from '../src/engine/client/tools/benchmark.js';
import { createRequest } from '../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../src/engine/protocol/request-code.js';
import { RemotingClient } from '../src/engine/remoting/index.js';
import {
  freePortPair,
  type Proc,
  removeDir,
  startBroker,
  startNamesrv,
  stopProc,
  tempDir,
} from '../test/helpers/servers.js';
import { rawGrpcReceiveAck, rawGrpcSend } from './grpc-raw.js';
import { cpuMs } from './proc-stats.js';

const count = Number(process.argv[2] ?? 20_000);
const inflight = Number(process.argv[3] ?? 32);
const size = Number(process.argv[4] ?? 1024);

const profDir = process.env.MQ_BENCH_CPU_PROF;

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

async function grpcSend(endpoints: string, topic: string): Promise<number> {
  const producer = new rmq.Producer({ endpoints, namespace: '', topics: [topic], logger: quiet });
  await producer.startup();
  const body = Buffer.alloc(size, 'a');
  let next = 0;
  let failed = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < count) {
        next++;
        await producer.send({ topic, body }).catch(() => failed++);
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await producer.shutdown();
  if (failed) console.log(`  gRPC send: ${failed} failed`);
  return Math.round(((count - failed) * 1000) / ms);
}

/** Receivers in parallel (each a batch of up to 32, then acks), until `total` messages were acked. */
async function grpcReceiveAck(
  endpoints: string,
  topic: string,
  group: string,
  total: number,
): Promise<number> {
  const consumer = new rmq.SimpleConsumer({
    endpoints,
    namespace: '',
    consumerGroup: group,
    subscriptions: new Map([[topic, '*']]),
    awaitDuration: 5000,
    logger: quiet,
  });
  await consumer.startup();
  let acked = 0;
  // The clock stops at the last ack: receivers still in a long poll on an empty queue then are not timed.
  let tEnd: bigint | undefined;
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + 180_000;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (acked < total && Date.now() < deadline) {
        // biome-ignore lint/suspicious/noExplicitAny: the SDK's message views
        let msgs: any[] = [];
        try {
          msgs = await consumer.receive(32, 30_000);
        } catch {
          continue; // MESSAGE_NOT_FOUND: poll again
        }
        await Promise.all(msgs.map((m) => consumer.ack(m)));
        acked += msgs.length;
        if (acked >= total) tEnd ??= process.hrtime.bigint();
      }
    }),
  );
  const ms = Number((tEnd ?? process.hrtime.bigint()) - t0) / 1e6;
  await consumer.shutdown();
  return Math.round((acked * 1000) / ms);
}

async function main(): Promise<void> {
  const dir = tempDir('mq-bench-grpc-');
  const procs: Proc[] = [];
  const client = new RemotingClient({ idleMs: 0 });
  try {
    const env = { MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: join(dir, 'pids'), MQ_LOG_LEVEL: 'warn' };
    process.env.MQ_LOG_DIR = env.MQ_LOG_DIR;
    const ns = await startNamesrv(dir, { env });
    procs.push(ns.proc);
    const grpcPort = await freePortPair();
    const b = await startBroker({
      confFile: join(dir, 'broker.conf'),
      conf: { brokerName: 'broker-a', listenPort: 0, storePathRootDir: join(dir, 'store') },
      args: ['-n', ns.addr, '--enable-proxy', '--grpc-port', String(grpcPort)],
      env,
      // MQ_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the broker (and its proxy), written when it stops.
      wrap: profDir ? ['sh', '-c', `exec "$0" --cpu-prof --cpu-prof-dir=${profDir} "$@"`] : undefined,
    });
    procs.push(b.proc);
    const endpoints = `127.0.0.1:${grpcPort}`;
    const stamp = Date.now();
    const classicTopic = `BenchClassic_${stamp}`;
    const grpcTopic = `BenchGrpc_${stamp}`;
    const rawTopic = `BenchGrpcRaw_${stamp}`;
    for (const topic of [classicTopic, grpcTopic, rawTopic]) {
      const r = await client.invoke(
        b.addr,
        createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
          topic,
          defaultTopic: 'TBW102',
          readQueueNums: 4,
          writeQueueNums: 4,
          perm: 6,
          topicFilterType: 'SINGLE_TAG',
          topicSysFlag: 0,
          order: false,
        }),
        5000,
      );
      if (r.code !== 0) throw new Error(`create topic ${topic}: ${r.remark}`);
    }
    const group = `bench_grpc_${stamp}`;
    const rawGroup = `bench_grpc_raw_${stamp}`;
    // A POP group starts at the newest message: commit offset 0 so it reads what the bench sends.
    for (const [g, topic] of [
      [group, grpcTopic],
      [rawGroup, rawTopic],
    ] as const)
      for (let q = 0; q < 4; q++)
        await client.invoke(
          b.addr,
          createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, {
            consumerGroup: g,
            topic,
            queueId: q,
            commitOffset: 0,
          }),
          5000,
        );
    console.log(
      `${count} messages of ${size} B, ${inflight} sends in flight, broker with --enable-proxy (local mode)`,
    );

    const brokerPid = b.proc.child.pid ?? 0;
    /** Runs one phase; its rate and the CPU (µs per message) the broker and this client spent on it. */
    const phase = async (run: () => Promise<number>) => {
      const b0 = cpuMs(brokerPid);
      const c0 = process.cpuUsage();
      const tps = await run();
      const c1 = process.cpuUsage(c0);
      const per = (ms: number) => Math.round((ms * 1000) / count);
      return { tps, broker: per(cpuMs(brokerPid) - b0), client: per((c1.user + c1.system) / 1000) };
    };
    let sent = count;
    const classicSend = await phase(async () => {
      const p = await benchmarkProducer({
        namesrvAddr: ns.addr,
        topic: classicTopic,
        inflight,
        bodySize: size,
        count,
      });
      sent = p.totalSent;
      return p.sendTps;
    });
    const classicConsume = await phase(
      async () =>
        (
          await benchmarkConsumer({
            namesrvAddr: ns.addr,
            topic: classicTopic,
            group: `bench_classic_${stamp}`,
            count: sent,
            fromFirst: true,
            durationMs: 180_000,
          })
        ).consumeTps,
    );
    const sdkSend = await phase(() => grpcSend(endpoints, grpcTopic));
    const sdkConsume = await phase(() => grpcReceiveAck(endpoints, grpcTopic, group, count));
    const rawSend = await phase(async () => {
      const r = await rawGrpcSend(endpoints, rawTopic, count, inflight, size);
      if (r.failed) console.log(`  grpc-js direct send: ${r.failed} failed`);
      return r.tps;
    });
    const rawConsume = await phase(
      async () => (await rawGrpcReceiveAck(endpoints, rawTopic, rawGroup, count)).tps,
    );
    const cost = (g: number, c: number) => `${Math.round((1 - g / c) * 100)} %`;
    const row = (name: string, r: { tps: number; broker: number; client: number }, base?: number) =>
      console.log(
        `${name.padEnd(34)} ${String(r.tps).padStart(7)} msg/s  broker ${String(r.broker).padStart(4)} µs/msg  client ${String(r.client).padStart(4)} µs/msg${base ? `  proxy cost ${cost(r.tps, base)}` : ''}`,
      );
    row('send, classic producer', classicSend);
    row('send, gRPC SDK producer', sdkSend, classicSend.tps);
    row('send, gRPC grpc-js direct', rawSend, classicSend.tps);
    row('consume, classic push', classicConsume);
    row('receive+ack, gRPC SDK simple', sdkConsume, classicConsume.tps);
    row('receive+ack, gRPC grpc-js direct', rawConsume, classicConsume.tps);
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${availableParallelism()} cores`,
    );
  } finally {
    await client.close();
    for (const pr of procs.reverse()) await stopProc(pr);
    removeDir(dir);
  }
  // The SDK leaves timers behind after shutdown.
  setTimeout(() => process.exit(0), 500).unref();
}

await main();
