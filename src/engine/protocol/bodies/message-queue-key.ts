import { parseObjectKey } from '../fastjson.js';
import { asNumber, asString } from './json-util.js';

/** A MessageQueue as it appears in bodies: as a map key (fastjson object key) or in sets. */
export interface MessageQueueData {
  topic: string;
  brokerName: string;
  queueId: number;
}

/** The bean fastjson writes for a MessageQueue (keys sorted by the writer). */
export function messageQueueBean(mq: MessageQueueData): Record<string, unknown> {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}

export function messageQueueFromObject(o: Record<string, unknown>, what = 'MessageQueue'): MessageQueueData {
  return {
    topic: asString(o.topic, `${what}.topic`),
    brokerName: asString(o.brokerName, `${what}.brokerName`),
    queueId: asNumber(o.queueId, `${what}.queueId`),
  };
}

/** Reads a map key that was a MessageQueue object (parseFastjson hands those over as canonical text). */
export function messageQueueFromKey(key: string): MessageQueueData {
  return messageQueueFromObject(parseObjectKey(key), 'MessageQueue key');
}
