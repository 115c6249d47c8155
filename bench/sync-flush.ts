/**
 * SYNC_FLUSH group commit against ASYNC_FLUSH, one run: three brokers (child processes, each with its own
 * name server and store): ASYNC_FLUSH, SYNC_FLUSH, and SYNC_FLUSH with commitLogZeroAhead=0 (writes into
 * the sparse file's holes, as before zero-ahead), driven in turn (A B C A B C …) by mq's own producer with
 * `inflight` 1 KB sends in flight for `seconds` each. Prints each rep's TPS and the machine load beside
 * it, the median TPS of each, the ratios to ASYNC_FLUSH (issue 16 goal 3: SYNC ≥ 70% of ASYNC), and each
 * SYNC_FLUSH broker's group-commit sizes (puts answered per fdatasync, from its runtime info) with where
 * a group's time goes: fdatasync, gathering (first waiting put → its fdatasync) and away (previous
 * fdatasync's end → the next group's first put: replies, producer, network).
 *
 *   npm run build && node dist/bench/sync-flush.js [reps=3] [seconds=5] [inflight=32]
 *
 * BENCH_BROKER_NODE_ARGS are node flags for both brokers (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof",
 * which NODE_OPTIONS does not accept).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { AdminClient } from '../src/engine/admin/admin-client.js';
import { benchmarkProducer } from '../src/engine/client/tools/benchmark.js';
import {
  type Proc,
  removeDir,
  startBroker,
  startNamesrv,
  stopProc,
  tempDir,
} from '../test/helpers/servers.js';
import { cpuMs } from './proc-stats.js';

const reps = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 5);
const inflight = Number(process.argv[4] ?? 32);
type Mode = 'ASYNC_FLUSH' | 'SYNC_FLUSH';

interface Side {
  name: string;
  mode: Mode;
  namesrv: string;
  brokerAddr: string;
  pid: number;
  tps: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const load = (): string => loadavg()[0]!.toFixed(2);

async function startSide(
  dir: string,
  name: string,
  mode: Mode,
  procs: Proc[],
  extra: Record<string, number> = {},
): Promise<Side> {
  const env = { MQ_LOG_DIR: join(dir, 'logs') };
  const nodeArgs = process.env.BENCH_BROKER_NODE_ARGS;
  // The helper runs `[...wrap, node, bin/run.js, …]`: a shell puts the flags between node and the script.
  const wrap = nodeArgs ? ['sh', '-c', `exec "$0" ${nodeArgs} "$@"`] : undefined;
  const ns = await startNamesrv(dir, { env: { MQ_LOG_DIR: env.MQ_LOG_DIR }, pidFile: join(dir, 'ns.pid') });
  procs.push(ns.proc);
  const b = await startBroker({
    confFile: join(dir, 'broker.conf'),
    conf: {
      brokerName: `bench-${mode.toLowerCase()}`,
      listenPort: 0,
      namesrvAddr: ns.addr,
      storePathRootDir: join(dir, 'store'),
      flushDiskType: mode,
      ...extra,
    },
    env,
    wrap,
  });
  procs.push(b.proc);
  return { name, mode, namesrv: ns.addr, brokerAddr: b.addr, pid: b.proc.child.pid!, tps: [] };
}

async function runOnce(s: Side, rep: number): Promise<void> {
  const cpu0 = cpuMs(s.pid);
  const r = await benchmarkProducer({
    namesrvAddr: s.namesrv,
    topic: `BenchSyncFlush_${rep}`,
    inflight,
    bodySize: 1024,
    durationMs: seconds * 1000,
  });
  const cpu = (cpuMs(s.pid) - cpu0) / (r.elapsedMs || 1);
  s.tps.push(r.sendTps);
  console.log(
    `rep ${rep} ${s.name.padEnd(16)} ${String(r.sendTps).padStart(6)} msg/s  avg RT ${r.avgRtMs} ms, ` +
      `max RT ${r.maxRtMs} ms, failed ${r.totalFailed}, broker CPU ${(cpu * 100).toFixed(0)}%, load ${load()}`,
  );
}

/** Group sizes from the broker's `commitLogGroupCommitSizes` ("size-range:count,…", see GroupCommitStats). */
async function groupSizes(admin: AdminClient, addr: string): Promise<string> {
  const t = await admin.fetchBrokerRuntimeStats(addr);
  return t.commitLogGroupCommitSizes ?? '(not reported by this broker)';
}

const procs: Proc[] = [];
const root = tempDir('mq-bench-sync-flush-');
const admin = new AdminClient({ namesrvAddr: '127.0.0.1:1' });
try {
  const sides = [
    await startSide(join(root, 'async'), 'ASYNC_FLUSH', 'ASYNC_FLUSH', procs),
    await startSide(join(root, 'sync'), 'SYNC_FLUSH', 'SYNC_FLUSH', procs),
    await startSide(join(root, 'sync-sparse'), 'SYNC no zero-ahead', 'SYNC_FLUSH', procs, {
      commitLogZeroAhead: 0,
    }),
  ];
  console.log(`${inflight} sends in flight, 1 KB bodies, ${seconds} s per rep, ${reps} reps, load ${load()}`);
  for (let rep = 1; rep <= reps; rep++) for (const side of sides) await runOnce(side, rep);
  const ma = median(sides[0]!.tps);
  for (const side of sides) {
    const m = median(side.tps);
    const ratio = side.mode === 'SYNC_FLUSH' ? `, ${(m / ma).toFixed(2)} of ASYNC_FLUSH (goal ≥ 0.70)` : '';
    console.log(`median ${side.name.padEnd(18)} ${String(m).padStart(6)} msg/s${ratio}`);
  }
  for (const side of sides.filter((x) => x.mode === 'SYNC_FLUSH'))
    console.log(
      `${side.name} group commit (puts per fdatasync: count): ${await groupSizes(admin, side.brokerAddr)}`,
    );
} finally {
  await admin.close();
  for (const p of procs.reverse()) await stopProc(p);
  removeDir(root);
}
