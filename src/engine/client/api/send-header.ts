import type { ExtInput } from '../../protocol/remoting-command.js';

/** SendMessageRequestHeader fields (protocol §3.1). */
export interface SendMessageHeader {
  producerGroup: string;
  topic: string;
  /** Auto-create template, `TBW102`. */
  defaultTopic: string;
  defaultTopicQueueNums: number;
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  flag: number;
  properties: string;
  reconsumeTimes: number;
  unitMode: boolean;
  maxReconsumeTimes?: number;
  batch: boolean;
  brokerName?: string;
}

/** The V2 one-letter form Java sends with SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE (a..n). */
export function toSendHeaderV2(h: SendMessageHeader): ExtInput {
  return {
    a: h.producerGroup,
    b: h.topic,
    c: h.defaultTopic,
    d: h.defaultTopicQueueNums,
    e: h.queueId,
    f: h.sysFlag,
    g: h.bornTimestamp,
    h: h.flag,
    i: h.properties,
    j: h.reconsumeTimes,
    k: h.unitMode,
    l: h.maxReconsumeTimes,
    m: h.batch,
    n: h.brokerName,
  };
}

/** The V1 long-name form (SEND_MESSAGE, code 10): what the retry-topic fallback uses in Java. */
export function toSendHeaderV1(h: SendMessageHeader): ExtInput {
  return {
    producerGroup: h.producerGroup,
    topic: h.topic,
    defaultTopic: h.defaultTopic,
    defaultTopicQueueNums: h.defaultTopicQueueNums,
    queueId: h.queueId,
    sysFlag: h.sysFlag,
    bornTimestamp: h.bornTimestamp,
    flag: h.flag,
    properties: h.properties,
    reconsumeTimes: h.reconsumeTimes,
    unitMode: h.unitMode,
    maxReconsumeTimes: h.maxReconsumeTimes,
    batch: h.batch,
    bname: h.brokerName,
  };
}
