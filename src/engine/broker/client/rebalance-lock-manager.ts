import type { MessageQueueData } from '../../protocol/bodies/message-queue-key.js';

/** A client's lease on a queue for orderly consumption (RebalanceLockManager: 60 s unless renewed). */
export const REBALANCE_LOCK_MAX_LIVE_TIME_MS = 60_000;

interface LockEntry {
  clientId: string;
  lastUpdate: number;
}

const mqKey = (mq: MessageQueueData) => `${mq.topic}\u0001${mq.brokerName}\u0001${mq.queueId}`;

export class RebalanceLockManager {
  private readonly table = new Map<string, Map<string, LockEntry>>();

  /** Locks (or renews) what it can; returns the queues now held by clientId. */
  tryLockBatch(
    group: string,
    mqs: MessageQueueData[],
    clientId: string,
    now = Date.now(),
  ): MessageQueueData[] {
    let g = this.table.get(group);
    if (!g) {
      g = new Map();
      this.table.set(group, g);
    }
    const locked: MessageQueueData[] = [];
    for (const mq of mqs) {
      const k = mqKey(mq);
      const e = g.get(k);
      if (!e || e.clientId === clientId || now - e.lastUpdate > REBALANCE_LOCK_MAX_LIVE_TIME_MS) {
        g.set(k, { clientId, lastUpdate: now });
        locked.push(mq);
      }
    }
    return locked;
  }

  unlockBatch(group: string, mqs: MessageQueueData[], clientId: string): void {
    const g = this.table.get(group);
    if (!g) return;
    for (const mq of mqs) {
      const k = mqKey(mq);
      if (g.get(k)?.clientId === clientId) g.delete(k);
    }
  }
}
