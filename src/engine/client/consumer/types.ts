import type { MessageExt } from '../message.js';
import type { MessageQueue } from '../message-queue.js';

export type MessageModel = 'CLUSTERING' | 'BROADCASTING';
export type ConsumeFromWhere =
  | 'CONSUME_FROM_LAST_OFFSET'
  | 'CONSUME_FROM_FIRST_OFFSET'
  | 'CONSUME_FROM_TIMESTAMP';

/** Concurrent listener verdicts (ConsumeConcurrentlyStatus). */
export type ConsumeConcurrentlyStatus = 'CONSUME_SUCCESS' | 'RECONSUME_LATER';
/** Orderly listener verdicts (ConsumeOrderlyStatus). */
export type ConsumeOrderlyStatus = 'SUCCESS' | 'SUSPEND_CURRENT_QUEUE_A_MOMENT';

export interface ConsumeConcurrentlyContext {
  mq: MessageQueue;
  /**
   * Delay level for RECONSUME_LATER: 0 (default) lets the broker pick 3 + reconsumeTimes (10 s first),
   * -1 sends straight to the dead-letter queue, 1..18 picks a level.
   */
  delayLevelWhenNextConsume: number;
}

export interface ConsumeOrderlyContext {
  mq: MessageQueue;
  /** Pause before retrying after SUSPEND_CURRENT_QUEUE_A_MOMENT, ms (default from the consumer). */
  suspendCurrentQueueTimeMillis: number;
}

/**
 * Returning nothing counts as success; throwing counts as RECONSUME_LATER (Java treats exceptions the
 * same way).
 */
export type ConcurrentListener = (
  msgs: MessageExt[],
  ctx: ConsumeConcurrentlyContext,
  // biome-ignore lint/suspicious/noConfusingVoidType: a listener that returns nothing means success
) => ConsumeConcurrentlyStatus | void | Promise<ConsumeConcurrentlyStatus | undefined>;

export type OrderlyListener = (
  msgs: MessageExt[],
  ctx: ConsumeOrderlyContext,
  // biome-ignore lint/suspicious/noConfusingVoidType: a listener that returns nothing means success
) => ConsumeOrderlyStatus | void | Promise<ConsumeOrderlyStatus | undefined>;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
