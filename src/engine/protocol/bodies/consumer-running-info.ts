import { FastjsonDouble, FastjsonMap, toFastjson } from '../fastjson.js';
import { type SubscriptionData, subscriptionDataBean, subscriptionDataFromObject } from './heartbeat-data.js';
import { asArray, asObject, asString, parseBodyObject, utf8 } from './json-util.js';
import { type MessageQueueData, messageQueueBean, messageQueueFromKey } from './message-queue-key.js';

/**
 * `ConsumerRunningInfo` (protocol.md §7.6): what a client answers to GET_CONSUMER_RUNNING_INFO (307),
 * relayed by the broker. `mqTable` is keyed by MessageQueue objects (fastjson object keys); its values
 * (`ProcessQueueInfo`) and `statusTable` values (`ConsumeStatus`) are kept as plain field maps.
 */
export interface ConsumerRunningInfo {
  properties: Record<string, string>;
  subscriptionSet: SubscriptionData[];
  mqTable: Array<[MessageQueueData, Record<string, unknown>]>;
  statusTable: Record<string, Record<string, unknown>>;
  jstack?: string;
}

/** ConsumeStatus fields that are Java doubles (written as `1.0`, not `1`). */
const DOUBLE_FIELDS = new Set(['pullRT', 'pullTPS', 'consumeRT', 'consumeOKTPS', 'consumeFailedTPS']);

export function encodeConsumerRunningInfo(info: ConsumerRunningInfo): Buffer {
  const status: Record<string, unknown> = {};
  for (const [topic, s] of Object.entries(info.statusTable)) {
    const bean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s))
      bean[k] = DOUBLE_FIELDS.has(k) && typeof v === 'number' ? new FastjsonDouble(v) : v;
    status[topic] = bean;
  }
  return utf8(
    toFastjson({
      jstack: info.jstack,
      mqTable: new FastjsonMap(info.mqTable.map(([mq, pq]) => [messageQueueBean(mq), pq])),
      properties: info.properties,
      statusTable: status,
      subscriptionSet: info.subscriptionSet.map(subscriptionDataBean),
    }),
  );
}

export function decodeConsumerRunningInfo(body: Buffer | string): ConsumerRunningInfo {
  const obj = parseBodyObject(body, 'ConsumerRunningInfo');
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(obj.properties, 'properties')))
    properties[k] = asString(v, k, '');
  const mqTable: Array<[MessageQueueData, Record<string, unknown>]> = [];
  for (const [k, v] of Object.entries(asObject(obj.mqTable, 'mqTable'))) {
    mqTable.push([messageQueueFromKey(k), asObject(v, 'ProcessQueueInfo')]);
  }
  const statusTable: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(asObject(obj.statusTable, 'statusTable'))) {
    statusTable[k] = asObject(v, `statusTable[${k}]`);
  }
  const info: ConsumerRunningInfo = {
    properties,
    subscriptionSet: asArray(obj.subscriptionSet, 'subscriptionSet').map((s, i) =>
      subscriptionDataFromObject(s, `subscriptionSet[${i}]`),
    ),
    mqTable,
    statusTable,
  };
  if (typeof obj.jstack === 'string') info.jstack = obj.jstack;
  return info;
}
