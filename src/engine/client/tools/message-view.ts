import { MessageConst } from '../../protocol/message/index.js';
import type { SendResult } from '../api/client-api.js';
import type { MessageExt } from '../message.js';

/** Properties the system sets; a message view lists only the others as user properties. */
const SYSTEM = new Set<string>(Object.values(MessageConst));

/** A received message as plain JSON-able data (what `consumer tail --json` prints per line). */
export interface MessageView {
  topic: string;
  msgId: string;
  offsetMsgId: string;
  tags: string | null;
  keys: string | null;
  brokerName: string;
  queueId: number;
  queueOffset: number;
  storeTime: string;
  storeTimestamp: number;
  bornTimestamp: number;
  bornHost: string;
  reconsumeTimes: number;
  properties: Record<string, string>;
  /** UTF-8 text, or base64 when the bytes are not valid UTF-8 (then bodyEncoding is "base64"). */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
}

export function bodyText(body: Buffer): { text: string; encoding: 'utf8' | 'base64' } {
  const text = body.toString('utf8');
  if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(body)) return { text, encoding: 'utf8' };
  return { text: body.toString('base64'), encoding: 'base64' };
}

export function messageView(m: MessageExt): MessageView {
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.properties)) if (!SYSTEM.has(k)) props[k] = v;
  const b = bodyText(m.body);
  return {
    topic: m.topic,
    msgId: m.msgId,
    offsetMsgId: m.offsetMsgId,
    tags: m.tags ?? null,
    keys: m.keys ?? null,
    brokerName: m.brokerName,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    storeTime: new Date(m.storeTimestamp).toISOString(),
    storeTimestamp: m.storeTimestamp,
    bornTimestamp: m.bornTimestamp,
    bornHost: m.bornHost,
    reconsumeTimes: m.reconsumeTimes,
    properties: props,
    body: b.text,
    bodyEncoding: b.encoding,
  };
}

/** A send result as plain data (what `producer send --json` prints per line). */
export interface SendView {
  status: string;
  msgId: string;
  offsetMsgId: string;
  topic: string;
  brokerName: string;
  queueId: number;
  queueOffset: number;
  body?: string;
}

export function sendView(r: SendResult, body?: string): SendView {
  return {
    status: r.sendStatus,
    msgId: r.msgId,
    offsetMsgId: r.offsetMsgId,
    topic: r.messageQueue.topic,
    brokerName: r.messageQueue.brokerName,
    queueId: r.messageQueue.queueId,
    queueOffset: r.queueOffset,
    ...(body !== undefined ? { body } : {}),
  };
}
