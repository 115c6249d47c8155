import { toFastjson } from '../fastjson.js';
import { asArray, asBool, asNumber, asObject, asString, parseBodyObject, utf8 } from './json-util.js';

/** `SubscriptionData` (protocol.md §7.4): one topic's tag filter as a consumer sends it in heartbeats. */
export interface SubscriptionData {
  topic: string;
  /** `*`, or tags joined with `||`, or an SQL92 expression. */
  subString: string;
  classFilterMode: boolean;
  tagsSet: string[];
  /** Java String.hashCode of each tag: what the broker matches against consume-queue tag codes. */
  codeSet: number[];
  subVersion: number;
  expressionType: string;
}

export interface ConsumerData {
  groupName: string;
  /** CONSUME_PASSIVELY (push) or CONSUME_ACTIVELY (pull). */
  consumeType: string;
  /** CLUSTERING or BROADCASTING. */
  messageModel: string;
  consumeFromWhere: string;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

export interface ProducerData {
  groupName: string;
}

/** `HeartbeatData`: the HEART_BEAT (34) request body. */
export interface HeartbeatData {
  clientID: string;
  consumerDataSet: ConsumerData[];
  producerDataSet: ProducerData[];
}

export function subscriptionDataBean(s: SubscriptionData): Record<string, unknown> {
  return {
    classFilterMode: s.classFilterMode,
    codeSet: s.codeSet,
    expressionType: s.expressionType,
    subString: s.subString,
    subVersion: s.subVersion,
    tagsSet: s.tagsSet,
    topic: s.topic,
  };
}

export function subscriptionDataFromObject(o: unknown, what = 'SubscriptionData'): SubscriptionData {
  const obj = asObject(o, what);
  return {
    topic: asString(obj.topic, `${what}.topic`),
    subString: asString(obj.subString, `${what}.subString`, '*'),
    classFilterMode: asBool(obj.classFilterMode, `${what}.classFilterMode`),
    tagsSet: asArray(obj.tagsSet, `${what}.tagsSet`).map((t, i) => asString(t, `${what}.tagsSet[${i}]`)),
    codeSet: asArray(obj.codeSet, `${what}.codeSet`).map((c, i) => asNumber(c, `${what}.codeSet[${i}]`)),
    subVersion: asNumber(obj.subVersion, `${what}.subVersion`, 0),
    expressionType: asString(obj.expressionType, `${what}.expressionType`, 'TAG'),
  };
}

export function consumerDataBean(c: ConsumerData): Record<string, unknown> {
  return {
    consumeFromWhere: c.consumeFromWhere,
    consumeType: c.consumeType,
    groupName: c.groupName,
    messageModel: c.messageModel,
    subscriptionDataSet: c.subscriptionDataSet.map(subscriptionDataBean),
    unitMode: c.unitMode,
  };
}

export function consumerDataFromObject(o: unknown, what = 'ConsumerData'): ConsumerData {
  const obj = asObject(o, what);
  return {
    groupName: asString(obj.groupName, `${what}.groupName`),
    consumeType: asString(obj.consumeType, `${what}.consumeType`, 'CONSUME_PASSIVELY'),
    messageModel: asString(obj.messageModel, `${what}.messageModel`, 'CLUSTERING'),
    consumeFromWhere: asString(obj.consumeFromWhere, `${what}.consumeFromWhere`, 'CONSUME_FROM_LAST_OFFSET'),
    subscriptionDataSet: asArray(obj.subscriptionDataSet, `${what}.subscriptionDataSet`).map((s, i) =>
      subscriptionDataFromObject(s, `${what}.subscriptionDataSet[${i}]`),
    ),
    unitMode: asBool(obj.unitMode, `${what}.unitMode`),
  };
}

export function encodeHeartbeatData(h: HeartbeatData): Buffer {
  return utf8(
    toFastjson({
      clientID: h.clientID,
      consumerDataSet: h.consumerDataSet.map(consumerDataBean),
      producerDataSet: h.producerDataSet.map((p) => ({ groupName: p.groupName })),
    }),
  );
}

/** `CheckClientRequestBody`: the CHECK_CLIENT_CONFIG (46) request body. */
export function encodeCheckClientRequestBody(clientId: string, group: string, sub: SubscriptionData): Buffer {
  return utf8(toFastjson({ clientId, group, subscriptionData: subscriptionDataBean(sub) }));
}

export function decodeHeartbeatData(body: Buffer | string): HeartbeatData {
  const obj = parseBodyObject(body, 'HeartbeatData');
  return {
    clientID: asString(obj.clientID, 'HeartbeatData.clientID'),
    consumerDataSet: asArray(obj.consumerDataSet, 'HeartbeatData.consumerDataSet').map((c, i) =>
      consumerDataFromObject(c, `HeartbeatData.consumerDataSet[${i}]`),
    ),
    producerDataSet: asArray(obj.producerDataSet, 'HeartbeatData.producerDataSet').map((p, i) => ({
      groupName: asString(
        asObject(p, 'ProducerData').groupName,
        `HeartbeatData.producerDataSet[${i}].groupName`,
      ),
    })),
  };
}
