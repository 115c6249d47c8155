import { MessageConst } from './message/message-const.js';

// RocketMQ 5.x POP receipts: the extraInfo string (ExtraInfoUtil), the pop retry topic names (KeyBuilder)
// and the response codes 5.x gave to 209/210 (4.9 used them for ACL failures, so they live here).

/** Message property carrying the receipt of a popped message (MessageConst.PROPERTY_POP_CK). */
export const PROPERTY_POP_CK = 'POP_CK';
/** Time a message was first popped, set when it is revived (MessageConst.PROPERTY_FIRST_POP_TIME). */
export const PROPERTY_FIRST_POP_TIME = '1ST_POP_TIME';

/** Response codes of 5.x POP (ResponseCode.java of 5.x). */
export const PopResponseCode = {
  INVALID_PARAMETER: 29,
  POLLING_FULL: 209,
  POLLING_TIMEOUT: 210,
} as const;

/** ConsumeInitMode: where a group with no pop offset yet starts. */
export const ConsumeInitMode = { MIN: 0, MAX: 1 } as const;

/** Revive queue id of orderly (FIFO) pops (KeyBuilder.POP_ORDER_REVIVE_QUEUE). */
export const POP_ORDER_REVIVE_QUEUE = 999;
/** The cluster's revive topic holding check points and acks (PopAckConstants.buildClusterReviveTopic). */
export const reviveTopic = (cluster: string): string => `rmq_sys_REVIVE_LOG_${cluster}`;
/** Group whose consumer offsets record how far the revive topic was replayed (PopAckConstants.REVIVE_GROUP). */
export const REVIVE_GROUP = 'CID_RMQ_SYS_REVIVE_GROUP';

const RETRY_PREFIX = '%RETRY%';

/** `%RETRY%{group}_{topic}`: the V1 name, 5.x's default (enableRetryTopicV2=false). */
export const popRetryTopicV1 = (topic: string, group: string): string => `${RETRY_PREFIX}${group}_${topic}`;
/** `%RETRY%{group}+{topic}` (enableRetryTopicV2=true); read back when acking a receipt that names it. */
export const popRetryTopicV2 = (topic: string, group: string): string => `${RETRY_PREFIX}${group}+${topic}`;

/** The topic a message popped from `topic` (maybe a pop retry topic of `group`) was sent to. */
export function parseNormalTopic(topic: string, group: string): string {
  for (const sep of ['+', '_']) {
    const p = `${RETRY_PREFIX}${group}${sep}`;
    if (topic.startsWith(p)) return topic.slice(p.length);
  }
  return topic;
}

/** The receipt's topic kind: 0 normal, 1 retry V1, 2 retry V2 (ExtraInfoUtil.getRetry). */
export type TopicKind = '0' | '1' | '2';

export function topicKind(topic: string): TopicKind {
  if (!topic.startsWith(RETRY_PREFIX)) return '0';
  return topic.includes('+') ? '2' : '1';
}

/** The topic a receipt of kind `kind` for `topic` and `group` points at (ExtraInfoUtil.getRealTopic). */
export function realTopic(topic: string, group: string, kind: string): string {
  if (kind === '1') return popRetryTopicV1(topic, group);
  if (kind === '2') return popRetryTopicV2(topic, group);
  if (kind === '0') return topic;
  throw new Error(`extraInfo topic kind '${kind}' is not 0, 1 or 2`);
}

/** A parsed extraInfo / POP_CK receipt. */
export interface ExtraInfo {
  /** Queue offset of the first message of the pop's check point. */
  ckQueueOffset: number;
  popTime: number;
  invisibleTime: number;
  reviveQid: number;
  topicKind: TopicKind;
  brokerName: string;
  queueId: number;
  /** The message's own queue offset (absent in 7-field receipts). */
  queueOffset?: number;
}

const SEP = MessageConst.KEY_SEPARATOR;

/**
 * `ckQueueOffset popTime invisibleTime reviveQid kind brokerName queueId [queueOffset]`
 * (ExtraInfoUtil.buildExtraInfo); `topic` is the topic the message was read from (normal or retry).
 */
