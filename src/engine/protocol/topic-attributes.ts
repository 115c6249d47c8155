/**
 * RocketMQ 5 topic attributes (TopicAttributes, AttributeParser, AttributeUtil, TopicMessageType): the
 * `attributes` map a TopicConfig carries, the `+key=value,-key` modification string UPDATE_AND_CREATE_TOPIC
 * takes, and the message type a topic accepts. Pure functions shared by broker, admin and proxy.
 */

export const TOPIC_MESSAGE_TYPES = [
  'UNSPECIFIED',
  'NORMAL',
  'FIFO',
  'DELAY',
  'TRANSACTION',
  'MIXED',
] as const;
export type TopicMessageType = (typeof TOPIC_MESSAGE_TYPES)[number];

export const MESSAGE_TYPE_ATTRIBUTE = 'message.type';

interface AttributeSpec {
  changeable: boolean;
  /** Returns a problem text, or undefined when the value is allowed. */
  verify(value: string): string | undefined;
}

function enumAttribute(changeable: boolean, universe: readonly string[]): AttributeSpec {
  return {
    changeable,
    verify: (v) => (universe.includes(v) ? undefined : `value is not in set: [${universe.join(', ')}]`),
  };
}

/** TopicAttributes.ALL. */
export const TOPIC_ATTRIBUTES: Readonly<Record<string, AttributeSpec>> = {
  'queue.type': enumAttribute(false, ['BatchCQ', 'SimpleCQ']),
  'cleanup.policy': enumAttribute(false, ['DELETE', 'COMPACTION']),
  [MESSAGE_TYPE_ATTRIBUTE]: enumAttribute(true, TOPIC_MESSAGE_TYPES),
  'reserve.time': {
    changeable: true,
    verify: (v) =>
      /^-?\d+$/.test(v) && Number(v) >= -1
        ? undefined
        : `value is not in range(-1, ${Number.MAX_SAFE_INTEGER})`,
  },
};

export class AttributeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttributeError';
  }
}

/** AttributeParser.parseToMap: `+k1=v1,+k2=v2,-k3` → {'+k1': 'v1', '+k2': 'v2', '-k3': ''}. */
export function parseAttributeModification(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const kv of text.split(',')) {
    let key: string;
    let value: string;
    if (kv.includes('=')) {
      [key, value] = kv.split('=');
      if (!key.includes('+')) throw new AttributeError(`add/alter attribute format is wrong: ${key}`);
    } else {
      key = kv;
      value = '';
      if (!key.includes('-')) throw new AttributeError(`delete attribute format is wrong: ${key}`);
    }
    if (key in out) throw new AttributeError(`key duplication: ${key}`);
    out[key] = value ?? '';
  }
  return out;
}

/** AttributeParser.parseToString. */
export function attributeModificationText(mod: Record<string, string>): string {
  return Object.entries(mod)
    .map(([k, v]) => (v ? `${k}=${v}` : k))
    .join(',');
}

/**
 * AttributeUtil.alterCurrentAttributes: applies a parsed modification to a topic's current attributes.
 * Creating accepts only `+key`; unknown keys, bad values and changes of unchangeable keys throw.
 */
export function alterAttributes(
  create: boolean,
  current: Readonly<Record<string, string>>,
  mod: Readonly<Record<string, string>>,
): Record<string, string> {
  const seen = new Set<string>();
  const result: Record<string, string> = { ...current };
  const deletes: string[] = [];
  for (const [key, value] of Object.entries(mod)) {
    const realKey = key.slice(1);
    if (!realKey || realKey.includes('+') || realKey.includes('-'))
      throw new AttributeError('kv string format wrong.');
    if (seen.has(realKey)) throw new AttributeError(`alter duplication key. key: ${realKey}`);
    seen.add(realKey);
    const spec = TOPIC_ATTRIBUTES[realKey];
    const add = key.startsWith('+');
    if (create && !add)
      throw new AttributeError(`only add attribute is supported while creating topic. key: ${realKey}`);
    if (!create && !add && !key.startsWith('-')) throw new AttributeError(`wrong format key: ${realKey}`);
    if (!add && !(realKey in current))
      throw new AttributeError(`attempt to delete a nonexistent key: ${realKey}`);
    if (!spec) throw new AttributeError(`unsupported key: ${realKey}`);
    if (!create && !spec.changeable)
      throw new AttributeError(`attempt to update an unchangeable attribute. key: ${realKey}`);
    if (add) {
      const problem = spec.verify(value);
      if (problem) throw new AttributeError(problem);
      result[realKey] = value;
    } else deletes.push(realKey);
  }
  for (const k of deletes) delete result[k];
  return result;
}

/** TopicConfig.getTopicMessageType: an untyped (4.x) topic is NORMAL. */
export function topicMessageType(attributes: Readonly<Record<string, string>> | undefined): TopicMessageType {
  const v = attributes?.[MESSAGE_TYPE_ATTRIBUTE];
  return v && (TOPIC_MESSAGE_TYPES as readonly string[]).includes(v) ? (v as TopicMessageType) : 'NORMAL';
}

/** TopicMessageType.parseFromMessageProperty: what a message is, from its properties. */
export function messageTypeOfProperties(
  props: Readonly<Record<string, string | undefined>>,
): TopicMessageType {
  if (props.TRAN_MSG === 'true') return 'TRANSACTION';
  if (
    props.DELAY != null ||
    props.TIMER_DELIVER_MS != null ||
    props.TIMER_DELAY_SEC != null ||
    props.TIMER_DELAY_MS != null
  )
    return 'DELAY';
  if (props.__SHARDINGKEY != null) return 'FIFO';
  return 'NORMAL';
}

/**
 * DefaultTopicMessageTypeValidator: the remark when a message of type `actual` may not go to a topic of
 * type `expected` (the proxy answers MESSAGE_ILLEGAL / MESSAGE_PROPERTY_CONFLICT_WITH_TYPE with it).
 */
export function messageTypeProblem(expected: TopicMessageType, actual: TopicMessageType): string | undefined {
  if (actual === 'UNSPECIFIED' || (actual !== expected && expected !== 'MIXED'))
    return `TopicMessageType validate failed, the expected type is ${expected}, but actual type is ${actual}`;
  return undefined;
}
