import { toFastjson } from '../fastjson.js';
import { type SubscriptionData, subscriptionDataBean, subscriptionDataFromObject } from './heartbeat-data.js';
import { asArray, asNumber, asObject, asString, parseBodyObject, utf8 } from './json-util.js';

/** `Connection`: one client channel as the broker knows it. */
export interface Connection {
  clientId: string;
  clientAddr: string;
  language: string;
  version: number;
}

/** `ConsumerConnection` (GET_CONSUMER_CONNECTION_LIST, 203). */
export interface ConsumerConnection {
  connectionSet: Connection[];
  subscriptionTable: Record<string, SubscriptionData>;
  consumeType?: string;
  messageModel?: string;
  consumeFromWhere?: string;
}

/** `ProducerConnection` (GET_PRODUCER_CONNECTION_LIST, 204). */
export interface ProducerConnection {
  connectionSet: Connection[];
}

function connectionBean(c: Connection): Record<string, unknown> {
  return { clientAddr: c.clientAddr, clientId: c.clientId, language: c.language, version: c.version };
}

function connectionFromObject(o: unknown, what: string): Connection {
  const obj = asObject(o, what);
  return {
    clientId: asString(obj.clientId, `${what}.clientId`, ''),
    clientAddr: asString(obj.clientAddr, `${what}.clientAddr`, ''),
    language: asString(obj.language, `${what}.language`, 'JAVA'),
    version: asNumber(obj.version, `${what}.version`, 0),
  };
}

export function encodeConsumerConnection(c: ConsumerConnection): Buffer {
  const subs: Record<string, unknown> = {};
  for (const [t, s] of Object.entries(c.subscriptionTable)) subs[t] = subscriptionDataBean(s);
  return utf8(
    toFastjson({
      connectionSet: c.connectionSet.map(connectionBean),
      consumeFromWhere: c.consumeFromWhere,
      consumeType: c.consumeType,
      messageModel: c.messageModel,
      subscriptionTable: subs,
    }),
  );
}

export function decodeConsumerConnection(body: Buffer | string): ConsumerConnection {
  const obj = parseBodyObject(body, 'ConsumerConnection');
  const subs: Record<string, SubscriptionData> = {};
  for (const [t, s] of Object.entries(asObject(obj.subscriptionTable, 'subscriptionTable'))) {
    subs[t] = subscriptionDataFromObject(s, `subscriptionTable[${t}]`);
  }
  return {
    connectionSet: asArray(obj.connectionSet, 'connectionSet').map((c, i) =>
      connectionFromObject(c, `connectionSet[${i}]`),
    ),
    subscriptionTable: subs,
    consumeType: obj.consumeType === undefined ? undefined : asString(obj.consumeType, 'consumeType'),
    messageModel: obj.messageModel === undefined ? undefined : asString(obj.messageModel, 'messageModel'),
    consumeFromWhere:
      obj.consumeFromWhere === undefined ? undefined : asString(obj.consumeFromWhere, 'consumeFromWhere'),
  };
}

export function encodeProducerConnection(p: ProducerConnection): Buffer {
  return utf8(toFastjson({ connectionSet: p.connectionSet.map(connectionBean) }));
}

export function decodeProducerConnection(body: Buffer | string): ProducerConnection {
  const obj = parseBodyObject(body, 'ProducerConnection');
  return {
    connectionSet: asArray(obj.connectionSet, 'connectionSet').map((c, i) =>
      connectionFromObject(c, `connectionSet[${i}]`),
    ),
  };
}
