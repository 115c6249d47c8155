import { MASTER_ID } from '../../protocol/bodies/topic-route-data.js';
import { type MessageQueue, mqKey } from '../message-queue.js';
import type { ProcessQueue } from '../process-queue.js';
import type { OffsetStore } from './offset-store.js';
import type { PushConsumer } from './push-consumer.js';
import { type ConsumeOrderlyStatus, type OrderlyListener, sleep } from './types.js';

/**
 * ConsumeMessageOrderlyService: one listener call at a time per queue, in offset order; in clustering
 * mode only while this client holds the broker's lock on the queue (LOCK_BATCH_MQ, renewed every 20 s).
 */
export class OrderlyConsumeService {
  private readonly batch: number;

  constructor(
    private readonly consumer: PushConsumer,
    private readonly listener: OrderlyListener,
    private readonly offsets: OffsetStore,
  ) {
    this.batch = consumer.opts.consumeMessageBatchMaxSize ?? 1;
  }

  private get clustering(): boolean {
    return this.consumer.messageModel === 'CLUSTERING';
  }

  private brokerAddr(brokerName: string): string | undefined {
    return this.consumer.client.brokerAddrs.get(brokerName)?.[String(MASTER_ID)];
  }

  /** Locks one queue on its broker; true when this client holds it. */
  async lock(mq: MessageQueue): Promise<boolean> {
    const addr = this.brokerAddr(mq.brokerName);
    if (!addr) return false;
    const inst = this.consumer.client;
    try {
      const ok = await inst.api.lockBatchMQ(
        addr,
        this.consumer.groupName,
        inst.clientId,
        [mq],
        inst.timeoutMs,
      );
      return ok.some((x) => mqKey(x) === mqKey(mq));
    } catch (err) {
      inst.log.warn({ mq, err: String(err) }, 'lock queue failed');
      return false;
    }
  }

  /** Renews the locks of every assigned queue, broker by broker (RebalanceImpl.lockAll). */
  async lockAll(): Promise<void> {
    if (!this.clustering || !this.consumer.isRunning()) return;
    const inst = this.consumer.client;
    const byBroker = new Map<string, MessageQueue[]>();
    for (const mq of this.consumer.assignedQueues()) {
      const list = byBroker.get(mq.brokerName) ?? [];
      list.push(mq);
      byBroker.set(mq.brokerName, list);
    }
    for (const [broker, mqs] of byBroker) {
      const addr = this.brokerAddr(broker);
      if (!addr) continue;
      try {
        const ok = new Set(
          (await inst.api.lockBatchMQ(addr, this.consumer.groupName, inst.clientId, mqs, inst.timeoutMs)).map(
            mqKey,
          ),
        );
        for (const mq of mqs) {
          const pq = this.consumer.processQueue(mq);
          if (!pq) continue;
          if (ok.has(mqKey(mq))) {
            pq.locked = true;
            pq.lastLockTimestamp = Date.now();
          } else {
            pq.locked = false;
          }
        }
      } catch (err) {
        inst.log.warn({ broker, err: String(err) }, 'lock renewal failed');
      }
    }
  }

  async unlockAll(mqs: MessageQueue[]): Promise<void> {
    if (!this.clustering || mqs.length === 0) return;
    const inst = this.consumer.client;
    const byBroker = new Map<string, MessageQueue[]>();
    for (const mq of mqs) byBroker.set(mq.brokerName, [...(byBroker.get(mq.brokerName) ?? []), mq]);
    await Promise.all(
      [...byBroker].map(async ([broker, list]) => {
        const addr = this.brokerAddr(broker);
        if (!addr) return;
        await inst.api
          .unlockBatchMQ(addr, this.consumer.groupName, inst.clientId, list, inst.timeoutMs, false)
          .catch(() => {});
      }),
    );
  }

  /** New messages were cached for `pq`: start its serial loop unless one is already running. */
  dispatch(mq: MessageQueue, pq: ProcessQueue, _wasIdle: boolean): void {
    if (pq.consumingNow) return;
    void this.runQueue(mq, pq);
  }

  private async runQueue(mq: MessageQueue, pq: ProcessQueue): Promise<void> {
    const c = this.consumer;
    pq.consumingNow = true;
    pq.inflight++;
    try {
      while (!pq.dropped && c.isRunning()) {
        if (this.clustering && (!pq.locked || pq.isLockExpired())) {
          if (await this.lock(mq)) {
            pq.locked = true;
            pq.lastLockTimestamp = Date.now();
          } else {
            pq.locked = false;
            await sleep(100);
            continue;
          }
        }
        const msgs = pq.take(this.batch);
        if (msgs.length === 0) break;
        c.prepareForListener(msgs);
        const ctx = { mq, suspendCurrentQueueTimeMillis: c.opts.suspendCurrentQueueTimeMillis ?? 1000 };
        const traced = c.traceBefore(msgs);
        let status: ConsumeOrderlyStatus;
        let threw = false;
        try {
          status = (await this.listener(msgs, ctx)) ?? 'SUCCESS';
        } catch (err) {
          c.client.log.warn({ mq, err: String(err) }, 'orderly listener threw; suspending the queue');
          status = 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
          threw = true;
        }
        c.traceAfter(traced, msgs, status === 'SUCCESS', threw);
        if (pq.finalized || (pq.dropped && status !== 'SUCCESS')) break;
        if (status === 'SUCCESS') {
          c.stats.ok += msgs.length;
          const off = pq.commit();
          if (off >= 0) this.offsets.update(mq, off, false);
        } else {
          c.stats.failed += msgs.length;
          for (const m of msgs) m.reconsumeTimes++;
          pq.rollback();
          await sleep(ctx.suspendCurrentQueueTimeMillis);
        }
      }
    } finally {
      pq.consumingNow = false;
      pq.inflight--;
    }
    if (!pq.dropped && c.isRunning() && pq.hasPending()) void this.runQueue(mq, pq);
  }
}
