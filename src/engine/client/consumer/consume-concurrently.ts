import type { MessageExt } from '../message.js';
import type { MessageQueue } from '../message-queue.js';
import type { ProcessQueue } from '../process-queue.js';
import type { OffsetStore } from './offset-store.js';
import type { PushConsumer } from './push-consumer.js';
import type { ConcurrentListener, ConsumeConcurrentlyStatus } from './types.js';

interface Task {
  mq: MessageQueue;
  pq: ProcessQueue;
  msgs: MessageExt[];
}

/**
 * ConsumeMessageConcurrentlyService: listener calls run in parallel (up to consumeThreadMax), in batches
 * of consumeMessageBatchMaxSize; the committed offset only moves past a message once every message
 * before it in the queue is done.
 */
export class ConcurrentConsumeService {
  private readonly queue: Task[] = [];
  private running = 0;
  private readonly max: number;
  private readonly batch: number;

  constructor(
    private readonly consumer: PushConsumer,
    private readonly listener: ConcurrentListener,
    private readonly offsets: OffsetStore,
  ) {
    this.max = consumer.opts.consumeThreadMax ?? 20;
    this.batch = consumer.opts.consumeMessageBatchMaxSize ?? 1;
  }

  submit(mq: MessageQueue, pq: ProcessQueue, msgs: MessageExt[]): void {
    for (let i = 0; i < msgs.length; i += this.batch)
      this.queue.push({ mq, pq, msgs: msgs.slice(i, i + this.batch) });
    this.pump();
  }

  private pump(): void {
    while (this.running < this.max && this.queue.length > 0) {
      const t = this.queue.shift()!;
      if (t.pq.dropped) continue;
      this.running++;
      t.pq.inflight++;
      void this.run(t).finally(() => {
        this.running--;
        t.pq.inflight--;
        this.pump();
      });
    }
  }

  private async run(t: Task): Promise<void> {
    const c = this.consumer;
    // Shutting down: leave the messages unconsumed (their offsets are not committed past them).
    if (!c.isRunning() || t.pq.dropped) return;
    c.prepareForListener(t.msgs);
    const ctx = { mq: t.mq, delayLevelWhenNextConsume: 0 };
    const traced = c.traceBefore(t.msgs);
    let status: ConsumeConcurrentlyStatus;
    let threw = false;
    try {
      status = (await this.listener(t.msgs, ctx)) ?? 'CONSUME_SUCCESS';
    } catch (err) {
      c.client.log.warn({ mq: t.mq, err: String(err) }, 'listener threw; reconsume later');
      status = 'RECONSUME_LATER';
      threw = true;
    }
    c.traceAfter(traced, t.msgs, status === 'CONSUME_SUCCESS', threw);
    // A dropped queue still records progress until its final commit, so messages that were delivered
    // while it was being handed over are not delivered again by the next owner.
    if (t.pq.finalized || (t.pq.dropped && status !== 'CONSUME_SUCCESS')) return;
    let retryLocally: MessageExt[] = [];
    if (status === 'CONSUME_SUCCESS') {
      c.stats.ok += t.msgs.length;
    } else {
      c.stats.failed += t.msgs.length;
      // Broadcasting drops failed messages, as Java does; clustering hands them to the retry topic.
      if (c.messageModel === 'CLUSTERING') {
        const results = await Promise.all(
          t.msgs.map((m) => c.sendMessageBack(m, ctx.delayLevelWhenNextConsume)),
        );
        retryLocally = t.msgs.filter((_, i) => !results[i]);
      }
    }
    const done = t.msgs.filter((m) => !retryLocally.includes(m));
    const offset = t.pq.remove(done);
    if (offset >= 0 && !t.pq.finalized) this.offsets.update(t.mq, offset, true);
    if (retryLocally.length > 0) {
      for (const m of retryLocally) m.reconsumeTimes++;
      setTimeout(() => {
        if (!t.pq.dropped && c.isRunning()) this.submit(t.mq, t.pq, retryLocally);
      }, 5000);
    }
  }
}
