import { type ConsumerProgress, type QueueProgress, queueKey } from './consumer-progress.js';

/** A queue's lag with how it moved since the previous sample. */
export interface QueueLagTrend extends QueueProgress {
  /** Change of diff since the previous sample (positive: falling behind). null on the first sample. */
  diffDelta: number | null;
  /** Messages consumed per second over the window (consumer offset growth). */
  consumeRate: number | null;
  /** Messages produced per second over the window (broker offset growth). */
  produceRate: number | null;
  /**
   * Seconds until diff reaches 0 if both rates hold: diff / (consumeRate − produceRate). 0 when already
   * caught up; null when unknown or never (the consumer is not gaining).
   */
  catchUpSeconds: number | null;
}

export interface LagSnapshot {
  group: string;
  at: number;
  queues: QueueLagTrend[];
  diffTotal: number;
  diffTotalDelta: number | null;
  consumeRate: number | null;
  produceRate: number | null;
  catchUpSeconds: number | null;
}

interface Sample {
  at: number;
  brokerOffset: number;
  consumerOffset: number;
}

/**
 * Keeps the first sample of each queue of a `--watch` session and turns each refresh into rates measured
 * over the whole window (steadier than sample-to-sample), plus the lag change since the last refresh.
 */
export class LagTracker {
  private readonly first = new Map<string, Sample>();
  private readonly last = new Map<string, Sample>();
  private firstTotal: { at: number; broker: number; consumer: number } | undefined;
  private lastDiffTotal: number | undefined;

  update(p: ConsumerProgress, at = Date.now()): LagSnapshot {
    let broker = 0;
    let consumer = 0;
    const queues = p.queues.map((q): QueueLagTrend => {
      broker += q.brokerOffset;
      consumer += q.consumerOffset;
      const key = queueKey(q);
      const s0 = this.first.get(key);
      const prev = this.last.get(key);
      const now: Sample = { at, brokerOffset: q.brokerOffset, consumerOffset: q.consumerOffset };
      if (!s0) this.first.set(key, now);
      this.last.set(key, now);
      const rates = s0 ? ratesBetween(s0, now) : null;
      return {
        ...q,
        diffDelta: prev ? q.diff - (prev.brokerOffset - prev.consumerOffset) : null,
        consumeRate: rates?.consume ?? null,
        produceRate: rates?.produce ?? null,
        catchUpSeconds: catchUp(q.diff, rates),
      };
    });
    if (!this.firstTotal) this.firstTotal = { at, broker, consumer };
    const t0 = this.firstTotal;
    const rates = ratesBetween(
      { at: t0.at, brokerOffset: t0.broker, consumerOffset: t0.consumer },
      { at, brokerOffset: broker, consumerOffset: consumer },
    );
    const snap: LagSnapshot = {
      group: p.group,
      at,
      queues,
      diffTotal: p.diffTotal,
      diffTotalDelta: this.lastDiffTotal === undefined ? null : p.diffTotal - this.lastDiffTotal,
      consumeRate: rates?.consume ?? null,
      produceRate: rates?.produce ?? null,
      catchUpSeconds: catchUp(p.diffTotal, rates),
    };
    this.lastDiffTotal = p.diffTotal;
    return snap;
  }
}

function ratesBetween(a: Sample, b: Sample): { consume: number; produce: number } | null {
  const dt = (b.at - a.at) / 1000;
  if (dt <= 0) return null;
  return {
    consume: (b.consumerOffset - a.consumerOffset) / dt,
    produce: (b.brokerOffset - a.brokerOffset) / dt,
  };
}

function catchUp(diff: number, rates: { consume: number; produce: number } | null): number | null {
  if (diff <= 0) return 0;
  if (!rates) return null;
  const gain = rates.consume - rates.produce;
  return gain > 0 ? diff / gain : null;
}
