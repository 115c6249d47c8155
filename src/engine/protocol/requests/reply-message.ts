import type { ExtInput } from '../remoting-command.js';
import type { SendMessageRequestHeader } from './send-message.js';

/**
 * `ReplyMessageRequestHeader`: PUSH_REPLY_MESSAGE_TO_CLIENT (326), broker → requesting producer. The reply's
 * send header under long names, plus where it was born and stored ("ip:port") and when.
 */
export interface ReplyPushHeader {
  send: SendMessageRequestHeader;
  properties: string;
  bornHost: string;
  storeHost: string;
  storeTimestamp: number;
}

export function toReplyMessageHeader(r: ReplyPushHeader): ExtInput {
  const h = r.send;
  return {
    producerGroup: h.producerGroup,
    topic: h.topic,
    defaultTopic: h.defaultTopic,
    defaultTopicQueueNums: h.defaultTopicQueueNums,
    queueId: h.queueId,
    sysFlag: h.sysFlag,
    bornTimestamp: h.bornTimestamp,
    flag: h.flag,
    properties: r.properties,
    reconsumeTimes: h.reconsumeTimes,
    unitMode: h.unitMode,
    bornHost: r.bornHost,
    storeHost: r.storeHost,
    storeTimestamp: r.storeTimestamp,
  };
}
