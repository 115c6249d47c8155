import {
  createRequest,
  extBool,
  extInt,
  extLongNum,
  extStr,
  type RemotingCommand,
} from '../remoting-command.js';
import { RequestCode } from '../request-code.js';

// CONSUMER_SEND_MSG_BACK (36), protocol.md §3.8.

/** ConsumerSendMsgBackRequestHeader. */
export interface ConsumerSendMsgBackHeader {
  /** Commit-log offset of the failed message. */
  offset: number;
  group: string;
  /** 0 lets the broker pick 3 + reconsumeTimes; < 0 sends it straight to the DLQ. */
  delayLevel: number;
  originMsgId?: string;
  originTopic?: string;
  /** Sent as false when left out. */
  unitMode?: boolean;
  maxReconsumeTimes?: number;
  /** Sent as `bname`. */
  brokerName?: string;
}

/** Field order as Java's header class. */
export function buildConsumerSendMsgBackRequest(h: ConsumerSendMsgBackHeader): RemotingCommand {
  return createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, {
    offset: h.offset,
    group: h.group,
    delayLevel: h.delayLevel,
    originMsgId: h.originMsgId,
    originTopic: h.originTopic,
    unitMode: h.unitMode ?? false,
    maxReconsumeTimes: h.maxReconsumeTimes,
    bname: h.brokerName,
  });
}

export function decodeConsumerSendMsgBackHeader(cmd: RemotingCommand): ConsumerSendMsgBackHeader {
  return {
    offset: extLongNum(cmd, 'offset'),
    group: extStr(cmd, 'group'),
    delayLevel: extInt(cmd, 'delayLevel'),
    originMsgId: extStr(cmd, 'originMsgId', false),
    originTopic: extStr(cmd, 'originTopic', false),
    unitMode: extBool(cmd, 'unitMode', false) ?? false,
    maxReconsumeTimes: extInt(cmd, 'maxReconsumeTimes', false),
    brokerName: extStr(cmd, 'bname', false),
  };
}
