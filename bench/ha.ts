/**
 * HA benchmark: a name server, a master and one slave as real child processes (`mq namesrv start`,
 * `mq broker start -c`), one producer process (this one) sending 1 KB messages from `concurrency`
 * concurrent senders for `seconds`, first with brokerRole=ASYNC_MASTER, then SYNC_MASTER (both
 * flushDiskType=ASYNC_FLUSH). Prints send TPS, average/p99 RT, and the replication lag sampled every
 * 50 ms from the master's GET_BROKER_RUNTIME_INFO (haSlaveFallBehindBytes), plus the catch-up time
 * once the load stops.
 *
 *   npx tsc -p . && node dist/bench/ha.js [seconds=10] [concurrency=64] [size=1024]
 */
import { join } from 'node:path';
import { AdminClient } from '../src/engine/admin/admin-client.js';
import { Producer } from '../src/engine/client/index.js';
import { startBroker, startNamesrv, waitFor } from '../test/ha/procs.js';
import { freePortPair, killProc, type Proc, reapProc, removeDir, tempDir } from '../test/helpers/servers.js';

const SECONDS = Number(process.argv[2] ?? 10);
const CONCURRENCY = Number(process.argv[3] ?? 64);
const SIZE = Number(process.argv[4] ?? 1024);

interface Figures {
  role: string;
  sent: number;
  failed: number;
  statuses: Record<string, number>;
  tps: number;
  avgRtMs: number;
  p99RtMs: number;
  lagAvgBytes: number;
  lagMaxBytes: number;
  catchUpMs: number;
}

async function run(role: 'ASYNC_MASTER' | 'SYNC_MASTER'): Promise<Figures> {
  const dir = tempDir('mq-bench-ha-');
  const procs: Proc[] = [];
  try {
    const ns = await startNamesrv(dir);
    procs.push(ns.proc);
    const [pm, ps] = [await freePortPair(), await freePortPair()];
    const common = {
      namesrvAddr: ns.addr,
      brokerName: 'bench-ha',
      extra: { mappedFileSizeCommitLog: 1 << 30 },
    };
    const master = await startBroker({
      ...common,
      name: 'master',
      brokerId: 0,
      brokerRole: role,
      listenPort: pm,
      storeDir: join(dir, 'master'),
    });
    procs.push(master.proc);
    const slave = await startBroker({
      ...common,
      name: 'slave',
      brokerId: 1,
      brokerRole: 'SLAVE',
      listenPort: ps,
      storeDir: join(dir, 'slave'),
    });
    procs.push(slave.proc);
    const admin = new AdminClient({ namesrvAddr: ns.addr });
    const behind = async () =>
      Number((await admin.fetchBrokerRuntimeStats(master.addr)).haSlaveFallBehindBytes);
    await waitFor(
      'slave connected',
      async () => (await admin.fetchBrokerRuntimeStats(master.addr)).haConnectionCount === '1',
    );

    const producer = new Producer({
      namesrvAddr: ns.addr,
      groupName: 'PG_BENCH_HA',
      instanceName: `bench${role}`,
    });
    await producer.start();
    const topic = 'BenchHA';
    const body = Buffer.alloc(SIZE, 'x');
    await producer.send({ topic, body }); // route + topic creation outside the timing
    await new Promise((r) => setTimeout(r, 500));

    const rts: number[] = [];
    const statuses: Record<string, number> = {};
    let failed = 0;
    const lags: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        lags.push(await behind());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const t0 = performance.now();
    const deadline = t0 + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const s = performance.now();
          try {
            const r = await producer.send({ topic, body });
            rts.push(performance.now() - s);
            statuses[r.sendStatus] = (statuses[r.sendStatus] ?? 0) + 1;
          } catch {
            failed++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    const stopped = performance.now();
    await waitFor('slave caught up', async () => (await behind()) === 0, 60_000, 10);
    const catchUpMs = performance.now() - stopped;
    await producer.shutdown();
    await admin.close();
    rts.sort((a, b) => a - b);
    return {
      role,
      sent: rts.length,
      failed,
      statuses,
      tps: Math.round(rts.length / elapsed),
      avgRtMs: Number((rts.reduce((a, b) => a + b, 0) / Math.max(1, rts.length)).toFixed(2)),
      p99RtMs: Number((rts[Math.floor(rts.length * 0.99)] ?? 0).toFixed(2)),
      lagAvgBytes: Math.round(lags.reduce((a, b) => a + b, 0) / Math.max(1, lags.length)),
      lagMaxBytes: Math.max(0, ...lags),
      catchUpMs: Math.round(catchUpMs),
    };
  } finally {
    for (const p of procs.reverse()) await killProc(p, 'SIGTERM').catch(() => reapProc(p));
    removeDir(dir);
  }
}

const results: Figures[] = [];
for (const role of ['ASYNC_MASTER', 'SYNC_MASTER'] as const) results.push(await run(role));
console.log(
  `HA bench: ${SECONDS}s per mode, ${CONCURRENCY} concurrent senders, ${SIZE}-byte bodies, one slave`,
);
console.table(results);
process.exit(0);
