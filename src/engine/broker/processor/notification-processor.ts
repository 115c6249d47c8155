import { popRetryTopicV1 } from '../../protocol/pop-extra-info.js';
import type { RemotingCommand } from '../../protocol/remoting-command.js';
import { decodeNotificationHeader } from '../../protocol/requests/notification.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { Channel } from '../../remoting/index.js';
import type { BrokerController } from '../broker-controller.js';
import { type HeldState, waitForArrival } from '../pop/pop-long-polling.js';
import { checkQueueAndGroup } from './pop-checks.js';
import { fail, ok } from './responses.js';

/**
 * NOTIFICATION (5.x NotificationProcessor): hasMsg when the group could pop something from the topic (or
 * its pop retry topic) now; otherwise held like a pop until a message arrives or pollTime runs out.
 */
export async function processNotification(
  ctl: BrokerController,
  req: RemotingCommand,
  ch: Channel,
  held?: HeldState,
): Promise<RemotingCommand | null> {
  const h = decodeNotificationHeader(req);
  const tc = ctl.topicConfigManager.select(h.topic);
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist, apply first please!`);
  const sg = checkQueueAndGroup(ctl, req, h, tc.readQueueNums);
  if ('code' in sg) return sg;
  const order = h.order === true || sg.consumeMessageOrderly === true;
  const retryTopic = popRetryTopicV1(h.topic, h.consumerGroup);
  const queues = h.queueId >= 0 ? [h.queueId] : Array.from({ length: tc.readQueueNums }, (_, i) => i);
  let hasMsg = queues.some((q) => ctl.pop.available(h.consumerGroup, h.topic, q, order));
  if (!hasMsg && !order && ctl.topicConfigManager.select(retryTopic))
    hasMsg = ctl.pop.available(h.consumerGroup, retryTopic, 0, false);
  if (!hasMsg) {
    const waited = waitForArrival(ctl.popPolling, {
      topics: [h.topic, retryTopic],
      queueId: h.queueId,
      pollTime: h.pollTime,
      held,
      closed: () => ch.closed,
      rerun: async (state) => {
        const resp = await processNotification(ctl, req, ch, state);
        return resp && { send: () => ch.send(resp) };
      },
    });
    if (waited === null || waited === 'held') return null;
    if (waited === 'full') return ok(req, { hasMsg: false, pollingFull: true });
  }
  return ok(req, { hasMsg });
}
