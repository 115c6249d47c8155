import {
  boolValue,
  createRequest,
  type ExtInput,
  extBool,
  extInt,
  extLongNum,
  extStr,
  intValue,
  longNumValue,
  type RemotingCommand,
  strValue,
} from '../remoting-command.js';
import { RequestCode } from '../request-code.js';

// SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320), protocol.md §3.1.

/** SendMessageRequestHeader with its V1 field names. */
export interface SendMessageRequestHeader {
  producerGroup: string;
  topic: string;
  /** Auto-create template, `TBW102`. */
  defaultTopic: string;
  defaultTopicQueueNums: number;
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  flag: number;
  properties?: string;
  reconsumeTimes?: number;
  unitMode: boolean;
  maxReconsumeTimes?: number;
  batch: boolean;
  brokerName?: string;
}

type Field = keyof SendMessageRequestHeader;

/** V1 names are the field names, except the broker name (Java's `bname`). */
const v1Name = (f: Field): string => (f === 'brokerName' ? 'bname' : f);

/** The V2 form (SendMessageRequestHeaderV2) sends single letters, in field order. */
const V2: Record<Field, string> = {
  producerGroup: 'a',
  topic: 'b',
  defaultTopic: 'c',
  defaultTopicQueueNums: 'd',
  queueId: 'e',
  sysFlag: 'f',
  bornTimestamp: 'g',
  flag: 'h',
  properties: 'i',
  reconsumeTimes: 'j',
  unitMode: 'k',
  maxReconsumeTimes: 'l',
  batch: 'm',
  brokerName: 'n',
};
const v2Name = (f: Field): string => V2[f];

/** True for the codes whose header uses the one-letter V2 names. */
export function isSendHeaderV2(code: number): boolean {
  return (
    code === RequestCode.SEND_MESSAGE_V2 ||
    code === RequestCode.SEND_BATCH_MESSAGE ||
    code === RequestCode.SEND_REPLY_MESSAGE_V2
  );
}

/** Header fields under the names `name` gives, in Java's field order (undefined ones are left out). */
function encodeSendHeader(h: SendMessageRequestHeader, name: (f: Field) => string): ExtInput {
  return {
    [name('producerGroup')]: h.producerGroup,
    [name('topic')]: h.topic,
    [name('defaultTopic')]: h.defaultTopic,
    [name('defaultTopicQueueNums')]: h.defaultTopicQueueNums,
    [name('queueId')]: h.queueId,
    [name('sysFlag')]: h.sysFlag,
    [name('bornTimestamp')]: h.bornTimestamp,
    [name('flag')]: h.flag,
    [name('properties')]: h.properties,
    [name('reconsumeTimes')]: h.reconsumeTimes,
    [name('unitMode')]: h.unitMode,
    [name('maxReconsumeTimes')]: h.maxReconsumeTimes,
    [name('batch')]: h.batch,
    [name('brokerName')]: h.brokerName,
  };
}

/** The V2 one-letter form Java sends with SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE (a..n). */
export function toSendHeaderV2(h: SendMessageRequestHeader): ExtInput {
  return encodeSendHeader(h, v2Name);
}

/** The V1 long-name form (SEND_MESSAGE, code 10): what the retry-topic fallback uses in Java. */
export function toSendHeaderV1(h: SendMessageRequestHeader): ExtInput {
  return encodeSendHeader(h, v1Name);
}

/** A batch goes as SEND_BATCH_MESSAGE (always the V2 letters), else SEND_MESSAGE_V2, or SEND_MESSAGE when `v1`. */
export function buildSendMessageRequest(
  h: SendMessageRequestHeader,
  body: Buffer,
  v1 = false,
): RemotingCommand {
  if (h.batch) return createRequest(RequestCode.SEND_BATCH_MESSAGE, toSendHeaderV2(h), body);
  if (v1) return createRequest(RequestCode.SEND_MESSAGE, toSendHeaderV1(h), body);
  return createRequest(RequestCode.SEND_MESSAGE_V2, toSendHeaderV2(h), body);
}

/** Reads either form (by the request code) into the V1 field names, as Java's parseRequestHeader does. */
export function decodeSendHeader(cmd: RemotingCommand): SendMessageRequestHeader {
  if (isSendHeaderV2(cmd.code)) return decodeSendHeaderV2(cmd.extFields ?? {});
  const k = v1Name;
  return {
    producerGroup: extStr(cmd, k('producerGroup')),
    topic: extStr(cmd, k('topic')),
    defaultTopic: extStr(cmd, k('defaultTopic')),
    defaultTopicQueueNums: extInt(cmd, k('defaultTopicQueueNums')),
    queueId: extInt(cmd, k('queueId')),
    sysFlag: extInt(cmd, k('sysFlag')),
    bornTimestamp: extLongNum(cmd, k('bornTimestamp')),
    flag: extInt(cmd, k('flag')),
    properties: extStr(cmd, k('properties'), false),
    reconsumeTimes: extInt(cmd, k('reconsumeTimes'), false),
    unitMode: extBool(cmd, k('unitMode'), false) ?? false,
    maxReconsumeTimes: extInt(cmd, k('maxReconsumeTimes'), false),
    batch: extBool(cmd, k('batch'), false) ?? false,
    brokerName: extStr(cmd, k('brokerName'), false),
  };
}

/**
 * The V2 letters read by name (every send comes this way: a fixed-name read is far cheaper than a lookup by
 * a computed key), with the same checks and messages as the V1 path, in the same field order.
 */
function decodeSendHeaderV2(e: Record<string, string | undefined>): SendMessageRequestHeader {
  return {
    producerGroup: strValue(e.a, 'a'),
    topic: strValue(e.b, 'b'),
    defaultTopic: strValue(e.c, 'c'),
    defaultTopicQueueNums: intValue(e.d, 'd'),
    queueId: intValue(e.e, 'e'),
    sysFlag: intValue(e.f, 'f'),
    bornTimestamp: longNumValue(e.g, 'g'),
    flag: intValue(e.h, 'h'),
    properties: strValue(e.i, 'i', false),
    reconsumeTimes: intValue(e.j, 'j', false),
    unitMode: boolValue(e.k, 'k', false) ?? false,
    maxReconsumeTimes: intValue(e.l, 'l', false),
    batch: boolValue(e.m, 'm', false) ?? false,
    brokerName: strValue(e.n, 'n', false),
  };
}
