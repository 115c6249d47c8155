// Name-server route look-ups over loopback: GET_ROUTEINFO_BY_TOPIC with 32 requests in flight.
// Run: npx tsc -p . && node dist/bench/route.js [seconds] [inFlight]
import { NamesrvController } from '../src/engine/namesrv/index.js';
import { newTopicConfig, type TopicConfig } from '../src/engine/protocol/bodies/topic-config.js';
import { buildGetRouteInfoRequest } from '../src/engine/protocol/requests/get-route-info.js';
import { buildRegisterBrokerRequest } from '../src/engine/protocol/requests/register-broker.js';
import { RemotingClient } from '../src/engine/remoting/index.js';

const seconds = Number(process.argv[2] ?? 5);
const inFlight = Number(process.argv[3] ?? 32);
process.env.MQ_LOG_LEVEL ??= 'silent';

const ns = new NamesrvController({ listenPort: 0, host: '127.0.0.1', kvConfigPath: '' });
const { port } = await ns.start();
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
    `(${done} in ${secs.toFixed(1)} s, ${failed} failed; latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; one connection, server in-process)`,
);
await client.close();
await ns.shutdown();
