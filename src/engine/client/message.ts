import { inflateSync } from 'node:zlib';
import {
  compressionType,
  type DecodedRecord,
  decodeRecords,
  ipText,
  MessageConst,
  offsetMsgIdAt,
  parseProperties,
  readInt64,
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
  /** RocketMQ 5 timer (Message.setDelayTimeSec / setDelayTimeMs / setDeliverTimeMs): any delay up to the
   * broker's timerMaxDelaySec, sent as TIMER_DELAY_SEC / TIMER_DELAY_MS / TIMER_DELIVER_MS. */
  delayTimeSec?: number;
  delayTimeMs?: number;
  /** Epoch ms to deliver at. */
  deliverTimeMs?: number;
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

/** `ip:port` texts of IPv4 hosts by address and port: a pull's records share a few (cleared when large). */
const hostTexts = new Map<number, string>();

function hostTextAt(buf: Buffer, pos: number, v6: boolean): string {
  const port = buf.readInt32BE(pos + (v6 ? 16 : 4));
  if (v6 || port < 0 || port > 0xffff) return hostText({ ip: buf.subarray(pos, pos + (v6 ? 16 : 4)), port });
  const key = buf.readUInt32BE(pos) * 65536 + port;
  let s = hostTexts.get(key);
  if (s === undefined) {
    s = `${buf[pos]}.${buf[pos + 1]}.${buf[pos + 2]}.${buf[pos + 3]}:${port}`;
    if (hostTexts.size >= 4096) hostTexts.clear();
    hostTexts.set(key, s);
  }
  return s;
}

/** The last topic decoded, as bytes and text: a pull's records are all of one topic. */
let lastTopicBytes = Buffer.alloc(0);
let lastTopic = '';

function topicAt(buf: Buffer, pos: number, len: number): string {
  let same = len === lastTopicBytes.length && pos + len <= buf.length;
  for (let i = 0; same && i < len; i++) same = buf[pos + i] === lastTopicBytes[i];
  if (!same) {
    lastTopic = buf.toString('utf8', pos, pos + len);
    lastTopicBytes = Buffer.from(buf.subarray(pos, pos + len));
  }
  return lastTopic;
}

/**
 * One record of a pull body as a message, read in place (decodeRecord + toMessageExt without the
 * intermediate record, host objects or a body copy). The body is a view of the pull body: a message kept
 * keeps its pull's body (≤ 256 KiB by the broker's transfer limits) alive, as Java's consumer does not,
 * but the drain path allocates and copies nothing per byte. Throws RangeError for a record that overruns.
 */
export function decodePulledMessage(buf: Buffer, pos: number, brokerName: string): MessageExt {
  const storeSize = buf.readInt32BE(pos);
  if (storeSize < 4 || pos + storeSize > buf.length)
    throw new RangeError(`record at ${pos} has bad size ${storeSize}`);
  const sysFlag = buf.readInt32BE(pos + 36);
  const bornV6 = (sysFlag & SysFlag.BORNHOST_V6) !== 0;
  const storeV6 = (sysFlag & SysFlag.STOREHOST_V6) !== 0;
  const bornPos = pos + 48;
  const storeTsPos = bornPos + (bornV6 ? 20 : 8);
  const storePos = storeTsPos + 8;
  let p = storePos + (storeV6 ? 20 : 8);
  const reconsumeTimes = buf.readInt32BE(p);
  const bodyLen = buf.readInt32BE(p + 12);
  p += 16;
  if (bodyLen < 0 || p + bodyLen + 3 > pos + storeSize)
    throw new RangeError(`record at ${pos} overruns its size`);
  const rawBody = buf.subarray(p, p + bodyLen);
  p += bodyLen;
  const topicLen = buf.readInt8(p);
  const topic = topicAt(buf, p + 1, topicLen);
  p += 1 + topicLen;
  const propsLen = buf.readInt16BE(p);
  if (p + 2 + propsLen > pos + storeSize) throw new RangeError(`record at ${pos} overruns its size`);
  const props = parseProperties(propsLen > 0 ? buf.toString('utf8', p + 2, p + 2 + propsLen) : '');
  const commitLogOffset = readInt64(buf, pos + 28);
  const offsetMsgId = offsetMsgIdAt(buf, storePos, storeV6, commitLogOffset);
  return {
    topic,
    body: sysFlag & SysFlag.COMPRESSED ? uncompressBody(sysFlag, rawBody) : rawBody,
    tags: props[MessageConst.TAGS],
    keys: props[MessageConst.KEYS],
    msgId: props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? offsetMsgId,
    offsetMsgId,
    queueId: buf.readInt32BE(pos + 12),
    brokerName,
    queueOffset: readInt64(buf, pos + 20),
    commitLogOffset,
    sysFlag,
    flag: buf.readInt32BE(pos + 16),
    bornTimestamp: readInt64(buf, pos + 40),
    bornHost: hostTextAt(buf, bornPos, bornV6),
    storeTimestamp: readInt64(buf, storeTsPos),
    storeHost: hostTextAt(buf, storePos, storeV6),
    reconsumeTimes,
    properties: props,
  };
}

/** A record of a pull body that could not be decoded. */
export interface UndecodableRecord {
  /** Its queue offset as its header states it, or -1 when even that is unreadable. */
  queueOffset: number;
  /** Its commit-log offset as its header states it, or -1. */
  commitLogOffset: number;
  error: string;
}

export interface TolerantDecode {
  messages: MessageExt[];
  bad: UndecodableRecord[];
  /**
   * True when a record's size field was itself bad: the records after it cannot be found, so the body was
   * read only up to there (the last entry of `bad`).
   */
  cut: boolean;
}

/** Smallest store record: the fixed fields with IPv4 hosts, empty body, topic and properties. */
const MIN_RECORD_SIZE = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 4 + 8 + 4 + 1 + 2;

function headerInt64(body: Buffer, pos: number): number {
  if (pos + 8 > body.length) return -1;
  const v = Number(body.readBigInt64BE(pos));
  return Number.isSafeInteger(v) && v >= 0 ? v : -1;
}

/**
 * Like decodeMessages, but a record that fails to decode (corrupt properties, a body that does not
 * inflate, an out-of-range field) is reported in `bad` and the others are still returned, so one damaged
 * message costs only itself (a Java consumer would stop that queue on the exception).
 */
export function decodeMessagesTolerant(body: Buffer, brokerName: string): TolerantDecode {
  const messages: MessageExt[] = [];
  const bad: UndecodableRecord[] = [];
  let pos = 0;
  while (pos + 4 <= body.length) {
    const size = body.readInt32BE(pos);
    const framed = size >= MIN_RECORD_SIZE && pos + size <= body.length;
    try {
      if (!framed) throw new RangeError(`record at byte ${pos} of the pull body has bad size ${size}`);
      messages.push(decodePulledMessage(body, pos, brokerName));
    } catch (err) {
      bad.push({
        queueOffset: headerInt64(body, pos + 20),
        commitLogOffset: headerInt64(body, pos + 28),
        error: err instanceof Error ? err.message : String(err),
      });
      if (!framed) return { messages, bad, cut: true };
    }
    pos += size;
  }
  return { messages, bad, cut: false };
}

/**
 * Where the next pull of a queue starts after a pull from `from` that the broker answered with `next`:
 * `next`, unless a bad size field cut the body short; then just past the bad record (its own queue offset
 * when plausible, else one past the last good message or past `from`), so the pull always moves on.
 */
export function nextPullOffset(d: TolerantDecode, from: number, next: number): number {
  if (!d.cut) return next;
  const last = d.messages.at(-1);
  const base = last ? last.queueOffset + 1 : from;
  const badAt = d.bad.at(-1)?.queueOffset ?? -1;
  return badAt >= base && badAt < next ? badAt + 1 : base + 1;
}

/** The topic a retry message came from (RETRY_TOPIC), so listeners see the original topic. */
export function resetRetryTopic(m: MessageExt, group: string): void {
  const retryTopic = `%RETRY%${group}`;
  const original = m.properties[MessageConst.RETRY_TOPIC];
  if (original && m.topic === retryTopic) m.topic = original;
}
