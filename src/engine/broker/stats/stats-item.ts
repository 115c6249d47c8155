/** A snapshot as BrokerStatsData carries it: values in the window, per second, per call. */
export interface StatsSnapshot {
  sum: number;
  tps: number;
  avgpt: number;
}

const MINUTE_SLOTS = 60;
const HOUR_SLOTS = 24;

/** Per-slot values and call counts over a ring of `size` slots of `span` ms each. */
class Ring {
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  private slot: number;

  constructor(
    private readonly size: number,
    private readonly span: number,
    now: number,
  ) {
    this.values = new Float64Array(size);
    this.times = new Float64Array(size);
    this.slot = Math.floor(now / span);
  }

  add(value: number, times: number, now: number): void {
    this.advance(now);
    const i = this.slot % this.size;
    this.values[i]! += value;
    this.times[i]! += times;
  }

  /** Sums of the last `slots` slots, the current one included. */
  sum(slots: number, now: number): { sum: number; times: number } {
    this.advance(now);
    let sum = 0;
    let times = 0;
    for (let k = 0; k < Math.min(slots, this.size); k++) {
      const i = (this.slot - k + this.size) % this.size;
      sum += this.values[i]!;
      times += this.times[i]!;
    }
    return { sum, times };
  }

  private advance(now: number): void {
    const s = Math.floor(now / this.span);
    if (s <= this.slot) return;
    const steps = Math.min(s - this.slot, this.size);
    for (let k = 1; k <= steps; k++) {
      const i = (this.slot + k) % this.size;
      this.values[i] = 0;
      this.times[i] = 0;
    }
    this.slot = s;
  }
}

/**
 * One stats item (Java StatsItem): a value and a call count, kept per minute for the last hour and per
 * hour for the last day, so the minute/hour/day windows of VIEW_BROKER_STATS_DATA come from real counts.
 * About 1.3 KB an item (Java keeps a similar handful of samples): a broker holds one per topic and group.
 */
export class StatsItem {
  private readonly minutes: Ring;
  private readonly hours: Ring;
  readonly created: number;
  total = 0;

  constructor(now = Date.now()) {
    this.created = now;
    this.minutes = new Ring(MINUTE_SLOTS, 60_000, now);
    this.hours = new Ring(HOUR_SLOTS, 3_600_000, now);
  }

  add(value: number, times = 1, now = Date.now()): void {
    this.minutes.add(value, times, now);
    this.hours.add(value, times, now);
    this.total += value;
  }

  /** The last `minutes` minutes, the current one included; beyond an hour, whole hours. */
  window(minutes: number, now = Date.now()): StatsSnapshot {
    const { sum, times } =
      minutes <= MINUTE_SLOTS ? this.minutes.sum(minutes, now) : this.hours.sum(Math.ceil(minutes / 60), now);
    const spanMs = Math.max(1000, Math.min(minutes * 60_000, now - this.created));
    return { sum, tps: (sum * 1000) / spanMs, avgpt: times > 0 ? sum / times : 0 };
  }
}

/** Stats items by name and key (BrokerStatsManager): TOPIC_PUT_NUMS/topic, GROUP_GET_NUMS/topic@group, … */
export class StatsTable {
  private readonly items = new Map<string, Map<string, StatsItem>>();

  inc(name: string, key: string, value: number, times = 1): void {
    this.item(name, key).add(value, times);
  }

  /** The item for name/key, made on first use. */
  item(name: string, key: string): StatsItem {
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
    return item;
  }

  get(name: string, key: string): StatsItem | undefined {
    return this.items.get(name)?.get(key);
  }
}
