import { createHash } from 'node:crypto';
import type { MessageExt } from '../client/message.js';
import { MessageConst, SysFlag } from '../protocol/message/index.js';
import { messageTypeOfProperties } from '../protocol/topic-attributes.js';
import { ProxyError } from './status.js';
import { type Message, type SystemProperties, timestamp, toMillis } from './v2-types.js';

// Classic property names RocketMQ 5 added (MessageConst.java) that mq's protocol module does not list.
export const SHARDING_KEY = '__SHARDINGKEY';
export const TIMER_DELIVER_MS = 'TIMER_DELIVER_MS';
export const TRACE_CONTEXT = 'TRACE_CONTEXT';
export const BORN_HOST = '__BORNHOST';
export const BORN_TIMESTAMP = 'BORN_TIMESTAMP';
export const POP_CK = 'POP_CK';

/** Keys a user property may not use (MessageConst.STRING_HASH_SET, the ones a 5.x client could send). */
const SYSTEM_KEYS = new Set<string>([
  ...Object.values(MessageConst),
  SHARDING_KEY,
  TIMER_DELIVER_MS,
  'TIMER_DELAY_SEC',
  'TIMER_DELAY_MS',
  TRACE_CONTEXT,
  BORN_HOST,
  BORN_TIMESTAMP,
  POP_CK,
  'UNIQ_KEY',
]);
SYSTEM_KEYS.delete(' ');

/** Apache's proxy limits (ProxyConfig defaults). */
export const LIMITS = {
  maxMessageSize: 4 * 1024 * 1024,
  userPropertyMaxNum: 128,
  maxUserPropertySize: 16 * 1024,
  maxMessageGroupSize: 64,
  /** timerMaxDelaySec: 3 days. */
  maxDelayMs: 3 * 24 * 3600 * 1000,
};

const hasControl = (s: string): boolean => /[\x00-\x1f\x7f]/.test(s);

/** A v2 message as the classic send takes it: body and properties (SendMessageActivity.buildMessage). */
export interface ClassicMessage {
  body: Buffer;
  properties: Record<string, string>;
  sysFlag: number;
  transactional: boolean;
  messageGroup?: string;
}

export function toClassic(m: Message, producerGroup: string, remoteHost: string): ClassicMessage {
  const sp = m.system_properties;
  if (!m.body || m.body.length === 0)
    throw new ProxyError('MESSAGE_BODY_EMPTY', 'message body cannot be empty');
  if (m.body.length > LIMITS.maxMessageSize)
    throw new ProxyError(
      'MESSAGE_BODY_TOO_LARGE',
      `message body cannot exceed the max ${LIMITS.maxMessageSize}`,
    );
  const user = m.user_properties ?? {};
  const names = Object.keys(user);
  if (names.length > LIMITS.userPropertyMaxNum)
    throw new ProxyError(
      'MESSAGE_PROPERTIES_TOO_LARGE',
      `too many user properties, max is ${LIMITS.userPropertyMaxNum}`,
    );
  let userSize = 0;
  const props: Record<string, string> = {};
  for (const k of names) {
    const v = user[k] ?? '';
    if (SYSTEM_KEYS.has(k))
      throw new ProxyError('ILLEGAL_MESSAGE_PROPERTY_KEY', `property is used by system: ${k}`);
    if (hasControl(k) || hasControl(v))
      throw new ProxyError(
        'ILLEGAL_MESSAGE_PROPERTY_KEY',
        'property key and value cannot contain control characters',
      );
    userSize += Buffer.byteLength(k) + Buffer.byteLength(v);
    props[k] = v;
  }
  const tag = sp.tag ?? '';
  if (tag) {
    if (tag.includes('|') || hasControl(tag) || !tag.trim())
      throw new ProxyError('ILLEGAL_MESSAGE_TAG', `tag is illegal: ${JSON.stringify(tag)}`);
    props[MessageConst.TAGS] = tag;
    userSize += Buffer.byteLength(tag);
  }
  const keys = sp.keys ?? [];
  for (const k of keys) {
    if (!k.trim() || hasControl(k))
      throw new ProxyError('ILLEGAL_MESSAGE_KEY', `key is illegal: ${JSON.stringify(k)}`);
    userSize += Buffer.byteLength(k);
  }
  if (keys.length > 0) props[MessageConst.KEYS] = keys.join(MessageConst.KEY_SEPARATOR);
  if (userSize > LIMITS.maxUserPropertySize)
    throw new ProxyError(
      'MESSAGE_PROPERTIES_TOO_LARGE',
      `the total size of user property is too large, max is ${LIMITS.maxUserPropertySize}`,
    );
  if (!sp.message_id?.trim()) throw new ProxyError('ILLEGAL_MESSAGE_ID', 'message id cannot be empty');
  props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] = sp.message_id;

  const transactional = sp.message_type === 'TRANSACTION';
  let sysFlag = 0;
  if (transactional) {
    props[MessageConst.TRANSACTION_PREPARED] = 'true';
    sysFlag |= SysFlag.TRANSACTION_PREPARED_TYPE;
    const recovery = sp.orphaned_transaction_recovery_duration;
    if (recovery)
      props[MessageConst.CHECK_IMMUNITY_TIME_IN_SECONDS] = String(Math.floor(toMillis(recovery) / 1000));
  }
  if (sp.delivery_timestamp) {
    const at = toMillis(sp.delivery_timestamp);
    if (at - Date.now() > LIMITS.maxDelayMs)
      throw new ProxyError(
        'ILLEGAL_DELIVERY_TIME',
        `the max delay time of message is too large, max is ${LIMITS.maxDelayMs}`,
      );
    props[TIMER_DELIVER_MS] = String(at);
  }
  props[MessageConst.RECONSUME_TIME] = String(sp.delivery_attempt ?? 0);
  props[MessageConst.PRODUCER_GROUP] = producerGroup;
  const group = sp.message_group;
  if (group) {
    if (Buffer.byteLength(group) > LIMITS.maxMessageGroupSize || hasControl(group) || !group.trim())
      throw new ProxyError('ILLEGAL_MESSAGE_GROUP', `message group is illegal: ${JSON.stringify(group)}`);
    props[SHARDING_KEY] = group;
  }
  if (sp.trace_context) props[TRACE_CONTEXT] = sp.trace_context;
  const bornHost = sp.born_host || remoteHost;
  if (bornHost) props[BORN_HOST] = bornHost;
  if (sp.born_timestamp) props[BORN_TIMESTAMP] = String(toMillis(sp.born_timestamp));
  return { body: m.body, properties: props, sysFlag, transactional, messageGroup: group || undefined };
}

