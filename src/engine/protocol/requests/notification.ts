import {
  createRequest,
  extBool,
  extInt,
  extLongNum,
  extStr,
  type RemotingCommand,
} from '../remoting-command.js';
import { RequestCode } from '../request-code.js';

// NOTIFICATION (200054) of RocketMQ 5.x: "is there something to pop?", long-polled like a pop.

/** NotificationRequestHeader. */
export interface NotificationRequestHeader {
  consumerGroup: string;
  topic: string;
  /** -1: any queue. */
  queueId: number;
  pollTime: number;
  bornTime: number;
  order?: boolean;
  attemptId?: string;
  brokerName?: string;
}

export function buildNotificationRequest(h: NotificationRequestHeader): RemotingCommand {
  return createRequest(RequestCode.NOTIFICATION, {
    consumerGroup: h.consumerGroup,
    topic: h.topic,
    queueId: h.queueId,
    pollTime: h.pollTime,
    bornTime: h.bornTime,
    order: h.order ?? false,
    attemptId: h.attemptId,
    bname: h.brokerName,
  });
}

export function decodeNotificationHeader(cmd: RemotingCommand): NotificationRequestHeader {
  return {
    consumerGroup: extStr(cmd, 'consumerGroup'),
    topic: extStr(cmd, 'topic'),
    queueId: extInt(cmd, 'queueId'),
    pollTime: extLongNum(cmd, 'pollTime'),
    bornTime: extLongNum(cmd, 'bornTime'),
    order: extBool(cmd, 'order', false) ?? false,
    attemptId: extStr(cmd, 'attemptId', false),
    brokerName: extStr(cmd, 'bname', false),
  };
}

/** NotificationResponseHeader. */
export interface NotificationResponseHeader {
  hasMsg: boolean;
  pollingFull: boolean;
}

export function decodeNotificationResponse(cmd: RemotingCommand): NotificationResponseHeader {
  return {
    hasMsg: extBool(cmd, 'hasMsg', false) ?? false,
    pollingFull: extBool(cmd, 'pollingFull', false) ?? false,
  };
}
