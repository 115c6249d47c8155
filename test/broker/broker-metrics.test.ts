// RocketMQ 5's broker metrics: metricsExporterType=PROM serves /metrics on metricsPromExporterHost/Port
// with RocketMQ 5's names and labels. A real broker takes sends and pulls; the text is parsed by a
// Prometheus text parser and its values checked against what was sent, pulled and committed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { Producer } from '../../src/engine/client/producer/producer.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { freePortPair } from '../helpers/servers.js';
import { type Cluster, startCluster } from './harness.js';

interface PromSample {
  value?: string;
  labels?: Record<string, string>;
}
interface PromFamily {
  name: string;
  type: string;
  metrics: PromSample[];
}
const parseProm = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => PromFamily[];

let c: Cluster;
let port: number;

before(async () => {
  port = await freePortPair();
  c = await startCluster({
    metricsExporterType: 'PROM',
    metricsPromExporterHost: '127.0.0.1',
    metricsPromExporterPort: port,
    metricsLabel: 'dc:test-dc',
  });
});

after(async () => {
  await c?.stop();
});

/**
 * Families by name. The parser folds a labelled histogram into one sample, so histogram families lose
 * their HELP/TYPE lines first and come back as `<name>_bucket`, `_sum` and `_count` families with labels.
 */
async function scrape(): Promise<{ families: Map<string, PromFamily>; histograms: Set<string> }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await res.text();
  const histograms = new Set([...text.matchAll(/^# TYPE (\S+) histogram$/gm)].map((x) => x[1]!));
  const kept = text
    .split('\n')
    .filter((l) => !/^# (HELP|TYPE) /.test(l) || !histograms.has(l.split(' ')[2]!))
    .join('\n');
  // Without TYPE lines a histogram's series interleave (`_bucket`, `_sum`, `_count` per label set): merge.
  const families = new Map<string, PromFamily>();
  for (const f of parseProm(kept)) {
    const seen = families.get(f.name);
    if (seen) seen.metrics.push(...f.metrics);
    else families.set(f.name, f);
  }
  return { families, histograms };
}

const sample = (f: PromFamily | undefined, labels: Record<string, string>): PromSample | undefined =>
  f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));

test('/metrics: RocketMQ 5 names and labels with the values of real traffic', async () => {
  await c.createTopic('MetricsTopic', 1);
  const producer = new Producer({ namesrvAddr: c.namesrv, groupName: 'metricsProducer' });
  await producer.start();
  try {
    for (let i = 0; i < 7; i++) {
      await producer.send({ topic: 'MetricsTopic', body: Buffer.alloc(2000, 0x61) });
    }
  } finally {
    await producer.shutdown();
  }
  const pulled = await c.pullFromStart('metricsGroup', 'MetricsTopic');
  assert.equal(pulled.code, 0);
  const commit = await c.call(RequestCode.UPDATE_CONSUMER_OFFSET, {
    consumerGroup: 'metricsGroup',
    topic: 'MetricsTopic',
    queueId: 0,
    commitOffset: 3,
  });
  assert.equal(commit.code, 0);

  const { families: m, histograms } = await scrape();
  const common = { cluster: 'TestCluster', node_type: 'broker', node_id: 'broker-t', dc: 'test-dc' };
  const inTotal = sample(m.get('rocketmq_messages_in_total'), {
    ...common,
    topic: 'MetricsTopic',
    message_type: 'normal',
    is_system: 'false',
  });
  assert.equal(m.get('rocketmq_messages_in_total')?.type, 'COUNTER');
  assert.equal(inTotal?.value, '7');
  const bytesIn = Number(sample(m.get('rocketmq_throughput_in_total'), { topic: 'MetricsTopic' })?.value);
  assert.ok(bytesIn > 7 * 2000 && bytesIn < 7 * 2400, `bytes in ${bytesIn}`);
  assert.ok(histograms.has('rocketmq_message_size'));
  const sizeOf = (suffix: string, extra: Record<string, string> = {}) =>
    sample(m.get(`rocketmq_message_size${suffix}`), { topic: 'MetricsTopic', ...extra })?.value;
  assert.equal(sizeOf('_count'), '7');
  assert.equal(sizeOf('_bucket', { le: '1024' }), '0');
  assert.equal(sizeOf('_bucket', { le: '4096' }), '7');

  const out = sample(m.get('rocketmq_messages_out_total'), {
    topic: 'MetricsTopic',
    consumer_group: 'metricsGroup',
    is_retry: 'false',
  });
  assert.equal(out?.value, '7');
  const lag = sample(m.get('rocketmq_consumer_lag_messages'), {
    topic: 'MetricsTopic',
    consumer_group: 'metricsGroup',
  });
  assert.equal(lag?.value, '4');
  const lagMs = Number(
    sample(m.get('rocketmq_consumer_lag_latency'), { topic: 'MetricsTopic', consumer_group: 'metricsGroup' })
      ?.value,
  );
  assert.ok(lagMs >= 0 && lagMs < 120_000, `lag latency ${lagMs}`);

  const topics = Number(sample(m.get('rocketmq_topic_number'), common)?.value);
  assert.ok(topics >= 2, 'TBW102 and MetricsTopic at least');
  assert.equal(sample(m.get('rocketmq_broker_permission'), common)?.value, '6');
  assert.ok(Number(sample(m.get('rocketmq_storage_size'), common)?.value) > 0);

  // Request latency per code: the 7 sends (SEND_MESSAGE_V2 = 310) answered with SUCCESS.
  assert.ok(histograms.has('rocketmq_rpc_latency'));
  const rpc = sample(m.get('rocketmq_rpc_latency_count'), {
    protocol_type: 'remoting',
    request_code: '310',
    response_code: '0',
    result: 'success',
  });
  assert.equal(rpc?.value, '7');
  // Node's own process metrics ride along.
  assert.ok(m.has('process_resident_memory_bytes'));
  assert.ok(m.has('nodejs_eventloop_lag_seconds'));

  const notFound = await fetch(`http://127.0.0.1:${port}/other`);
  assert.equal(notFound.status, 404);
});
