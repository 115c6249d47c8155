import { createRequest, extInt, extLongNum, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';

// PULL_MESSAGE (11), protocol.md §3.5.

/** PullMessageRequestHeader. */
export interface PullMessageRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  maxMsgNums: number;
  sysFlag: number;
  commitOffset: number;
  suspendTimeoutMillis: number;
  subscription?: string;
  subVersion: number;
  expressionType?: string;
  /** Sent as `bname`. */
  brokerName?: string;
}

/** Bits of the header's sysFlag (PullSysFlag.java). */
export const PullSysFlag = {
  COMMIT_OFFSET: 1,
  SUSPEND: 2,
  SUBSCRIPTION: 4,
  CLASS_FILTER: 8,
  LITE_PULL: 16,
} as const;

/** Field order as Java's header class. */
export function buildPullMessageRequest(h: PullMessageRequestHeader): RemotingCommand {
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: h.consumerGroup,
    topic: h.topic,
    queueId: h.queueId,
    queueOffset: h.queueOffset,
    maxMsgNums: h.maxMsgNums,
    sysFlag: h.sysFlag,
    commitOffset: h.commitOffset,
    suspendTimeoutMillis: h.suspendTimeoutMillis,
    subscription: h.subscription,
    subVersion: h.subVersion,
    expressionType: h.expressionType,
    bname: h.brokerName,
  });
}

export function decodePullHeader(cmd: RemotingCommand): PullMessageRequestHeader {
  return {
    consumerGroup: extStr(cmd, 'consumerGroup'),
    topic: extStr(cmd, 'topic'),
    queueId: extInt(cmd, 'queueId'),
    queueOffset: extLongNum(cmd, 'queueOffset'),
    maxMsgNums: extInt(cmd, 'maxMsgNums'),
    sysFlag: extInt(cmd, 'sysFlag'),
    commitOffset: extLongNum(cmd, 'commitOffset'),
    suspendTimeoutMillis: extLongNum(cmd, 'suspendTimeoutMillis'),
    subscription: extStr(cmd, 'subscription', false),
    subVersion: extLongNum(cmd, 'subVersion'),
    expressionType: extStr(cmd, 'expressionType', false),
    brokerName: extStr(cmd, 'bname', false),
  };
}