export function buildExtraInfo(
  e: Omit<ExtraInfo, 'topicKind'> & { topic: string } & Partial<Pick<ExtraInfo, 'topicKind'>>,
): string {
  const parts: Array<string | number> = [
    e.ckQueueOffset,
    e.popTime,
    e.invisibleTime,
    e.reviveQid,
    e.topicKind ?? topicKind(e.topic),
    e.brokerName,
    e.queueId,
  ];
  if (e.queueOffset !== undefined) parts.push(e.queueOffset);
  return parts.join(SEP);
}

/** Throws naming the field when the receipt is malformed (the broker answers it as a bad request). */
export function parseExtraInfo(s: string): ExtraInfo {
  const f = s.split(SEP);
  if (f.length < 7) throw new Error(`extraInfo '${s}' has ${f.length} fields, expected 7 or 8`);
  const num = (i: number, name: string): number => {
    const v = Number(f[i]);
    if (f[i] === '' || !Number.isSafeInteger(v)) throw new Error(`extraInfo '${s}': ${name} is not a number`);
    return v;
  };
  const kind = f[4]!;
  if (kind !== '0' && kind !== '1' && kind !== '2')
    throw new Error(`extraInfo '${s}': topic kind '${kind}' is not 0, 1 or 2`);
  return {
    ckQueueOffset: num(0, 'ckQueueOffset'),
    popTime: num(1, 'popTime'),
    invisibleTime: num(2, 'invisibleTime'),
    reviveQid: num(3, 'reviveQid'),
    topicKind: kind,
    brokerName: f[5]!,
    queueId: num(6, 'queueId'),
    queueOffset: f.length > 7 ? num(7, 'queueOffset') : undefined,
  };
}

/** `kind queueId value` entries joined by ';' (startOffsetInfo, orderCountInfo). */
export function buildQueueInfo(
  entries: ReadonlyArray<{ topic: string; queueId: number; value: number }>,
): string {
  return entries.map((e) => [topicKind(e.topic), e.queueId, e.value].join(SEP)).join(';');
}

/** `kind queueId o1,o2,…` entries joined by ';' (msgOffsetInfo). */
export function buildMsgOffsetInfo(
  entries: ReadonlyArray<{ topic: string; queueId: number; offsets: readonly number[] }>,
): string {
  return entries.map((e) => [topicKind(e.topic), e.queueId, e.offsets.join(',')].join(SEP)).join(';');
}

/** Parses startOffsetInfo / orderCountInfo into `kind@queueId` → value. */
export function parseQueueInfo(s: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!s) return out;
  for (const one of s.split(';')) {
    const p = one.split(SEP);
    if (p.length !== 3) throw new Error(`queue info entry '${one}' has ${p.length} fields, expected 3`);
    out.set(`${p[0]}@${p[1]}`, Number(p[2]));
  }
  return out;
}

/** Parses msgOffsetInfo into `kind@queueId` → queue offsets. */
export function parseMsgOffsetInfo(s: string | undefined): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!s) return out;
  for (const one of s.split(';')) {
    const p = one.split(SEP);
    if (p.length !== 3) throw new Error(`msgOffsetInfo entry '${one}' has ${p.length} fields, expected 3`);
    out.set(`${p[0]}@${p[1]}`, p[2]!.split(',').map(Number));
  }
  return out;
}

/**
 * orderCountInfo of an orderly pop (ConsumerOrderInfoManager.update): `kind qo{queueId}%{offset} count`
 * for each re-delivered offset, then `kind queueId minCount` for older SDKs.
 */
export function buildOrderCountInfo(
  topic: string,
  queueId: number,
  counts: ReadonlyMap<number, number>,
  offsets: readonly number[],
): string {
  const k = topicKind(topic);
  const parts: string[] = [];
  let min = Number.MAX_SAFE_INTEGER;
  for (const [off, n] of counts) {
    parts.push([k, `qo${queueId}%${off}`, n].join(SEP));
    min = Math.min(min, n);
  }
  if (counts.size !== offsets.length) min = 0;
  parts.push([k, queueId, min].join(SEP));
  return parts.join(';');
}
