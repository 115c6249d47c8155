/** A queue of a topic on one broker (MessageQueue.java); the unit of allocation and of offsets. */
export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

/** Stable map key for a queue. */
export function mqKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}

/** Java's MessageQueue.compareTo: topic, then broker name, then queue id. */
export function compareMq(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

export function sameMq(a: MessageQueue, b: MessageQueue): boolean {
  return a.topic === b.topic && a.brokerName === b.brokerName && a.queueId === b.queueId;
}

/** A copy with only the three wire fields (what bodies such as LockBatchRequestBody carry). */
export function plainMq(mq: MessageQueue): MessageQueue {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}
