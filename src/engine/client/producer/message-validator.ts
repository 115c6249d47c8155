import { MAX_PROPERTIES_BYTES, MessageConst } from '../../protocol/message/index.js';
import { checkTopic } from '../client-config.js';
import type { Message } from '../message.js';

/** Java's default maxMessageSize: 4 MiB. */
export const DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

/** Property names the client or broker own; user properties may not use them. */
const RESERVED = new Set<string>(Object.values(MessageConst).filter((v) => v !== ' '));

export function bodyBuffer(body: Buffer | string | undefined | null): Buffer {
  if (body === undefined || body === null) throw new Error('the message body is null');
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Validators.checkMessage, with error texts that name the cause. */
export function checkMessage(msg: Message, body: Buffer, maxMessageSize: number): void {
  checkTopic(msg.topic);
  if (body.length === 0) throw new Error('the message body length is zero');
  if (body.length > maxMessageSize)
    throw new Error(`the message body size ${body.length} is over the limit of ${maxMessageSize} bytes`);
  if (msg.delayLevel !== undefined && (!Number.isInteger(msg.delayLevel) || msg.delayLevel < 0))
    throw new Error(`bad delay level ${msg.delayLevel}: expected an integer from 1 to 18`);
  for (const k of ['delayTimeSec', 'delayTimeMs', 'deliverTimeMs'] as const) {
    const v = msg[k];
    if (v !== undefined && !Number.isSafeInteger(v)) throw new Error(`bad ${k} ${v}: expected an integer`);
  }
  if (msg.tags !== undefined && /[\u0001\u0002]/.test(msg.tags))
    throw new Error('tags must not contain \\u0001 or \\u0002');
  for (const [k, v] of Object.entries(msg.properties ?? {})) {
    if (RESERVED.has(k)) throw new Error(`the property name "${k}" is reserved by the system`);
    if (/[\u0001\u0002]/.test(k + v)) throw new Error(`property "${k}" must not contain \\u0001 or \\u0002`);
  }
}

export function checkPropertiesSize(props: string): void {
  if (Buffer.byteLength(props, 'utf8') > MAX_PROPERTIES_BYTES)
    throw new Error(`the message properties are over the limit of ${MAX_PROPERTIES_BYTES} bytes`);
}

/** The properties map a message is sent with (user ones, then TAGS, KEYS, DELAY, UNIQ_KEY, WAIT). */
export function messageProperties(msg: Message, uniqKey: string): Record<string, string> {
  const props: Record<string, string> = { ...(msg.properties ?? {}) };
  if (msg.tags) props[MessageConst.TAGS] = msg.tags;
  if (msg.keys !== undefined) {
    const keys = Array.isArray(msg.keys) ? msg.keys.join(MessageConst.KEY_SEPARATOR) : msg.keys;
    if (keys) props[MessageConst.KEYS] = keys;
  }
  if (msg.delayLevel) props[MessageConst.DELAY_TIME_LEVEL] = String(msg.delayLevel);
  if (msg.delayTimeSec !== undefined) props[MessageConst.TIMER_DELAY_SEC] = String(msg.delayTimeSec);
  if (msg.delayTimeMs !== undefined) props[MessageConst.TIMER_DELAY_MS] = String(msg.delayTimeMs);
  if (msg.deliverTimeMs !== undefined) props[MessageConst.TIMER_DELIVER_MS] = String(msg.deliverTimeMs);
  props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] = uniqKey;
  props[MessageConst.WAIT_STORE_MSG_OK] = msg.waitStoreMsgOK === false ? 'false' : 'true';
  return props;
}
