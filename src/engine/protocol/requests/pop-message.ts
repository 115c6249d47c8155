import {
  createRequest,
  extBool,
  extInt,
  extLongNum,
  extStr,
  type RemotingCommand,
} from '../remoting-command.js';
import { RequestCode } from '../request-code.js';

// POP_MESSAGE (200050) and PEEK_MESSAGE (200052) of RocketMQ 5.x.

/** PopMessageRequestHeader. */
export interface PopMessageRequestHeader {
  consumerGroup: string;
  topic: string;
  /** -1: any readable queue of the topic. */
  queueId: number;
  maxMsgNums: number;
  /** ms a popped message stays invisible before it comes back. */
  invisibleTime: number;
  /** ms the broker may hold the request waiting for messages (0: answer at once). */
  pollTime: number;
  /** Client's send time in ms (the broker answers before bornTime + pollTime). */
  bornTime: number;
  /** ConsumeInitMode: 0 MIN (from the first message), 1 MAX (from the newest). */
  initMode: number;
  /** TAG (default) or SQL92. */
  expType?: string;
  /** Filter expression, `*` when absent. */
  exp?: string;
  /** Orderly (FIFO) pop. */
  order?: boolean;
  attemptId?: string;
  /** Sent as `bname`. */
  brokerName?: string;
}

/** Field order as Java's header class. */
export function buildPopMessageRequest(h: PopMessageRequestHeader): RemotingCommand {
  return createRequest(RequestCode.POP_MESSAGE, {
    consumerGroup: h.consumerGroup,
    topic: h.topic,
    queueId: h.queueId,
    maxMsgNums: h.maxMsgNums,
    invisibleTime: h.invisibleTime,
    pollTime: h.pollTime,
    bornTime: h.bornTime,
    initMode: h.initMode,
    expType: h.expType,
    exp: h.exp,
    order: h.order ?? false,
    attemptId: h.attemptId,
    bname: h.brokerName,
  });
}

export function decodePopMessageHeader(cmd: RemotingCommand): PopMessageRequestHeader {
  return {
    consumerGroup: extStr(cmd, 'consumerGroup'),
    topic: extStr(cmd, 'topic'),
    queueId: extInt(cmd, 'queueId'),
    maxMsgNums: extInt(cmd, 'maxMsgNums'),
    invisibleTime: extLongNum(cmd, 'invisibleTime'),
    pollTime: extLongNum(cmd, 'pollTime'),
    bornTime: extLongNum(cmd, 'bornTime'),
    initMode: extInt(cmd, 'initMode'),
    expType: extStr(cmd, 'expType', false),
    exp: extStr(cmd, 'exp', false),
    order: extBool(cmd, 'order', false) ?? false,
    attemptId: extStr(cmd, 'attemptId', false),
    brokerName: extStr(cmd, 'bname', false),
  };
}

/** PopMessageResponseHeader. */
export interface PopMessageResponseHeader {
  popTime: number;
  invisibleTime: number;
  reviveQid: number;
  /** Messages left behind the popped ones in the queues read. */
  restNum: number;
  /** `kind queueId startOffset;…` (ExtraInfoUtil.buildStartOffsetInfo). */
  startOffsetInfo?: string;
  /** `kind queueId o1,o2;…` (ExtraInfoUtil.buildMsgOffsetInfo). */
  msgOffsetInfo?: string;
  /** Orderly pops: delivery counts (ExtraInfoUtil.buildQueueOffsetOrderCountInfo). */
  orderCountInfo?: string;
}

export function encodePopMessageResponseHeader(h: PopMessageResponseHeader): Record<string, string | number> {
  const ext: Record<string, string | number> = {
    popTime: h.popTime,
    invisibleTime: h.invisibleTime,
    reviveQid: h.reviveQid,
    restNum: h.restNum,
  };
  if (h.startOffsetInfo !== undefined) ext.startOffsetInfo = h.startOffsetInfo;
  if (h.msgOffsetInfo !== undefined) ext.msgOffsetInfo = h.msgOffsetInfo;
  if (h.orderCountInfo !== undefined) ext.orderCountInfo = h.orderCountInfo;
  return ext;
}

export function decodePopMessageResponseHeader(cmd: RemotingCommand): PopMessageResponseHeader {
  return {
    popTime: extLongNum(cmd, 'popTime', false) ?? 0,
    invisibleTime: extLongNum(cmd, 'invisibleTime', false) ?? 0,
    reviveQid: extInt(cmd, 'reviveQid', false) ?? 0,
    restNum: extLongNum(cmd, 'restNum', false) ?? 0,
    startOffsetInfo: extStr(cmd, 'startOffsetInfo', false),
    msgOffsetInfo: extStr(cmd, 'msgOffsetInfo', false),
    orderCountInfo: extStr(cmd, 'orderCountInfo', false),
  };
}

/** PeekMessageRequestHeader: read without leasing. */
export interface PeekMessageRequestHeader {
  topic: string;
  queueId: number;
  maxMsgNums: number;
  consumerGroup: string;
  brokerName?: string;
}

export function buildPeekMessageRequest(h: PeekMessageRequestHeader): RemotingCommand {
  return createRequest(RequestCode.PEEK_MESSAGE, {
    topic: h.topic,
    queueId: h.queueId,
    maxMsgNums: h.maxMsgNums,
    consumerGroup: h.consumerGroup,
    bname: h.brokerName,
  });
}

export function decodePeekMessageHeader(cmd: RemotingCommand): PeekMessageRequestHeader {
  return {
    topic: extStr(cmd, 'topic'),
    queueId: extInt(cmd, 'queueId'),
    maxMsgNums: extInt(cmd, 'maxMsgNums'),
    consumerGroup: extStr(cmd, 'consumerGroup'),
    brokerName: extStr(cmd, 'bname', false),
  };
}
