import type { PullConsumer } from '../consumer/pull-consumer.js';
import type { ConsumeFromWhere } from '../consumer/types.js';
import type { MessageExt } from '../message.js';
import { type MessageQueue, mqKey } from '../message-queue.js';
import type { MessageSelector } from '../tag-expression.js';

export interface TailStart {
  where: ConsumeFromWhere;
  /** ms since the epoch, for CONSUME_FROM_TIMESTAMP. */
  timestamp?: number;
}

export interface TopicTailerOptions {
  /** Long-poll time of each pull (ms). */
  suspendMs?: number;
  /** How often the topic's queues are looked up again, for queues added while tailing (ms). */
  refreshMs?: number;
  /** Messages per pull. */
  batch?: number;
  /** Pause after a failed pull before that queue is tried again (ms). */
  retryMs?: number;
  /** A failed pull (broker down, …): told once per queue until it pulls again. */
  onError?: (mq: MessageQueue, err: Error) => void;
}

/**
 * Reads every queue of a topic with a PullConsumer, keeping each queue's position in memory: nothing is
 * committed and no consumer group is registered, so a throw-away tail leaves no trace on the brokers (as
 * the pulls of mqadmin's tools, under the TOOLS_CONSUMER group every broker already has).
 *
 * `sink` gets one message at a time, in queue order per queue, never two at once; it returns false to stop.
 */
export class TopicTailer {
  private stopped = false;
  private readonly positions = new Map<string, number>();
  private readonly loops = new Map<string, Promise<void>>();
  /** Serialises sink calls across queues. */
  private chain: Promise<unknown> = Promise.resolve();
  private refreshTimer: NodeJS.Timeout | undefined;
  private finished!: () => void;
  /** Resolves once stop() is called (by the caller or by the sink). */
  readonly done = new Promise<void>((r) => {
    this.finished = r;
  });

  constructor(
    private readonly consumer: PullConsumer,
    private readonly topic: string,
    private readonly selector: string | MessageSelector,
    private readonly start: TailStart,
    private readonly sink: (m: MessageExt) => Promise<boolean> | boolean,
    private readonly opts: TopicTailerOptions = {},
  ) {}

  /** Finds the queues and their start offsets, then pulls in the background until stop(). */
  async run(): Promise<void> {
    const queues = await this.consumer.fetchMessageQueues(this.topic);
    // A queue whose start cannot be found now (broker refuses: ACL, permission, down) fails the start.
    await Promise.all(queues.map((mq) => this.add(mq, this.start, true)));
    const every = this.opts.refreshMs ?? 10_000;
    this.refreshTimer = setInterval(() => void this.refresh(), every);
    this.refreshTimer.unref();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.finished();
  }

  /** Next offset to read per queue ("topic@broker@queueId" → offset). */
  position(mq: MessageQueue): number | undefined {
    return this.positions.get(mqKey(mq));
  }

  private async refresh(): Promise<void> {
    try {
      const queues = await this.consumer.fetchMessageQueues(this.topic);
      // A queue that appeared while tailing holds only messages newer than the start: read it whole.
      for (const mq of queues)
        if (!this.loops.has(mqKey(mq))) await this.add(mq, { where: 'CONSUME_FROM_FIRST_OFFSET' });
    } catch {
      // the name server is unreachable for now: the next round tries again
    }
  }

  private async add(mq: MessageQueue, start: TailStart, fatal = false): Promise<void> {
    const key = mqKey(mq);
    if (this.stopped || this.loops.has(key)) return;
    this.loops.set(key, Promise.resolve());
    let offset: number;
    try {
      offset = await this.startOffset(mq, start);
    } catch (err) {
      this.loops.delete(key); // the next refresh tries this queue again
      if (fatal) {
        this.stop();
        throw new Error(`cannot read ${mq.topic} on ${mq.brokerName}: ${(err as Error).message}`);
      }
      this.opts.onError?.(mq, err as Error);
      return;
    }
    this.positions.set(key, offset);
    this.loops.set(key, this.loop(mq));
  }

  private async startOffset(mq: MessageQueue, start: TailStart): Promise<number> {
    if (start.where === 'CONSUME_FROM_FIRST_OFFSET') return this.consumer.minOffset(mq);
    if (start.where === 'CONSUME_FROM_LAST_OFFSET') return this.consumer.maxOffset(mq);
    return this.consumer.searchOffset(mq, start.timestamp ?? Date.now());
  }

  private async loop(mq: MessageQueue): Promise<void> {
    const key = mqKey(mq);
    let failing = false;
    while (!this.stopped) {
      const offset = this.positions.get(key)!;
      let r: Awaited<ReturnType<PullConsumer['pull']>>;
      try {
        r = await this.consumer.pull(mq, this.selector, offset, this.opts.batch ?? 32, {
          suspendMs: this.opts.suspendMs ?? 15_000,
        });
        failing = false;
      } catch (err) {
        if (this.stopped) return;
        if (!failing) this.opts.onError?.(mq, err as Error);
        failing = true;
        await new Promise((r) => setTimeout(r, this.opts.retryMs ?? 1000));
        continue;
      }
      if (this.stopped) return;
      if (r.status === 'OFFSET_ILLEGAL') {
        // Expired under us (retention) or never reached: continue where the queue now starts or ends.
        this.positions.set(key, offset < r.minOffset ? r.minOffset : r.maxOffset);
        continue;
      }
      for (const m of r.msgs) {
        const go = await this.deliver(m);
        if (!go || this.stopped) {
          this.stop();
          return;
        }
        this.positions.set(key, m.queueOffset + 1);
      }
      this.positions.set(key, Math.max(this.positions.get(key)!, r.nextBeginOffset));
    }
  }

  private deliver(m: MessageExt): Promise<boolean> {
    // A sink that throws ends the tail like one that returns false.
    const next = this.chain.then(() => (this.stopped ? false : this.sink(m))).catch(() => false);
    this.chain = next;
    return next;
  }
}
