import {
  extBool,
  extInt,
  extLongNum,
  extStr,
  type RemotingCommand,
} from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';

/** SendMessageRequestHeader with V1 field names (protocol.md §3.1). */
export interface SendMessageRequestHeader {
  producerGroup: string;
  topic: string;
  defaultTopic: string;
  defaultTopicQueueNums: number;
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  flag: number;
  properties: string | undefined;
  reconsumeTimes: number | undefined;
  unitMode: boolean;
  maxReconsumeTimes: number | undefined;
  batch: boolean;
}

/** V2 (code 310 and 320) sends single letters; both forms end up as V1 (parseRequestHeader). */
const V2: Record<keyof SendMessageRequestHeader, string> = {
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
};

export function decodeSendHeader(cmd: RemotingCommand): SendMessageRequestHeader {
  const v2 = cmd.code === RequestCode.SEND_MESSAGE_V2 || cmd.code === RequestCode.SEND_BATCH_MESSAGE;
  const k = (f: keyof SendMessageRequestHeader) => (v2 ? V2[f] : f);
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
  };
}