/** The classic properties a v2 message shows as system properties, not user ones. */
function userProperties(props: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (!SYSTEM_KEYS.has(k) && !k.startsWith('__')) out[k] = v;
  return out;
}

export const md5Upper = (b: Buffer): string => createHash('md5').update(b).digest('hex').toUpperCase();

export interface ReceivedExtras {
  /** The topic the client asked for (a retry-topic message shows under it, as Apache's proxy does). */
  topic: string;
  receiptHandle?: string;
  invisibleMs?: number;
}

/** A stored record as a v2 Message (GrpcConverter.buildMessage): MD5 digest, identity encoding. */
export function fromClassic(r: MessageExt, x: ReceivedExtras): Message {
  const props = r.properties;
  const body = r.body;
  const sp: SystemProperties = {
    keys: props[MessageConst.KEYS]
      ? props[MessageConst.KEYS].split(MessageConst.KEY_SEPARATOR).filter(Boolean)
      : [],
    message_id: r.msgId,
    body_digest: { type: 'MD5', checksum: md5Upper(body) },
    body_encoding: 'IDENTITY',
    message_type: messageTypeOfProperties(props),
    born_timestamp: timestamp(r.bornTimestamp),
    born_host: props[BORN_HOST] ?? r.bornHost,
    store_timestamp: timestamp(r.storeTimestamp),
    store_host: r.storeHost,
    queue_id: r.queueId,
    queue_offset: r.queueOffset,
    delivery_attempt: r.reconsumeTimes + 1,
  };
  if (props[MessageConst.TAGS]) sp.tag = props[MessageConst.TAGS];
  if (props[TIMER_DELIVER_MS]) sp.delivery_timestamp = timestamp(Number(props[TIMER_DELIVER_MS]));
  if (props[SHARDING_KEY]) sp.message_group = props[SHARDING_KEY];
  if (props[TRACE_CONTEXT]) sp.trace_context = props[TRACE_CONTEXT];
  if (x.receiptHandle) sp.receipt_handle = x.receiptHandle;
  if (x.invisibleMs !== undefined) sp.invisible_duration = timestamp(x.invisibleMs);
  return {
    topic: { name: x.topic, resource_namespace: '' },
    user_properties: userProperties(props),
    system_properties: sp,
    body,
  };
}
