import { javaHashCode } from '../protocol/message/index.js';
import type { MessageQueue } from './message-queue.js';

/** Picks the queue for one message (MessageQueueSelector): used for ordered sends. */
export type QueueSelector<A = unknown> = (mqs: readonly MessageQueue[], msg: unknown, arg: A) => MessageQueue;

/** Same key → same queue, as SelectMessageQueueByHash (abs of Java hashCode, modulo the queue count). */
export const selectByHash: QueueSelector<unknown> = (mqs, _msg, arg) => {
  const h = javaHashCode(String(arg));
  return mqs[Math.abs(h === -2147483648 ? 0 : h) % mqs.length]!;
};

export const selectRandom: QueueSelector<unknown> = (mqs) => mqs[Math.floor(Math.random() * mqs.length)]!;
