import { PutLatency } from './put-latency.js';
import { type StatsItem, StatsTable } from './stats-item.js';
import { TpsCounter } from './tps-counter.js';

interface PutItems {
  cluster: string;
  topicNums: StatsItem;
  topicSize: StatsItem;
  brokerNums: StatsItem;
  queueNums?: StatsItem;
  queueSize?: StatsItem;
}

/** Put/get counters behind GET_BROKER_RUNTIME_INFO (BrokerStats / BrokerStatsManager, reduced). */
export class BrokerStats {
  readonly put = new TpsCounter();
  /** Messages handed to consumers (Java's getTransferedTps; the msgGetTotal* counts). */
  readonly get = new TpsCounter();
  /** Store reads that found messages / found none (Java's getFoundTps / getMissTps count calls). */
  readonly getFound = new TpsCounter();
  readonly getMiss = new TpsCounter();
  readonly putLatency = new PutLatency();
  /** Slowest store read, ms (Java's getMessageEntireTimeMax). */
  getMessageEntireTimeMax = 0;
  readonly bootTimestamp = Date.now();
  /**
   * enableDetailStat (Java's enableQueueStat): QUEUE_PUT_* per topic@queue and QUEUE_GET_* per
   * topic@queue@group. Items are made on first traffic, about 1.3 KB each.
   */
  detail = true;
  /** Items for VIEW_BROKER_STATS_DATA, named as in Java's BrokerStatsManager. */
  readonly items = new StatsTable();
  private yesterdayMorning = { put: 0, get: 0 };
  private todayMorning = { put: 0, get: 0 };
  private day = new Date().toDateString();
  private readonly groupGets = new Map<string, TpsCounter>();
  /** topic → queueId → the items topicPut feeds. */
  private readonly putHandles = new Map<string, PutItems[]>();

  /** Messages a group pulled from a topic (the consumeTps of GET_CONSUME_STATS). */
  groupGet(topic: string, group: string, n: number, queueId = -1, bytes = 0): void {
    if (this.detail && queueId >= 0) {
      this.items.inc('QUEUE_GET_NUMS', `${topic}@${queueId}@${group}`, n);
      this.items.inc('QUEUE_GET_SIZE', `${topic}@${queueId}@${group}`, bytes);
    }
    const key = `${topic}@${group}`;
    let c = this.groupGets.get(key);
    if (!c) {
      c = new TpsCounter();
      this.groupGets.set(key, c);
    }
    c.add(n);
    this.get.add(n);
    this.items.inc('GROUP_GET_NUMS', key, n);
  }

  /** A stored send: per topic (and per queue with enableDetailStat) and broker-wide counts and sizes. */
  topicPut(topic: string, queueId: number, cluster: string, msgs: number, bytes: number): void {
    const now = Date.now();
    this.put.add(msgs, now);
    const h = this.putItems(topic, queueId, cluster);
    h.topicNums.add(msgs, 1, now);
    h.topicSize.add(bytes, 1, now);
    h.brokerNums.add(msgs, 1, now);
    if (this.detail) {
      // Per-queue items exist only once enableDetailStat has counted something, as before.
      h.queueNums ??= this.items.item('QUEUE_PUT_NUMS', `${topic}@${queueId}`);
      h.queueSize ??= this.items.item('QUEUE_PUT_SIZE', `${topic}@${queueId}`);
      h.queueNums.add(msgs, 1, now);
      h.queueSize.add(bytes, 1, now);
    }
  }

  /**
   * The five items a send to topic@queue feeds, looked up once: a send otherwise paid five two-level map
   * lookups, two key strings and five clock reads (~3% of the broker's CPU per message under load).
   */
  private putItems(topic: string, queueId: number, cluster: string): PutItems {
    let byQueue = this.putHandles.get(topic);
    if (!byQueue) {
      byQueue = [];
      this.putHandles.set(topic, byQueue);
    }
    let h = byQueue[queueId];
    if (!h || h.cluster !== cluster) {
      const it = this.items;
      h = {
        cluster,
        topicNums: it.item('TOPIC_PUT_NUMS', topic),
        topicSize: it.item('TOPIC_PUT_SIZE', topic),
        brokerNums: it.item('BROKER_PUT_NUMS', cluster),
        queueNums: byQueue[queueId]?.queueNums,
        queueSize: byQueue[queueId]?.queueSize,
      };
      byQueue[queueId] = h;
    }
    return h;
  }

  /** One store read of the pull path: whether it found messages and how long it took. */
  storeGet(found: boolean, ms: number): void {
    (found ? this.getFound : this.getMiss).add(1);
    if (ms > this.getMessageEntireTimeMax) this.getMessageEntireTimeMax = ms;
  }

  /** "10s 60s 600s" of found + missed reads, as Java's getTotalTps. */
  getTotalTps(now = Date.now()): string {
    return [10, 60, 600]
      .map((s) => (this.getFound.tps(s, now) + this.getMiss.tps(s, now)).toFixed(2))
      .join(' ');
  }

  groupGetTps(topic: string, group: string): number {
    return this.groupGets.get(`${topic}@${group}`)?.tps(10) ?? 0;
  }

  /** Rolls the day snapshots at midnight (called from the runtime-info path and a minute timer). */
  roll(now = new Date()): void {
    const d = now.toDateString();
    if (d === this.day) return;
    this.day = d;
    this.yesterdayMorning = this.todayMorning;
    this.todayMorning = { put: this.put.total, get: this.get.total };
  }

  totals(): Record<string, string> {
    this.roll();
    return {
      msgPutTotalYesterdayMorning: String(this.yesterdayMorning.put),
      msgPutTotalTodayMorning: String(this.todayMorning.put),
      msgPutTotalTodayNow: String(this.put.total),
      msgGetTotalYesterdayMorning: String(this.yesterdayMorning.get),
      msgGetTotalTodayMorning: String(this.todayMorning.get),
      msgGetTotalTodayNow: String(this.get.total),
    };
  }
}
