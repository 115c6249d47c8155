import { StatsTable } from './stats-item.js';
import { TpsCounter } from './tps-counter.js';

/** Put/get counters behind GET_BROKER_RUNTIME_INFO (BrokerStats / BrokerStatsManager, reduced). */
export class BrokerStats {
  readonly put = new TpsCounter();
  readonly get = new TpsCounter();
  readonly bootTimestamp = Date.now();
  /** Items for VIEW_BROKER_STATS_DATA, named as in Java's BrokerStatsManager. */
  readonly items = new StatsTable();
  private yesterdayMorning = { put: 0, get: 0 };
  private todayMorning = { put: 0, get: 0 };
  private day = new Date().toDateString();
  private readonly groupGets = new Map<string, TpsCounter>();

  /** Messages a group pulled from a topic (the consumeTps of GET_CONSUME_STATS). */
  groupGet(topic: string, group: string, n: number): void {
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

  /** A stored send: per topic and broker-wide counts and sizes. */
  topicPut(topic: string, cluster: string, msgs: number, bytes: number): void {
    this.put.add(msgs);
    this.items.inc('TOPIC_PUT_NUMS', topic, msgs);
    this.items.inc('TOPIC_PUT_SIZE', topic, bytes);
    this.items.inc('BROKER_PUT_NUMS', cluster, msgs);
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
