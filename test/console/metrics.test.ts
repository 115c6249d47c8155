// The console's /metrics parsed by a Prometheus text parser: rocketmq-exporter's names and labels, with
// values that match what was sent and consumed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { type Cluster, mq, startCluster, waitFor } from '../admin/servers.js';
import { runCli, stopProc } from '../helpers/servers.js';
import { type ConsoleProc, startConsoleProc } from './console-proc.js';

const SENT = 10;
const CONSUMED = 6;

type Families = ReturnType<typeof parsePrometheusTextFormat>;

function samples(f: Families, name: string, match: Record<string, string> = {}) {
  const fam = f.find((x) => x.name === name);
  assert.ok(fam, `metric ${name} missing`);
  return fam.metrics.filter((m) => Object.entries(match).every(([k, v]) => m.labels?.[k] === v));
}

function total(f: Families, name: string, match: Record<string, string>): number {
  return samples(f, name, match).reduce((s, m) => s + Number(m.value), 0);
}

describe('mq console /metrics', () => {
  let c: Cluster;
  let con: ConsoleProc;

  before(async () => {
    c = await startCluster();
    await mq(c, ['updateTopic', '-t', 'MetricsTopic', '-c', c.clusterName, '-r', '2', '-w', '2']);
    const sent = await runCli(['producer', 'send', '-n', c.namesrvAddr, '-t', 'MetricsTopic'], {
      env: { ...process.env, ...c.env },
      stdin: `${Array.from({ length: SENT }, (_, i) => `m${i}`).join('\n')}\n`,
    });
    assert.equal(sent.code, 0, sent.stderr);
    const tail = await mq(c, [
      'consumer',
      'tail',
      '-t',
      'MetricsTopic',
      '-g',
      'MetricsGroup',
      '--from',
      'first',
      '--count',
      String(CONSUMED),
    ]);
    assert.equal(tail.code, 0, tail.stderr);
    con = await startConsoleProc(c);
  });

  after(async () => {
    await stopProc(con?.proc);
    await c?.stop();
  });

  it('exports the exporter names with their labels and the real offsets and lag', async () => {
    const res = await fetch(`${con.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const f = parsePrometheusTextFormat(await res.text());
    const labels = {
      rocketmq_broker_tps: ['broker', 'cluster'],
      rocketmq_broker_qps: ['broker', 'cluster'],
      rocketmq_producer_tps: ['broker', 'cluster', 'topic'],
      rocketmq_producer_message_size: ['broker', 'cluster', 'topic'],
      rocketmq_producer_offset: ['broker', 'cluster', 'topic'],
      rocketmq_consumer_tps: ['broker', 'cluster', 'group', 'topic'],
      rocketmq_consumer_message_size: ['broker', 'cluster', 'group', 'topic'],
      rocketmq_consumer_offset: ['broker', 'cluster', 'group', 'topic'],
      rocketmq_group_get_latency_by_storetime: ['broker', 'cluster', 'group', 'topic'],
      rocketmq_message_accumulation: ['broker', 'cluster', 'group', 'topic'],
    };
    for (const [name, keys] of Object.entries(labels)) {
      const s = samples(f, name);
      assert.ok(s.length > 0, `${name} has samples`);
      for (const m of s) assert.deepEqual(Object.keys(m.labels ?? {}).sort(), keys, name);
    }
    const broker = { cluster: c.clusterName, broker: c.brokerName };
    assert.equal(samples(f, 'rocketmq_broker_tps', broker).length, 1);
    const topic = { ...broker, topic: 'MetricsTopic' };
    const group = { ...topic, group: 'MetricsGroup' };
    assert.equal(total(f, 'rocketmq_producer_offset', topic), SENT);
    assert.equal(total(f, 'rocketmq_consumer_offset', group), CONSUMED);
    assert.equal(total(f, 'rocketmq_message_accumulation', group), SENT - CONSUMED);
    assert.ok(total(f, 'rocketmq_group_get_latency_by_storetime', group) > 0, 'unconsumed messages are late');
    assert.ok(total(f, 'rocketmq_producer_message_size', topic) > 0);
  });

  it('follows new traffic on a later scrape', async () => {
    const more = await mq(c, ['producer', 'send', '-t', 'MetricsTopic', '--body', 'one more']);
    assert.equal(more.code, 0, more.stderr);
    await waitFor(
      async () => {
        const f = parsePrometheusTextFormat(await (await fetch(`${con.url}/metrics`)).text());
        const topic = { cluster: c.clusterName, broker: c.brokerName, topic: 'MetricsTopic' };
        return total(f, 'rocketmq_producer_offset', topic) === SENT + 1;
      },
      15_000,
      'producer offset after one more message',
    );
  });
});
