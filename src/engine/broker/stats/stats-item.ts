/** A snapshot as BrokerStatsData carries it: values in the window, per second, per call. */
export interface StatsSnapshot {
  sum: number;
  tps: number;
  avgpt: number;
}

const MINUTES_PER_DAY = 1440;

/**
 * One stats item (Java StatsItem): a value and a call count, kept per minute for the last 24 h so the
 * minute/hour/day windows of VIEW_BROKER_STATS_DATA come from real counts.
 */
export class StatsItem {
  private readonly values = new Float64Array(MINUTES_PER_DAY);
  private readonly times = new Float64Array(MINUTES_PER_DAY);
  private minute = Math.floor(Date.now() / 60_000);
  readonly created = Date.now();
  total = 0;

  add(value: number, times = 1, now = Date.now()): void {
    this.advance(now);
    const i = this.minute % MINUTES_PER_DAY;
    this.values[i] += value;
    this.times[i] += times;
    this.total += value;
  }

  /** The last `minutes` minutes, the current one included. */
  window(minutes: number, now = Date.now()): StatsSnapshot {
    this.advance(now);
    let sum = 0;
    let times = 0;
    for (let k = 0; k < minutes; k++) {
      const i = (this.minute - k + MINUTES_PER_DAY) % MINUTES_PER_DAY;
      sum += this.values[i]!;
      times += this.times[i]!;
    }
    const spanMs = Math.max(1000, Math.min(minutes * 60_000, now - this.created));
    return { sum, tps: (sum * 1000) / spanMs, avgpt: times > 0 ? sum / times : 0 };
  }

  private advance(now: number): void {
    const m = Math.floor(now / 60_000);
    if (m <= this.minute) return;
    const steps = Math.min(m - this.minute, MINUTES_PER_DAY);
    for (let k = 1; k <= steps; k++) {
      const i = (this.minute + k) % MINUTES_PER_DAY;
      this.values[i] = 0;
      this.times[i] = 0;
    }
    this.minute = m;
  }
}

/** Stats items by name and key (BrokerStatsManager): TOPIC_PUT_NUMS/topic, GROUP_GET_NUMS/topic@group, … */
export class StatsTable {
  private readonly items = new Map<string, Map<string, StatsItem>>();

  inc(name: string, key: string, value: number, times = 1): void {
    let byKey = this.items.get(name);
    if (!byKey) {
      byKey = new Map();
      this.items.set(name, byKey);
    }
    let item = byKey.get(key);
    if (!item) {
      item = new StatsItem();
      byKey.set(key, item);
    }
    item.add(value, times);
  }

  get(name: string, key: string): StatsItem | undefined {
    return this.items.get(name)?.get(key);
  }
}
