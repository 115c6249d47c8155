import { extInt, extLongNum, extStr, type RemotingCommand } from '../../protocol/remoting-command.js';

/** PullMessageRequestHeader (protocol.md §3.5). */
export interface PullMessageRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  maxMsgNums: number;
  sysFlag: number;
  commitOffset: number;
  suspendTimeoutMillis: number;
  subscription: string | undefined;
  subVersion: number;
  expressionType: string | undefined;
}

export const PullSysFlag = {
  COMMIT_OFFSET: 1,
  SUSPEND: 2,
  SUBSCRIPTION: 4,
  CLASS_FILTER: 8,
  LITE_PULL: 16,
} as const;

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
  };
}
