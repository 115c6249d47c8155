import { toFastjson } from '../fastjson.js';
import { type DataVersion, dataVersionFromObject, newDataVersion } from './data-version.js';
import { asBool, asNumber, asObject, asString, parseBodyObject, utf8 } from './json-util.js';

/** `SubscriptionGroupConfig` (protocol.md §7.10) with Java's defaults. */
export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeBroadcastEnable: boolean;
  retryQueueNums: number;
  retryMaxTimes: number;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
  /** 5.x: an orderly (FIFO) group; its pops hand out a queue's next message only once the last is acked. */
  consumeMessageOrderly?: boolean;
}

export function newSubscriptionGroupConfig(
  groupName: string,
  init: Partial<SubscriptionGroupConfig> = {},
): SubscriptionGroupConfig {
  return {
    groupName,
    consumeEnable: true,
    consumeFromMinEnable: true,
    consumeBroadcastEnable: true,
    retryQueueNums: 1,
    retryMaxTimes: 16,
    brokerId: 0,
    whichBrokerWhenConsumeSlowly: 1,
    notifyConsumerIdsChangedEnable: true,
    ...init,
  };
}

export function subscriptionGroupConfigBean(c: SubscriptionGroupConfig): Record<string, unknown> {
  return { ...c };
}

export function subscriptionGroupConfigFromObject(
  o: unknown,
  what = 'SubscriptionGroupConfig',
): SubscriptionGroupConfig {
  const obj = asObject(o, what);
  const d = newSubscriptionGroupConfig('');
  return {
    groupName: asString(obj.groupName, `${what}.groupName`),
    consumeEnable: asBool(obj.consumeEnable, `${what}.consumeEnable`, d.consumeEnable),
    consumeFromMinEnable: asBool(
      obj.consumeFromMinEnable,
      `${what}.consumeFromMinEnable`,
      d.consumeFromMinEnable,
    ),
    consumeBroadcastEnable: asBool(
      obj.consumeBroadcastEnable,
      `${what}.consumeBroadcastEnable`,
      d.consumeBroadcastEnable,
    ),
    retryQueueNums: asNumber(obj.retryQueueNums, `${what}.retryQueueNums`, d.retryQueueNums),
    retryMaxTimes: asNumber(obj.retryMaxTimes, `${what}.retryMaxTimes`, d.retryMaxTimes),
    brokerId: asNumber(obj.brokerId, `${what}.brokerId`, d.brokerId),
    whichBrokerWhenConsumeSlowly: asNumber(
      obj.whichBrokerWhenConsumeSlowly,
      `${what}.whichBrokerWhenConsumeSlowly`,
      d.whichBrokerWhenConsumeSlowly,
    ),
    notifyConsumerIdsChangedEnable: asBool(
      obj.notifyConsumerIdsChangedEnable,
      `${what}.notifyConsumerIdsChangedEnable`,
      d.notifyConsumerIdsChangedEnable,
    ),
    // Only when present: 4.9 configs stay byte-identical.
    ...(obj.consumeMessageOrderly === undefined
      ? {}
      : { consumeMessageOrderly: asBool(obj.consumeMessageOrderly, `${what}.consumeMessageOrderly`, false) }),
  };
}

export function encodeSubscriptionGroupConfig(c: SubscriptionGroupConfig): Buffer {
  return utf8(toFastjson(subscriptionGroupConfigBean(c)));
}

export function decodeSubscriptionGroupConfig(body: Buffer | string): SubscriptionGroupConfig {
  return subscriptionGroupConfigFromObject(parseBodyObject(body, 'SubscriptionGroupConfig'));
}

/** `SubscriptionGroupWrapper` (GET_ALL_SUBSCRIPTIONGROUP_CONFIG) and the subscriptionGroup.json form. */
export interface SubscriptionGroupWrapper {
  subscriptionGroupTable: Record<string, SubscriptionGroupConfig>;
  dataVersion: DataVersion;
}

export function encodeSubscriptionGroupWrapper(w: SubscriptionGroupWrapper): Buffer {
  const table: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w.subscriptionGroupTable)) table[k] = subscriptionGroupConfigBean(v);
  return utf8(
    toFastjson({
      dataVersion: { counter: w.dataVersion.counter, timestamp: w.dataVersion.timestamp },
      subscriptionGroupTable: table,
    }),
  );
}

export function decodeSubscriptionGroupWrapper(body: Buffer | string): SubscriptionGroupWrapper {
  const obj = parseBodyObject(body, 'SubscriptionGroupWrapper');
  const table: Record<string, SubscriptionGroupConfig> = {};
  for (const [k, v] of Object.entries(asObject(obj.subscriptionGroupTable, 'subscriptionGroupTable'))) {
    table[k] = subscriptionGroupConfigFromObject(v, `subscriptionGroupTable[${k}]`);
  }
  return {
    subscriptionGroupTable: table,
    dataVersion: obj.dataVersion ? dataVersionFromObject(obj.dataVersion) : newDataVersion(),
  };
}
