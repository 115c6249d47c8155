import { createRequest, extInt, extLongNum, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';

// CHANGE_MESSAGE_INVISIBLETIME (200053) of RocketMQ 5.x.

/** ChangeInvisibleTimeRequestHeader. */
export interface ChangeInvisibleTimeRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  /** The message's current POP_CK receipt. */
  extraInfo: string;
  /** The message's queue offset. */
  offset: number;
  /** ms from now until the message comes back. */
  invisibleTime: number;
  brokerName?: string;
}

export function buildChangeInvisibleTimeRequest(h: ChangeInvisibleTimeRequestHeader): RemotingCommand {
  return createRequest(RequestCode.CHANGE_MESSAGE_INVISIBLETIME, {
    consumerGroup: h.consumerGroup,
    topic: h.topic,
    queueId: h.queueId,
    extraInfo: h.extraInfo,
    offset: h.offset,
    invisibleTime: h.invisibleTime,
    bname: h.brokerName,
  });
}

export function decodeChangeInvisibleTimeHeader(cmd: RemotingCommand): ChangeInvisibleTimeRequestHeader {
  return {
    consumerGroup: extStr(cmd, 'consumerGroup'),
    topic: extStr(cmd, 'topic'),
    queueId: extInt(cmd, 'queueId'),
    extraInfo: extStr(cmd, 'extraInfo'),
    offset: extLongNum(cmd, 'offset'),
    invisibleTime: extLongNum(cmd, 'invisibleTime'),
    brokerName: extStr(cmd, 'bname', false),
  };
}

/** ChangeInvisibleTimeResponseHeader: the new lease (the new receipt is built from it). */
export interface ChangeInvisibleTimeResponseHeader {
  popTime: number;
  invisibleTime: number;
  reviveQid: number;
}

export function decodeChangeInvisibleTimeResponse(cmd: RemotingCommand): ChangeInvisibleTimeResponseHeader {
  return {
    popTime: extLongNum(cmd, 'popTime'),
    invisibleTime: extLongNum(cmd, 'invisibleTime'),
    reviveQid: extInt(cmd, 'reviveQid'),
  };
}
