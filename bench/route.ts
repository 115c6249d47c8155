// Name-server route look-ups over loopback: GET_ROUTEINFO_BY_TOPIC with 32 requests in flight.
// Run: npx tsc -p . && node dist/bench/route.js [seconds] [inFlight] [--inproc]
// By default the name server is a separate `mq namesrv start` process (as deployed); --inproc runs it in
// this process (client and server then share one core).
import { join } from 'node:path';
import { NamesrvController } from '../src/engine/namesrv/index.js';
import { newTopicConfig, type TopicConfig } from '../src/engine/protocol/bodies/topic-config.js';
import { buildGetRouteInfoRequest } from '../src/engine/protocol/requests/get-route-info.js';
import { buildRegisterBrokerRequest } from '../src/engine/protocol/requests/register-broker.js';
import { RemotingClient } from '../src/engine/remoting/index.js';
import { removeDir, startNamesrv, stopProc, tempDir } from '../test/helpers/servers.js';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const seconds = Number(positional[0] ?? 5);
const inFlight = Number(positional[1] ?? 32);
const inproc = process.argv.includes('--inproc');
process.env.MQ_LOG_LEVEL ??= 'silent';

let stopServer: () => Promise<void>;
let port: number;
if (inproc) {
  const ns = new NamesrvController({ listenPort: 0, host: '127.0.0.1', kvConfigPath: '' });
  port = (await ns.start()).port;
  stopServer = () => ns.shutdown();
} else {
  const dir = tempDir('mq-bench-ns-');
  const ns = await startNamesrv(dir, {
    conf: { kvConfigPath: join(dir, 'kv.json') },
    env: { MQ_LOG_DIR: join(dir, 'logs') },
  });
  port = ns.port;
  stopServer = async () => {
    await stopProc(ns.proc);
    removeDir(dir);
  };
}
const addr = `127.0.0.1:${port}`;
const client = new RemotingClient();

// Two master/slave broker groups, 100 topics each.
const topics: TopicConfig[] = [];
for (let i = 0; i < 100; i++)
  topics.push(newTopicConfig(`BenchTopic${i}`, { readQueueNums: 8, writeQueueNums: 8 }));
for (const [name, base] of [
  ['broker-a', 10911],
  ['broker-b', 11911],
] as const) {
  for (const id of [0, 1]) {
    await client.invoke(
      addr,
      buildRegisterBrokerRequest({
        brokerName: name,
        brokerAddr: `127.0.0.1:${base + id * 100}`,
        clusterName: 'BenchCluster',
        haServerAddr: `127.0.0.1:${base + id * 100 + 1}`,
        brokerId: id,
        body: {
          filterServerList: [],
          topicConfigSerializeWrapper: {
            dataVersion: { counter: 1, timestamp: Date.now() },
            topicConfigTable: Object.fromEntries(topics.map((t) => [t.topicName, t])),
          },
        },
      }),
      5000,
    );
  }
}

let done = 0;
let failed = 0;
const latencies: number[] = [];
const end = Date.now() + seconds * 1000;
const startAt = process.hrtime.bigint();
async function worker(w: number): Promise<void> {
  let i = w;
  while (Date.now() < end) {
    const t0 = process.hrtime.bigint();
    const resp = await client.invoke(addr, buildGetRouteInfoRequest(`BenchTopic${i++ % 100}`), 5000);
    if (resp.code !== 0) failed++;
    done++;
    if ((done & 63) === 0) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
const secs = Number(process.hrtime.bigint() - startAt) / 1e9;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]?.toFixed(2);
console.log(
  `GET_ROUTEINFO_BY_TOPIC: ${Math.round(done / secs).toLocaleString('en-US')} look-ups/s with ${inFlight} in flight ` +
    `(${done} in ${secs.toFixed(1)} s, ${failed} failed; latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; one connection, server ${inproc ? 'in-process' : 'a separate process'})`,
);
await client.close();
await stopServer();
