// The dashboard's collect tasks, kept in memory: every broker's TPS every few seconds (the landing page's
// live chart) and every topic's in/out TPS and today's counts every minute (the top-topics chart), for the
// last `retainMs`. Only topics that saw traffic keep samples, so 1,000 idle topics cost no memory.
import type { AdminClient, BrokerStatsData } from '../engine/admin/admin-client.js';
import { isRetryOrDlq, sum24h } from '../engine/admin/topic-ops.js';
import { masterAddr } from '../engine/protocol/bodies/topic-route-data.js';
import { mapLimit } from './context.js';

/** [time ms, put TPS, get TPS, the dashboard's averaged getTotalTps]. */
export type BrokerSample = [number, number, number, number];
/** [time ms, in TPS, in count today, out TPS, out count today] (the dashboard's topic line). */
export type TopicSample = [number, number, number, number, number];

export interface CollectorOptions {
  brokerIntervalMs?: number;
  topicIntervalMs?: number;
  retainMs?: number;
  onError?: (what: string, err: Error) => void;
}

function firstNumber(s: string | undefined): number {
  const n = Number((s ?? '').trim().split(' ')[0]);
  return Number.isFinite(n) ? n : 0;
}

function averageOf(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const xs = s.trim().split(/\s+/).map(Number);
  if (!xs.length || xs.some((x) => !Number.isFinite(x))) return undefined;
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function localDate(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export class TpsCollector {
  readonly brokers = new Map<string, BrokerSample[]>();
  readonly topics = new Map<string, TopicSample[]>();
  private timers: NodeJS.Timeout[] = [];
  private readonly brokerIntervalMs: number;
  private readonly topicIntervalMs: number;
  private readonly retainMs: number;
  private brokerBusy = false;
  private topicBusy = false;

  constructor(
    private readonly admin: () => AdminClient,
    private readonly o: CollectorOptions = {},
  ) {
    this.brokerIntervalMs = o.brokerIntervalMs ?? 5000;
    this.topicIntervalMs = o.topicIntervalMs ?? 60_000;
    this.retainMs = o.retainMs ?? 6 * 3_600_000;
  }

  start(): void {
    const every = (ms: number, fn: () => Promise<void>) => {
      void fn();
      const t = setInterval(() => void fn(), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.brokerIntervalMs, () => this.collectBrokers());
    every(this.topicIntervalMs, () => this.collectTopics());
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private push<T extends [number, ...number[]]>(m: Map<string, T[]>, key: string, s: T): void {
    let list = m.get(key);
    if (!list) m.set(key, (list = []));
    list.push(s);
    const cut = s[0] - this.retainMs;
    let drop = 0;
    while (drop < list.length && list[drop]![0] < cut) drop++;
    if (drop) list.splice(0, drop);
  }

  /** One round over every broker (masters and slaves), keyed `brokerName:brokerId` as the dashboard keys them. */
  async collectBrokers(now = Date.now()): Promise<void> {
    if (this.brokerBusy) return;
    this.brokerBusy = true;
    try {
      const admin = this.admin();
      const ci = await admin.examineBrokerClusterInfo();
      const targets = Object.values(ci.brokerAddrTable).flatMap((bd) =>
        Object.entries(bd.brokerAddrs).map(([id, addr]) => ({ key: `${bd.brokerName}:${id}`, addr })),
      );
      await mapLimit(targets, 8, async ({ key, addr }) => {
        try {
          const kv = await admin.fetchBrokerRuntimeStats(addr);
          const put = firstNumber(kv.putTps);
          const get = firstNumber(kv.getTransferedTps);
          this.push(this.brokers, key, [now, put, get, averageOf(kv.getTotalTps) ?? get]);
        } catch (err) {
          this.o.onError?.(`broker ${addr}`, err as Error);
        }
      });
    } catch (err) {
      this.o.onError?.('cluster info', err as Error);
    } finally {
      this.brokerBusy = false;
    }
  }

  /** One round over the user topics: TOPIC_PUT_NUMS and each consumer group's GROUP_GET_NUMS per master. */
  async collectTopics(now = Date.now()): Promise<void> {
    if (this.topicBusy) return;
    this.topicBusy = true;
    try {
      const admin = this.admin();
      const ci = await admin.examineBrokerClusterInfo();
      const masters = Object.values(ci.brokerAddrTable)
        .map(masterAddr)
        .filter((a): a is string => !!a);
      const system = new Set([...Object.keys(ci.clusterAddrTable), ...Object.keys(ci.brokerAddrTable)]);
      const topics = (await admin.fetchAllTopicList()).filter((t) => !isRetryOrDlq(t) && !system.has(t));
      const stat = (addr: string, name: string, key: string): Promise<BrokerStatsData | undefined> =>
        admin.viewBrokerStatsData(addr, name, key).catch(() => undefined);
      await mapLimit(topics, 4, async (topic) => {
        let inTps = 0;
        let inToday = 0;
        let outTps = 0;
        let outToday = 0;
        for (const addr of masters) {
          const put = await stat(addr, 'TOPIC_PUT_NUMS', topic);
          if (put) {
            inTps += put.statsMinute?.tps ?? 0;
            inToday += sum24h(put);
          }
          const groups = await admin.queryTopicConsumeByWho(addr, topic).catch(() => [] as string[]);
          for (const g of groups) {
            const got = await stat(addr, 'GROUP_GET_NUMS', `${topic}@${g}`);
            if (got) {
              outTps += got.statsMinute?.tps ?? 0;
              outToday += sum24h(got);
            }
          }
        }
        if (inTps || inToday || outTps || outToday || this.topics.has(topic))
          this.push(this.topics, topic, [now, inTps, inToday, outTps, outToday]);
      });
    } catch (err) {
      this.o.onError?.('topics', err as Error);
    } finally {
      this.topicBusy = false;
    }
  }

  /**
   * The dashboard's /dashboard/broker.query answer: `brokerName:id` → "time,tps" lines of that day; with
   * `full` (the data folder's form), ",putTps,getTps" after them.
   */
  brokerDay(date: string, full = false): Record<string, string[]> {
    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(5) : '');
    const out: Record<string, string[]> = {};
    for (const [k, list] of this.brokers) {
      const lines = list
        .filter((s) => localDate(s[0]) === date)
        .map((s) => (full ? `${s[0]},${f(s[3])},${f(s[1])},${f(s[2])}` : `${s[0]},${f(s[3])}`));
      if (lines.length) out[k] = lines;
    }
    return out;
  }

  /** Puts saved samples (the data folder's) before the ones taken since start; returns how many. */
  restore(
    brokers: Record<string, BrokerSample[]>,
    topics: Record<string, TopicSample[]>,
    now = Date.now(),
  ): number {
    const cut = now - this.retainMs;
    let n = 0;
    const merge = <T extends [number, ...number[]]>(m: Map<string, T[]>, saved: Record<string, T[]>) => {
      for (const [k, list] of Object.entries(saved)) {
        const cur = m.get(k) ?? [];
        const first = cur[0]?.[0] ?? Number.POSITIVE_INFINITY;
        const old = list.filter((s) => s[0] >= cut && s[0] < first).sort((a, b) => a[0] - b[0]);
        n += old.length;
        if (old.length) m.set(k, [...old, ...cur]);
      }
    };
    merge(this.brokers, brokers);
    merge(this.topics, topics);
    return n;
  }

  /** /dashboard/topic.query: topic → "time,inTps,inToday,outTps,outToday" lines of that day. */
  topicDay(date: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, list] of this.topics) {
      const lines = list
        .filter((s) => localDate(s[0]) === date)
        .map((s) => `${s[0]},${s[1].toFixed(5)},${s[2]},${s[3].toFixed(5)},${s[4]}`);
      if (lines.length) out[k] = lines;
    }
    return out;
  }

  brokerSince(since: number): Record<string, BrokerSample[]> {
    const out: Record<string, BrokerSample[]> = {};
    for (const [k, list] of this.brokers) out[k] = list.filter((s) => s[0] > since);
    return out;
  }

  topicSince(since: number): Record<string, TopicSample[]> {
    const out: Record<string, TopicSample[]> = {};
    for (const [k, list] of this.topics) out[k] = list.filter((s) => s[0] > since);
    return out;
  }
}
