/**
 * Broker fault avoidance for producers (MQFaultStrategy + LatencyFaultToleranceImpl): a send that was slow
 * or failed keeps its broker out of selection for a while, scaled by the observed latency.
 */
const LATENCY_MAX = [50, 100, 550, 1000, 2000, 3000, 15000];
const NOT_AVAILABLE_DURATION = [0, 0, 30000, 60000, 120000, 180000, 600000];
/** A failed send counts as this latency (Java's isolation value). */
export const ISOLATION_LATENCY = 30000;

interface FaultItem {
  currentLatency: number;
  startTimestamp: number;
}

export class LatencyFaultTolerance {
  private readonly items = new Map<string, FaultItem>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Record one send's latency to `brokerName`; `isolation` = it failed. */
  update(brokerName: string, latencyMs: number, isolation = false): void {
    const latency = isolation ? ISOLATION_LATENCY : latencyMs;
    let duration = 0;
    for (let i = LATENCY_MAX.length - 1; i >= 0; i--) {
      if (latency >= LATENCY_MAX[i]!) {
        duration = NOT_AVAILABLE_DURATION[i]!;
        break;
      }
    }
    this.items.set(brokerName, { currentLatency: latency, startTimestamp: this.now() + duration });
  }

  isAvailable(brokerName: string): boolean {
    const item = this.items.get(brokerName);
    return !item || this.now() >= item.startTimestamp;
  }

  remove(brokerName: string): void {
    this.items.delete(brokerName);
  }

  /** When every broker is out, the least bad one (lowest latency, then soonest back). */
  pickOneAtLeast(candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestItem: FaultItem | undefined;
    for (const name of candidates) {
      const item = this.items.get(name);
      if (!item) return name;
      if (
        !bestItem ||
        item.currentLatency < bestItem.currentLatency ||
        (item.currentLatency === bestItem.currentLatency && item.startTimestamp < bestItem.startTimestamp)
      ) {
        best = name;
        bestItem = item;
      }
    }
    return best;
  }
}
