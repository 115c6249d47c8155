import type { MessageQueue } from './message-queue.js';

/** How a consumer group splits a topic's queues among its members (AllocateMessageQueueStrategy). */
export interface AllocateStrategy {
  readonly name: string;
  /** `mqAll` and `cidAll` must be sorted identically on every member so they agree without talking. */
  allocate(
    group: string,
    currentCid: string,
    mqAll: readonly MessageQueue[],
    cidAll: readonly string[],
  ): MessageQueue[];
}

function check(currentCid: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): boolean {
  if (!currentCid) throw new Error('currentCID is empty');
  return mqAll.length > 0 && cidAll.includes(currentCid);
}

/** Contiguous blocks: with 8 queues and 3 consumers → 3, 3, 2 (AllocateMessageQueueAveragely). */
export const allocateAveragely: AllocateStrategy = {
  name: 'AVG',
  allocate(_group, currentCid, mqAll, cidAll) {
    if (!check(currentCid, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCid);
    const mod = mqAll.length % cidAll.length;
    const averageSize =
      mqAll.length <= cidAll.length
        ? 1
        : mod > 0 && index < mod
          ? Math.floor(mqAll.length / cidAll.length) + 1
          : Math.floor(mqAll.length / cidAll.length);
    const startIndex = mod > 0 && index < mod ? index * averageSize : index * averageSize + mod;
    const range = Math.min(averageSize, mqAll.length - startIndex);
    const out: MessageQueue[] = [];
    for (let i = 0; i < range; i++) out.push(mqAll[(startIndex + i) % mqAll.length]!);
    return out;
  },
};

/** Round-robin: consumer i gets queues i, i+n, i+2n… (AllocateMessageQueueAveragelyByCircle). */
export const allocateByCircle: AllocateStrategy = {
  name: 'AVG_BY_CIRCLE',
  allocate(_group, currentCid, mqAll, cidAll) {
    if (!check(currentCid, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCid);
    const out: MessageQueue[] = [];
    for (let i = index; i < mqAll.length; i += cidAll.length) out.push(mqAll[i]!);
    return out;
  },
};
