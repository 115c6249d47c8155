/**
 * Consume benchmark: fills a topic with a backlog (batch sends, 64 per batch) on our name server + broker
 * started as child processes, then drains it with our push consumer (pullBatchSize 32, as Java's default)
 * and prints msg/s, from consumer start and from its first message (start-up and rebalance left out).
 * Then the same backlog in Redis Streams, drained as ../shared/bench's redis-everysec peer does
 * (bench/redis-drain.ts), and both side by side with the ratio and CPU µs per message of server and client.
 *
 *   npm run build && node dist/bench/drain.js [count=500000] [size=1024] [pullBatchSize=32]
 *
 * A pullBatchSize above Java's 32 is what an operator gets by raising the broker's
 * maxTransferCountOnMessageInMemory (and maxTransferBytesOnMessageInMemory to fit) and the consumer's
 * pullBatchSize: the bench sets all three, so the figure is one a deployment could reproduce.
 *
 * BENCH_BROKER_NODE_OPTIONS is passed to the broker as NODE_OPTIONS. BENCH_PROFILE_DIR=DIR profiles the drain
 * alone: after the fill the broker is restarted on its store with `--cpu-prof` (Node 20 refuses it in
 * NODE_OPTIONS) into DIR, and the consumer's drain is profiled in-process into DIR/consumer.cpuprofile.
 * BENCH_SKIP_REDIS=1 runs the mq side only.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { PushConsumer } from '../src/engine/client/consumer/push-consumer.js';
import { Producer } from '../src/engine/client/producer/producer.js';
import { reclaimMemory } from '../src/engine/common/memory-reclaim.js';
import {
  type Proc,
  removeDir,
  startBroker,
  startNamesrv,
  stopProc,
  tempDir,
} from '../test/helpers/servers.js';
import { cpuMs } from './proc-stats.js';
import { type RedisDrain, redisDrain } from './redis-drain.js';

const count = Number(process.argv[2] ?? 500_000);
const size = Number(process.argv[3] ?? 1024);
const pullBatch = Number(process.argv[4] ?? 32);
/** Broker keys for a pull batch above the defaults (32 messages, 256 KiB). */
const batchConf: Record<string, number> =
  pullBatch > 32
    ? {
        maxTransferCountOnMessageInMemory: pullBatch,
        maxTransferBytesOnMessageInMemory: Math.max(262144, pullBatch * (size + 512)),
      }
    : {};
const BATCH = 64;
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;

/** This process's CPU profile (the consumer's side) from now until stop(file). */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
const INFLIGHT = 8;

async function fill(namesrv: string, topic: string): Promise<number> {
  const producer = new Producer({ namesrvAddr: namesrv, groupName: `drain_p_${Date.now()}` });
  await producer.start();
  const body = Buffer.alloc(size, 'a');
  const t0 = Date.now();
  try {
    await producer.send({ topic, body });
    let left = count - 1;
    const worker = async () => {
      while (left > 0) {
        const n = Math.min(BATCH, left);
        left -= n;
        await producer.sendBatch(Array.from({ length: n }, () => ({ topic, body })));
      }
    };
    await Promise.all(Array.from({ length: INFLIGHT }, worker));
  } finally {
    await producer.shutdown();
  }
  return Date.now() - t0;
}

