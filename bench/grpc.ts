/**
 * gRPC proxy benchmark, local mode: one `mq broker start --enable-proxy` (plus a name server) as child
 * processes; the classic path (our producer, then our push consumer) and the gRPC path (the RocketMQ 5
 * Node.js SDK's Producer, then SimpleConsumer receive + ack) in the same run, on the same broker.
 *
 *   npm run build && node dist/bench/grpc.js [count=20000] [inflight=32] [size=1024]
 *
 * Prints msg/s of each and the proxy's cost (1 - gRPC / classic); the target is ≤ 30 %.
 */

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

const count = Number(process.argv[2] ?? 20_000);
const inflight = Number(process.argv[3] ?? 32);
const size = Number(process.argv[4] ?? 1024);

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
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
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
    });
    procs.push(b.proc);
    const endpoints = `127.0.0.1:${grpcPort}`;
    const stamp = Date.now();
    const classicTopic = `BenchClassic_${stamp}`;
    const grpcTopic = `BenchGrpc_${stamp}`;
    for (const topic of [classicTopic, grpcTopic]) {
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
    // A POP group starts at the newest message: commit offset 0 so it reads what the bench sends.
    for (let q = 0; q < 4; q++)
      await client.invoke(
        b.addr,
        createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, {
          consumerGroup: group,
          topic: grpcTopic,
          queueId: q,
          commitOffset: 0,
        }),
        5000,
      );
    console.log(
      `${count} messages of ${size} B, ${inflight} sends in flight, broker with --enable-proxy (local mode)`,
    );

    const p = await benchmarkProducer({
      namesrvAddr: ns.addr,
      topic: classicTopic,
      inflight,
      bodySize: size,
      count,
    });
    const classicSend = p.sendTps;
    const cc = await benchmarkConsumer({
      namesrvAddr: ns.addr,
      topic: classicTopic,
      group: `bench_classic_${stamp}`,
      count: p.totalSent,
      fromFirst: true,
      durationMs: 180_000,
    });
    const classicConsume = cc.consumeTps;
    const grpcSendTps = await grpcSend(endpoints, grpcTopic);
    const grpcConsume = await grpcReceiveAck(endpoints, grpcTopic, group, count);
    const cost = (g: number, c: number) => `${Math.round((1 - g / c) * 100)} %`;
    console.log(
      `send:          classic ${classicSend} msg/s   gRPC ${grpcSendTps} msg/s   proxy cost ${cost(grpcSendTps, classicSend)}`,
    );
    console.log(
      `consume:       classic push ${classicConsume} msg/s   gRPC receive+ack ${grpcConsume} msg/s   proxy cost ${cost(grpcConsume, classicConsume)}`,
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
