/**
 * Client end-to-end benchmark: our producer (N sends of `size` bytes, `inflight` in flight) then our push
 * consumer reading them all back, against our name server + broker started as child processes (or an
 * existing cluster with MQ_NAMESRV=host:port).
 *
 *   npx tsc -p . && node dist/bench/client.js [count=100000] [inflight=32] [size=1024]
 *
 * Prints the broker's RSS idle and after the run (peak). BENCH_BROKER_NODE_OPTIONS is passed to the broker
 * as NODE_OPTIONS (e.g. "--max-semi-space-size=2").
 */

import { join } from 'node:path';
import { benchmarkConsumer, benchmarkProducer } from '../src/engine/client/tools/benchmark.js';
import {
  type Proc,
  removeDir,
  startBroker,
  startNamesrv,
  stopProc,
  tempDir,
} from '../test/helpers/servers.js';
import { cpuMs, statusMb } from './proc-stats.js';

const count = Number(process.argv[2] ?? 100_000);
const inflight = Number(process.argv[3] ?? 32);
const size = Number(process.argv[4] ?? 1024);

/** VmRSS and VmHWM (peak) of a process in whole MB. */
function rssMb(pid: number): { rss: number; peak: number } {
  return { rss: Math.round(statusMb(pid, 'VmRSS')), peak: Math.round(statusMb(pid, 'VmHWM')) };
}

async function main(): Promise<void> {
  let brokerPid: number | undefined;
  let namesrv = process.env.MQ_NAMESRV;
  const procs: Proc[] = [];
  const dir = tempDir('mq-bench-client-');
  try {
    if (!namesrv) {
      const env = { MQ_LOG_DIR: join(dir, 'logs') };
      process.env.MQ_LOG_DIR = env.MQ_LOG_DIR;
      const ns = await startNamesrv(dir, { env, pidFile: join(dir, 'ns.pid') });
      procs.push(ns.proc);
      namesrv = ns.addr;
      const b = await startBroker({
        confFile: join(dir, 'broker.conf'),
        pidFile: join(dir, 'b.pid'),
        conf: {
          brokerName: 'broker-a',
          listenPort: 0,
          namesrvAddr: namesrv,
          storePathRootDir: join(dir, 'store'),
          brokerIP1: '127.0.0.1',
        },
        env: { ...env, NODE_OPTIONS: process.env.BENCH_BROKER_NODE_OPTIONS },
      });
      procs.push(b.proc);
      brokerPid = b.proc.child.pid;
      // Idle: a second after boot, with nothing sent yet.
      await new Promise((r) => setTimeout(r, 1000));
      console.log(`broker RSS idle: ${rssMb(brokerPid!).rss} MB`);
    }
    const topic = `BenchClient_${Date.now()}`;
    // Broker CPU per 1,000 messages: unlike msg/s, barely moved by other load on a shared machine.
    const cpu0 = brokerPid ? cpuMs(brokerPid) : Number.NaN;
    const p = await benchmarkProducer({ namesrvAddr: namesrv, topic, inflight, bodySize: size, count });
    const cpu1 = brokerPid ? cpuMs(brokerPid) : Number.NaN;
    const perK = (ms: number, n: number) =>
      brokerPid ? `, broker CPU ${Math.round((ms / n) * 10000) / 10} ms per 1k` : '';
    console.log(
      `producer: ${p.totalSent} x ${size} B, ${inflight} in flight: ${p.sendTps} msg/s, avg RT ${p.avgRtMs} ms, max RT ${p.maxRtMs} ms, failed ${p.totalFailed}${perK(cpu1 - cpu0, p.totalSent)}`,
    );
    const c = await benchmarkConsumer({
      namesrvAddr: namesrv,
      topic,
      group: `bench_${Date.now()}`,
      count: p.totalSent + 1,
      fromFirst: true,
      durationMs: 120_000,
    });
    console.log(
      `consumer: ${c.totalReceived} messages: ${c.consumeTps} msg/s (including start-up and rebalance)${perK(
        (brokerPid ? cpuMs(brokerPid) : Number.NaN) - cpu1,
        c.totalReceived,
      )}`,
    );
    if (brokerPid) {
      const m = rssMb(brokerPid);
      console.log(`broker RSS after the run: ${m.rss} MB, peak ${m.peak} MB`);
    }
  } finally {
    for (const p of procs.reverse()) await stopProc(p);
    removeDir(dir);
  }
}

await main();
