import {
  type DecodedRecord,
  decodeRecords,
  ipText,
  MessageConst,
  SysFlag,
} from '../protocol/message/index.js';
import { uncompressBody } from './message-body.js';
import { decodePulledMessage, type PulledMessage } from './pulled-message.js';

export { uncompressBody } from './message-body.js';
export { decodePulledMessage, PulledMessage } from './pulled-message.js';

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

/** A record of a pull body that could not be decoded. */
export interface UndecodableRecord {
  /** Its queue offset as its header states it, or -1 when even that is unreadable. */
  queueOffset: number;
  /** Its commit-log offset as its header states it, or -1. */
  commitLogOffset: number;
  error: string;
}

export interface TolerantDecode {
  messages: PulledMessage[];
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
  const messages: PulledMessage[] = [];
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

const RETRY_PREFIX = '%RETRY%';

/** The topic a retry message came from (RETRY_TOPIC), so listeners see the original topic. */
export function resetRetryTopic(m: MessageExt, group: string): void {
  // The topic first: only a retry message has its properties read (they are parsed on first access).
  const t = m.topic;
  if (t.length !== RETRY_PREFIX.length + group.length || !t.startsWith(RETRY_PREFIX) || !t.endsWith(group))
    return;
  const original = m.properties[MessageConst.RETRY_TOPIC];
  if (original) m.topic = original;
}
