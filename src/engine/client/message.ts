import { inflateSync } from 'node:zlib';
import {
  compressionType,
  type DecodedRecord,
  decodeRecords,
  ipText,
  MessageConst,
  SysFlag,
} from '../protocol/message/index.js';

/** A message to send (Message.java). Body strings are sent as UTF-8. */
export interface Message {
  topic: string;
  body: Buffer | string;
  tags?: string;
  /** One key or several; indexed by the broker for `queryMsgByKey`. */
  keys?: string | string[];
  /** Delay level 1..18 (1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h). */
  delayLevel?: number;
  /** User properties (must not use the reserved names of MessageConst). */
  properties?: Record<string, string>;
  /** User flag, stored as FLAG. */
  flag?: number;
  /** false: the broker answers without waiting for its flush/slave (Java's setWaitStoreMsgOK). Default true. */
  waitStoreMsgOK?: boolean;
}

/** A received message (MessageExt / MessageClientExt). */
export interface MessageExt {
  topic: string;
  body: Buffer;
  tags?: string;
  keys?: string;
  /** UNIQ_KEY when the producer set one (Java, mq), else the offset msgId. */
  msgId: string;
  /** Offset msgId built from the store host and commit-log offset. */
  offsetMsgId: string;
  queueId: number;
  brokerName: string;
  queueOffset: number;
  commitLogOffset: number;
  sysFlag: number;
  flag: number;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  reconsumeTimes: number;
  properties: Record<string, string>;
}

/** `ip:port` with the IP as Java writes it (an IPv6 address as eight hex groups). */
function hostText(h: { ip: Uint8Array; port: number }): string {
  return `${ipText(h.ip)}:${h.port}`;
}

/** Body as the application sees it: inflated when the record is compressed with zlib (§4.6). */
export function uncompressBody(sysFlag: number, body: Buffer): Buffer {
  if ((sysFlag & SysFlag.COMPRESSED) === 0) return body;
  const type = compressionType(sysFlag);
  if (type !== 'zlib') throw new Error(`unsupported message compression ${type}`);
  return inflateSync(body);
}

export function toMessageExt(r: DecodedRecord, brokerName: string): MessageExt {
  const props = r.properties;
  return {
    topic: r.topic,
    // Copy: the pull body is one big buffer, and holding a view would pin all of it.
    body: r.sysFlag & SysFlag.COMPRESSED ? uncompressBody(r.sysFlag, r.body) : Buffer.from(r.body),
    tags: props[MessageConst.TAGS],
    keys: props[MessageConst.KEYS],
    msgId: props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? r.msgId,
    offsetMsgId: r.msgId,
    queueId: r.queueId,
    brokerName,
    queueOffset: r.queueOffset,
    commitLogOffset: r.commitLogOffset,
    sysFlag: r.sysFlag,
    flag: r.flag,
    bornTimestamp: r.bornTimestamp,
    bornHost: hostText(r.bornHost),
    storeTimestamp: r.storeTimestamp,
    storeHost: hostText(r.storeHost),
    reconsumeTimes: r.reconsumeTimes,
    properties: props,
  };
}

/** Decode a pull/query body (concatenated store records) into messages. */
export function decodeMessages(body: Buffer, brokerName: string): MessageExt[] {
  return decodeRecords(body).map((r) => toMessageExt(r, brokerName));
}

/** The topic a retry message came from (RETRY_TOPIC), so listeners see the original topic. */
export function resetRetryTopic(m: MessageExt, group: string): void {
  const retryTopic = `%RETRY%${group}`;
  const original = m.properties[MessageConst.RETRY_TOPIC];
  if (original && m.topic === retryTopic) m.topic = original;
}