async function drain(namesrv: string, topic: string): Promise<{ total: number; steady: number }> {
  const consumer = new PushConsumer({
    namesrvAddr: namesrv,
    groupName: `drain_c_${Date.now()}`,
    instanceName: `drain-${process.pid}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    consumeMessageBatchMaxSize: 32,
    pullBatchSize: pullBatch,
  });
  consumer.subscribe(topic, '*');
  let n = 0;
  let first = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  consumer.registerMessageListener((msgs) => {
    if (n === 0) first = Date.now();
    n += msgs.length;
    if (n >= count) finish();
  });
  const t0 = Date.now();
  const timeout = setTimeout(finish, 300_000);
  try {
    await consumer.start();
    await finished;
  } finally {
    clearTimeout(timeout);
  }
  const end = Date.now();
  await consumer.shutdown();
  if (n < count) throw new Error(`drained ${n} of ${count} messages in 300 s`);
  return {
    total: Math.round((n * 1000) / Math.max(1, end - t0)),
    steady: Math.round((n * 1000) / Math.max(1, end - first)),
  };
}

interface MqDrain {
  rate: number;
  brokerCpuMs: number;
  clientCpuMs: number;
}

async function mqDrain(dir: string): Promise<MqDrain> {
  const procs: Proc[] = [];
  try {
    const env: Record<string, string | undefined> = {
      MQ_LOG_DIR: join(dir, 'logs'),
      PROF_DIR: PROFILE_DIR,
    };
    process.env.MQ_LOG_DIR = env.MQ_LOG_DIR;
    const ns = await startNamesrv(dir, { env, pidFile: join(dir, 'ns.pid') });
    procs.push(ns.proc);
    const brokerOpts = {
      confFile: join(dir, 'broker.conf'),
      pidFile: join(dir, 'b.pid'),
      env: { ...env, NODE_OPTIONS: process.env.BENCH_BROKER_NODE_OPTIONS },
    };
    let b = await startBroker({
      ...brokerOpts,
      conf: {
        brokerName: 'broker-a',
        listenPort: 0,
        namesrvAddr: ns.addr,
        storePathRootDir: join(dir, 'store'),
        brokerIP1: '127.0.0.1',
        ...batchConf,
      },
    });
    procs.push(b.proc);
    const topic = `BenchDrain_${Date.now()}`;
    const fillMs = await fill(ns.addr, topic);
    const brokerKeys = Object.entries(batchConf)
      .map(([k, v]) => ` ${k}=${v}`)
      .join('');
    console.log(`backlog: ${count} x ${size} B in ${fillMs} ms; pullBatchSize ${pullBatch}${brokerKeys}`);
    if (PROFILE_DIR) {
      await stopProc(procs.pop());
      b = await startBroker({
        ...brokerOpts,
        wrap: ['sh', '-c', 'exec "$0" --cpu-prof --cpu-prof-dir="$PROF_DIR" "$@"'],
      });
      procs.push(b.proc);
    }
    const pid = b.proc.child.pid!;
    reclaimMemory(); // a full GC: the fill's garbage is not the drain's
    const cpu0 = cpuMs(pid);
    const self0 = process.cpuUsage();
    const profiler = PROFILE_DIR ? await startProfile() : undefined;
    const d = await drain(ns.addr, topic);
    const brokerCpu = cpuMs(pid) - cpu0;
    const self = process.cpuUsage(self0);
    if (profiler) await profiler.stop(join(PROFILE_DIR!, 'consumer.cpuprofile'));
    const clientCpuMs = Math.round((self.user + self.system) / 1000);
    console.log(
      `drain: ${count} messages: ${d.steady} msg/s from the first message, ${d.total} msg/s from consumer start`,
    );
    console.log(
      `cpu during the drain: broker ${brokerCpu} ms (${((brokerCpu * 1000) / count).toFixed(2)} µs/msg), consumer ${clientCpuMs} ms (${Math.round(self.system / 1000)} ms of it in the kernel)`,
    );
    return { rate: d.total, brokerCpuMs: brokerCpu, clientCpuMs };
  } finally {
    for (const p of procs.reverse()) await stopProc(p);
  }
}

const perMsg = (ms: number): string => ((ms * 1000) / count).toFixed(2);

function row(name: string, rate: number, serverMs: number, clientMs: number): string {
  return `${name.padEnd(16)} ${String(rate).padStart(8)} msg/s   server ${perMsg(serverMs).padStart(6)} µs/msg   client ${perMsg(clientMs).padStart(6)} µs/msg`;
}

async function main(): Promise<void> {
  const dir = tempDir('mq-bench-drain-');
  try {
    const mq = await mqDrain(dir);
    if (process.env.BENCH_SKIP_REDIS) return;
    const rdir = join(dir, 'redis');
    mkdirSync(rdir);
    const redis: RedisDrain = await redisDrain(rdir, count, size);
    console.log(`redis backlog: ${count} x ${size} B in ${redis.fillMs} ms`);
    console.log('drain rate from consumer start (both):');
    console.log(row('mq', mq.rate, mq.brokerCpuMs, mq.clientCpuMs));
    console.log(row('redis-everysec', redis.rate, redis.serverCpuMs, redis.clientCpuMs));
    console.log(`ratio mq / redis: ${(mq.rate / redis.rate).toFixed(2)}×`);
  } finally {
    removeDir(dir);
  }
}

await main();
