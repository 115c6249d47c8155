// /metrics in Prometheus text format with rocketmq-exporter's names and labels, so its Grafana
// dashboards (ID 10477) work against the console. One scrape walks the cluster once (brokers, topics,
// groups, with a few requests in flight); scrapes within `ttlMs` share that walk.
import { Gauge, Registry } from 'prom-client';
import type { AdminClient } from '../engine/admin/admin-client.js';
import { isSystemGroup } from '../engine/admin/consumer-progress.js';
import { isRetryOrDlq } from '../engine/admin/topic-ops.js';
import { masterAddr } from '../engine/protocol/bodies/topic-route-data.js';
import { type ConsoleContext, mapLimit } from './context.js';

const BROKER = ['cluster', 'broker'] as const;
const TOPIC = ['cluster', 'broker', 'topic'] as const;
const GROUP = ['cluster', 'broker', 'topic', 'group'] as const;

function firstNumber(s: string | undefined): number {
  const n = Number((s ?? '').trim().split(' ')[0]);
  return Number.isFinite(n) ? n : 0;
}

export class ConsoleMetrics {
  readonly registry = new Registry();
  private readonly g;
  private last?: { at: number; text: Promise<string> };

  constructor(
    private readonly ctx: ConsoleContext,
    private readonly ttlMs = 5000,
  ) {
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge<L>({ name, help, labelNames: [...labelNames], registers: [this.registry] });
    this.g = {
      brokerTps: gauge('rocketmq_broker_tps', 'BrokerPutNums', BROKER),
      brokerQps: gauge('rocketmq_broker_qps', 'BrokerGetNums', BROKER),
      producerTps: gauge('rocketmq_producer_tps', 'TopicPutNums', TOPIC),
      producerSize: gauge('rocketmq_producer_message_size', 'TopicPutMessageSize', TOPIC),
      producerOffset: gauge('rocketmq_producer_offset', 'TopicOffset', TOPIC),
      consumerTps: gauge('rocketmq_consumer_tps', 'GroupGetNums', GROUP),
      consumerSize: gauge('rocketmq_consumer_message_size', 'GroupGetMessageSize', GROUP),
      consumerOffset: gauge('rocketmq_consumer_offset', 'GroupOffset', GROUP),
      latencyByStoreTime: gauge(
        'rocketmq_group_get_latency_by_storetime',
        'GroupGetLatencyByStoreTime',
        GROUP,
      ),
      accumulation: gauge('rocketmq_message_accumulation', 'How far consumer offsets lag behind', GROUP),
    };
  }

  /** The text of one scrape (shared by scrapes within ttlMs). */
  scrape(): Promise<string> {
    const now = Date.now();
    if (this.last && now - this.last.at < this.ttlMs) return this.last.text;
    const text = this.collect().then(() => this.registry.metrics());
    this.last = { at: now, text };
    text.catch(() => {
      this.last = undefined;
    });
    return text;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async collect(): Promise<void> {
    const admin: AdminClient = this.ctx.admin;
    const ci = await admin.examineBrokerClusterInfo();
    for (const g of Object.values(this.g)) g.reset();
    const clusterOf = new Map<string, string>();
    for (const [c, names] of Object.entries(ci.clusterAddrTable)) for (const n of names) clusterOf.set(n, c);
    const masters = Object.values(ci.brokerAddrTable)
      .map((bd) => ({
        broker: bd.brokerName,
        cluster: clusterOf.get(bd.brokerName) ?? '',
        addr: masterAddr(bd),
      }))
      .filter((m): m is { broker: string; cluster: string; addr: string } => !!m.addr);
    const byName = new Map(masters.map((m) => [m.broker, m]));
    const stat = async (addr: string, name: string, key: string) =>
      (await admin.viewBrokerStatsData(addr, name, key).catch(() => undefined))?.statsMinute?.tps ?? 0;

    await mapLimit(masters, 4, async (m) => {
      const kv = await admin.fetchBrokerRuntimeStats(m.addr).catch(() => undefined);
      if (!kv) return;
      this.g.brokerTps.set({ cluster: m.cluster, broker: m.broker }, firstNumber(kv.putTps));
      this.g.brokerQps.set({ cluster: m.cluster, broker: m.broker }, firstNumber(kv.getTransferedTps));
    });

    const system = new Set([...clusterOf.keys(), ...clusterOf.values()]);
    const topics = (await admin.fetchAllTopicList()).filter((t) => !isRetryOrDlq(t) && !system.has(t));
    await mapLimit(topics, 4, async (topic) => {
      const st = await admin.examineTopicStats(topic).catch(() => undefined);
      if (!st) return;
      const maxByBroker = new Map<string, number>();
      for (const [mq, o] of st.offsetTable)
        maxByBroker.set(mq.brokerName, (maxByBroker.get(mq.brokerName) ?? 0) + o.maxOffset);
      for (const [broker, max] of maxByBroker) {
        const m = byName.get(broker);
        if (!m) continue;
        const l = { cluster: m.cluster, broker, topic };
        this.g.producerOffset.set(l, max);
        this.g.producerTps.set(l, await stat(m.addr, 'TOPIC_PUT_NUMS', topic));
        this.g.producerSize.set(l, await stat(m.addr, 'TOPIC_PUT_SIZE', topic));
      }
    });

    const groups = new Set<string>();
    for (const m of masters) {
      const w = await admin.getAllSubscriptionGroup(m.addr).catch(() => undefined);
      for (const g of Object.keys(w?.subscriptionGroupTable ?? {})) if (!isSystemGroup(g)) groups.add(g);
    }
    const now = Date.now();
    await mapLimit([...groups], 4, async (group) => {
      const cs = await admin.examineConsumeStats(group).catch(() => undefined);
      if (!cs) return;
      const agg = new Map<
        string,
        { broker: string; topic: string; offset: number; diff: number; lag: number }
      >();
      for (const [mq, w] of cs.offsetTable) {
        if (isRetryOrDlq(mq.topic)) continue;
        const k = `${mq.brokerName}\u0000${mq.topic}`;
        const a = agg.get(k) ?? { broker: mq.brokerName, topic: mq.topic, offset: 0, diff: 0, lag: 0 };
        a.offset += Math.max(0, w.consumerOffset);
        const diff = w.brokerOffset - w.consumerOffset;
        a.diff += diff;
        // How old the first unconsumed message is, by the store time of the last consumed one.
        if (diff > 0 && w.lastTimestamp > 0) a.lag = Math.max(a.lag, now - w.lastTimestamp);
        agg.set(k, a);
      }
      for (const a of agg.values()) {
        const m = byName.get(a.broker);
        if (!m) continue;
        const l = { cluster: m.cluster, broker: a.broker, topic: a.topic, group };
        this.g.consumerOffset.set(l, a.offset);
        this.g.accumulation.set(l, a.diff);
        this.g.latencyByStoreTime.set(l, a.lag);
        this.g.consumerTps.set(l, await stat(m.addr, 'GROUP_GET_NUMS', `${a.topic}@${group}`));
        this.g.consumerSize.set(l, await stat(m.addr, 'GROUP_GET_SIZE', `${a.topic}@${group}`));
      }
    });
  }
}
