// /message/*: MessageController over printMsg, queryMsgByKey, queryMsgById and queryMsgByUniqueKey.
import { AdminError } from '../../engine/admin/errors.js';
import {
  printMsg,
  queryMsgById,
  queryMsgByKey,
  queryMsgByUniqueKey,
} from '../../engine/admin/message-ops.js';
import type { ConsoleContext } from '../context.js';
import { BadRequest } from '../envelope.js';
import { numParam, optParam, param, type Route } from '../http.js';
import { findMessage, resendToGroup } from './resend.js';

/** The dashboard stops a topic+time query at 2000 messages; so do we, per queue. */
const MAX_PER_QUEUE = 2000;

export function messageRoutes(ctx: ConsoleContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/message/queryMessageByTopic.query',
      handler: async (req) => {
        const begin = numParam(req, 'begin');
        const end = numParam(req, 'end');
        if (end < begin) throw new BadRequest(`end (${end}) is before begin (${begin})`);
        // `mq printMsg -t T -b BEGIN -e END --json`: each queue with its messages in the range.
        return printMsg(ctx.admin, { topic: param(req, 'topic'), begin, end, limitPerQueue: MAX_PER_QUEUE });
      },
    },
    {
      method: 'GET',
      path: '/message/queryMessageByTopicAndKey.query',
      handler: (req) => queryMsgByKey(ctx.admin, param(req, 'topic'), param(req, 'key')),
    },
    {
      method: 'GET',
      path: '/message/viewMessage.query',
      handler: async (req) => {
        // Both id forms: an offset id (the broker's) is read directly; a client (unique key) id needs its topic.
        const msgId = param(req, 'msgId');
        const topic = optParam(req, 'topic');
        let message: Awaited<ReturnType<typeof queryMsgById>>['messages'][number] | undefined;
        try {
          message = (await queryMsgById(ctx.admin, [msgId])).messages[0];
        } catch (err) {
          // Not an offset id (or no broker at the address it names): look it up as a unique key.
          if (!topic) throw err;
          message = (await queryMsgByUniqueKey(ctx.admin, topic, msgId)).messages[0];
        }
        if (!message) throw new AdminError(`no message ${msgId}`);
        const { tracks, ...messageView } = message;
        return { messageView, messageTrackList: tracks };
      },
    },
    {
      method: 'POST',
      path: '/message/consumeMessageDirectly.do',
      // The dashboard's "Resend message" of the message detail: topic, consumerGroup, msgId[, clientId].
      handler: async (req) => {
        const m = await findMessage(ctx, param(req, 'topic'), param(req, 'msgId'));
        return resendToGroup(ctx, m, param(req, 'consumerGroup'), optParam(req, 'clientId'));
      },
    },
  ];
}
