/**
 * One broker with many topics: N topics × 8 queues and N/5 consumer groups (each with offsets on 5 topics),
 * at each N, measuring how start, memory, registration, route look-ups and the consumerProgress admin call
 * grow. The config files (topics.json, subscriptionGroup.json, consumerOffset.json) are written straight
 * into the store's config dir (with each group's %RETRY% topic), as an operator restoring a config would; the broker is `mq broker start`
 * (the CLI as users run it) and the name server `mq namesrv start`, both separate processes.
 *
 *   npm run build && node dist/bench/scale.js [sizes=100,1000,10000,100000] [--plain] [--lookup-secs=3]
 *
 * Registration is compressed (compressedRegister=true) unless --plain. BENCH_NODE_ARGS goes before the
 * script on the broker's node command line, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". BENCH_RUN_JS runs another
 * checkout's bin/run.js as the broker and name server (a before/after comparison in one run).
 * BENCH_NS_NODE_ARGS does for the name server what BENCH_NODE_ARGS does for the broker.
 */

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { AdminClient } from '../src/engine/admin/admin-client.js';
import { consumerProgress } from '../src/engine/admin/consumer-progress.js';
import { newDataVersion } from '../src/engine/protocol/bodies/data-version.js';
import { encodeConsumerOffsetTable } from '../src/engine/protocol/bodies/offset-tables.js';
import { encodeRegisterBrokerBody } from '../src/engine/protocol/bodies/register-broker-body.js';
import {
  encodeSubscriptionGroupWrapper,
  newSubscriptionGroupConfig,
  type SubscriptionGroupConfig,
} from '../src/engine/protocol/bodies/subscription-group-config.js';
import {
  encodeTopicConfigWrapper,
  newTopicConfig,
  type TopicConfig,
} from '../src/engine/protocol/bodies/topic-config.js';
import { buildGetRouteInfoRequest } from '../src/engine/protocol/requests/get-route-info.js';
import { ResponseCode } from '../src/engine/protocol/response-code.js';
import { RemotingClient } from '../src/engine/remoting/index.js';
import {
  freeBrokerPort,
  RUN_JS,
  removeDir,
  startNamesrv,
  stopProc,
  tempDir,
} from '../test/helpers/servers.js';
import { cpuMs, statusMb } from './proc-stats.js';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const sizes = (positional[0] ?? '100,1000,10000,100000').split(',').map(Number);
const compressed = !process.argv.includes('--plain');
const lookupSecs = Number(/--lookup-secs=(\d+(?:\.\d+)?)/.exec(process.argv.join(' '))?.[1] ?? 3);
const QUEUES = 8;
const TOPICS_PER_GROUP = 5;
process.env.MQ_LOG_LEVEL ??= 'silent';
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const nsNodeArgs = (process.env.BENCH_NS_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * The test helper spawns `node <our bin/run.js> namesrv …`; a shell in front swaps in BENCH_RUN_JS and
 * BENCH_NS_NODE_ARGS (--cpu-prof is not allowed in NODE_OPTIONS), then execs node in its place.
 */
function namesrvWrap(): string[] | undefined {
  const runJs = process.env.BENCH_RUN_JS;
  if (!runJs && nsNodeArgs.length === 0) return undefined;
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const script = `node="$0"; runjs="$1"; shift; exec "$node" ${nsNodeArgs.map(q).join(' ')} ${runJs ? q(runJs) : '"$runjs"'} "$@"`;
  return ['sh', '-c', script];
}

interface Row {
  n: number;
  startMs: number;
  startCpuMs: number;
  rssMb: number;
  hwmMb: number;
  startHwmMb: number;
  nsRssMb: number;
  bodyKb: number;
  plainBodyKb: number;
  lookups: number;
  /** CPU µs per look-up of the bench's client and of the name server, to show which one is the limit. */
  clientUsPerLookup: number;
  nsUsPerLookup: number;
  progressMs: number;
  restartMs: number;
  restartCpuMs: number;
  restartRssMb: number;
}

const topicName = (i: number) => `ScaleTopic${i}`;
const groupName = (i: number) => `ScaleGroup${i}`;

function writeStoreConfig(storeDir: string, n: number): TopicConfig[] {
  const dir = join(storeDir, 'config');
  fs.mkdirSync(dir, { recursive: true });
  const topics: TopicConfig[] = [];
  for (let i = 0; i < n; i++)
    topics.push(newTopicConfig(topicName(i), { readQueueNums: QUEUES, writeQueueNums: QUEUES }));
  const groups: Record<string, SubscriptionGroupConfig> = {};
  const offsets = new Map<string, Map<number, number>>();
  for (let g = 0; g < Math.max(1, n / TOPICS_PER_GROUP); g++) {
    groups[groupName(g)] = newSubscriptionGroupConfig(groupName(g));
    // A group that has consumed has its retry topic (admin tools find the group's brokers through it).
    topics.push(newTopicConfig(`%RETRY%${groupName(g)}`, { readQueueNums: 1, writeQueueNums: 1 }));
    for (let k = 0; k < TOPICS_PER_GROUP; k++) {
      const t = topicName((g * TOPICS_PER_GROUP + k) % n);
      offsets.set(`${t}@${groupName(g)}`, new Map(Array.from({ length: QUEUES }, (_, q) => [q, 0])));
    }
  }
  fs.writeFileSync(
    join(dir, 'subscriptionGroup.json'),
    encodeSubscriptionGroupWrapper({ subscriptionGroupTable: groups, dataVersion: newDataVersion() }),
  );
  fs.writeFileSync(join(dir, 'consumerOffset.json'), encodeConsumerOffsetTable(offsets));
  const topicConfigTable = Object.fromEntries(topics.map((t) => [t.topicName, t]));
  fs.writeFileSync(
    join(dir, 'topics.json'),
    encodeTopicConfigWrapper({ topicConfigTable, dataVersion: newDataVersion() }),
  );
  return topics;
}

/** Resolves when `topic` has a route at the name server (polled every 2 ms), or rejects after 120 s. */
async function untilRouted(client: RemotingClient, ns: string, topic: string, present = true): Promise<void> {
  const give = Date.now() + 120_000;
  for (;;) {
    const resp = await client.invoke(ns, buildGetRouteInfoRequest(topic), 5000);
    if ((resp.code === ResponseCode.SUCCESS) === present) return;
    if (Date.now() > give) throw new Error(`${topic} still ${present ? 'not routed' : 'routed'} after 120 s`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function lookupsPerSec(
  client: RemotingClient,
  ns: string,
  n: number,
  nsPid: number,
): Promise<{ perSec: number; clientUs: number; nsUs: number }> {
  const cpu0 = process.cpuUsage();
  const ns0 = cpuMs(nsPid);
  let done = 0;
  const end = Date.now() + lookupSecs * 1000;
  const t0 = performance.now();
  const worker = async (w: number) => {
    let i = w * 7919;
    while (Date.now() < end) {
      const resp = await client.invoke(ns, buildGetRouteInfoRequest(topicName(i++ % n)), 5000);
      if (resp.code !== ResponseCode.SUCCESS) throw new Error(`route look-up failed: code ${resp.code}`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: 32 }, (_, w) => worker(w)));
  const cpu = process.cpuUsage(cpu0);
  return {
    perSec: Math.round(done / ((performance.now() - t0) / 1000)),
    clientUs: Math.round(((cpu.user + cpu.system) / done) * 10) / 10,
    nsUs: Math.round((((cpuMs(nsPid) - ns0) * 1000) / done) * 10) / 10,
  };
}

function spawnBroker(dir: string, ns: string) {
  return spawn(
    process.execPath,
    [
      ...nodeArgs,
      process.env.BENCH_RUN_JS ?? RUN_JS,
      'broker',
      'start',
      '-n',
      ns,
      '-c',
      join(dir, 'broker.conf'),
    ],
    { stdio: 'ignore', env: { ...process.env, MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: dir } },
  );
}

async function stopBroker(child: ReturnType<typeof spawn>): Promise<void> {
  child.kill('SIGTERM');
  if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
}

async function measure(n: number): Promise<Row> {
  const dir = tempDir('mq-bench-scale-');
  const nsProc = await startNamesrv(dir, {
    conf: { kvConfigPath: join(dir, 'kv.json') },
    env: { MQ_LOG_DIR: join(dir, 'ns-logs') },
    wrap: namesrvWrap(),
  });
  const ns = nsProc.addr;
  const client = new RemotingClient();
  const admin = new AdminClient({ namesrvAddr: ns });
  try {
    const store = join(dir, 'store');
    const topics = writeStoreConfig(store, n);
    const port = await freeBrokerPort();
    fs.writeFileSync(
      join(dir, 'broker.conf'),
      `brokerClusterName=C\nbrokerName=scale\nbrokerIP1=127.0.0.1\nlistenPort=${port}\nstorePathRootDir=${store}\n` +
        `compressedRegister=${compressed}\n`,
    );
    const wrapper = {
      topicConfigTable: Object.fromEntries(topics.map((t) => [t.topicName, t])),
      dataVersion: newDataVersion(),
    };
    const body = { topicConfigSerializeWrapper: wrapper, filterServerList: [] };
    const bodyKb = encodeRegisterBrokerBody(body, true).length / 1024;
    const plainBodyKb = encodeRegisterBrokerBody(body, false).length / 1024;
    const last = topicName(n - 1);

    let t0 = performance.now();
    let child = spawnBroker(dir, ns);
    await untilRouted(client, ns, last);
    const startMs = Math.round(performance.now() - t0);
    const startCpuMs = cpuMs(child.pid!);
    const rssMb = statusMb(child.pid!, 'VmRSS');
    const startHwmMb = statusMb(child.pid!, 'VmHWM');

    const look = await lookupsPerSec(client, ns, n, nsProc.proc.child.pid!);
    const nsRssMb = statusMb(nsProc.proc.child.pid!, 'VmRSS');

    // The admin call behind `mqadmin consumerProgress -g <group>`: route of the retry topic, then
    // GET_CONSUME_STATS at each broker; the median of 21 after a warm-up call.
    const group = groupName(Math.floor(n / TOPICS_PER_GROUP / 2));
    const first = await consumerProgress(admin, group);
    if (first.queues.length !== TOPICS_PER_GROUP * QUEUES)
      throw new Error(`consumerProgress ${group}: ${first.queues.length} queues`);
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const s = performance.now();
      await consumerProgress(admin, group);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const progressMs = Math.round(times[10]! * 10) / 10;
    const hwmMb = statusMb(child.pid!, 'VmHWM');

    await stopBroker(child);
    await untilRouted(client, ns, last, false);
    t0 = performance.now();
    child = spawnBroker(dir, ns);
    await untilRouted(client, ns, last);
    const restartMs = Math.round(performance.now() - t0);
    const restartCpuMs = cpuMs(child.pid!);
    const restartRssMb = statusMb(child.pid!, 'VmRSS');
    await stopBroker(child);
    return {
      n,
      startMs,
      startCpuMs,
      rssMb,
      hwmMb,
      startHwmMb,
      nsRssMb,
      bodyKb,
      plainBodyKb,
      lookups: look.perSec,
      clientUsPerLookup: look.clientUs,
      nsUsPerLookup: look.nsUs,
      progressMs,
      restartMs,
      restartCpuMs,
      restartRssMb,
    };
  } finally {
    await admin.close();
    await client.close();
    await stopProc(nsProc.proc);
    removeDir(dir);
  }
}

const rows: Row[] = [];
for (const n of sizes) {
  const r = await measure(n);
  rows.push(r);
  console.log(
    `${n.toLocaleString('en-US')} topics × ${QUEUES} queues, ${Math.max(1, n / TOPICS_PER_GROUP).toLocaleString('en-US')} groups: ` +
      `start→registered ${r.startMs} ms (broker CPU ${r.startCpuMs} ms), broker RSS ${r.rssMb} MB (peak ${r.startHwmMb} MB at start, ${r.hwmMb} MB by the end), ` +
      `registration body ${r.bodyKb.toFixed(1)} KB compressed / ${r.plainBodyKb.toFixed(1)} KB plain (sent ${compressed ? 'compressed' : 'plain'}), ` +
      `route look-ups ${r.lookups.toLocaleString('en-US')}/s (CPU per look-up: client ${r.clientUsPerLookup} µs, name server ${r.nsUsPerLookup} µs; name server RSS ${r.nsRssMb} MB), ` +
      `consumerProgress ${r.progressMs} ms, restart ${r.restartMs} ms (CPU ${r.restartCpuMs} ms, RSS ${r.restartRssMb} MB)`,
  );
}
if (rows.length > 1) {
  const a = rows[0]!;
  const b = rows[rows.length - 1]!;
  const g = (k: keyof Row) => `${(Number(b[k]) / Number(a[k])).toFixed(1)}×`;
  console.log(
    `growth ${a.n.toLocaleString('en-US')} → ${b.n.toLocaleString('en-US')} topics: start ${g('startMs')} (CPU ${g('startCpuMs')}), RSS ${g('rssMb')}, ` +
      `registration body ${g('bodyKb')}, route look-ups/s ${g('lookups')}, name server RSS ${g('nsRssMb')}, ` +
      `consumerProgress ${g('progressMs')}, restart ${g('restartMs')}`,
  );
}
