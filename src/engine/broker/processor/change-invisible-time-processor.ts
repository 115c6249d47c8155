import {
  POP_ORDER_REVIVE_QUEUE,
  PopResponseCode,
  parseExtraInfo,
  realTopic,
} from '../../protocol/pop-extra-info.js';
import type { RemotingCommand } from '../../protocol/remoting-command.js';
import { decodeChangeInvisibleTimeHeader } from '../../protocol/requests/change-invisible-time.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { fail, ok } from './responses.js';

/**
 * CHANGE_MESSAGE_INVISIBLETIME (5.x ChangeInvisibleTimeProcessor): a new check point for the message with
 * the new time, then an ack of the old one (both durable before the answer). A lease already settled
 * (acked, or revived to the retry topic) cannot be changed: NO_MESSAGE, so an acked message never returns.
 */
export async function changeInvisibleTime(
  ctl: BrokerController,
  req: RemotingCommand,
): Promise<RemotingCommand> {
  const h = decodeChangeInvisibleTimeHeader(req);
  let e: ReturnType<typeof parseExtraInfo>;
  let topic: string;
  try {
    e = parseExtraInfo(h.extraInfo);
    topic = realTopic(h.topic, h.consumerGroup, e.topicKind);
  } catch (err) {
    return fail(req, PopResponseCode.INVALID_PARAMETER, (err as Error).message);
  }
  if (h.invisibleTime < 0)
    return fail(req, PopResponseCode.INVALID_PARAMETER, `invisibleTime ${h.invisibleTime} must be >= 0 ms`);
  if (!ctl.topicConfigManager.select(topic))
    return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please!`);
  const gone = `the lease of ${topic}:${h.queueId}@${h.offset} for ${h.consumerGroup} is over (acked or expired)`;
  if (e.reviveQid === POP_ORDER_REVIVE_QUEUE) {
    const popTime = ctl.pop.orderChangeInvisible(
      h.consumerGroup,
      topic,
      h.queueId,
      h.offset,
      h.invisibleTime,
    );
    if (popTime === undefined) return fail(req, ResponseCode.NO_MESSAGE, gone);
    return ok(req, { popTime, invisibleTime: h.invisibleTime, reviveQid: POP_ORDER_REVIVE_QUEUE });
  }
  if (!ctl.pop.leased(h.consumerGroup, topic, h.queueId, e.ckQueueOffset, e.popTime, h.offset))
    return fail(req, ResponseCode.NO_MESSAGE, gone);
  const popTime = Date.now();
  const reviveQid = ctl.pop.nextReviveQid();
  await ctl.pop.writeCheckPoint({
    so: h.offset,
    d: [0],
    pt: popTime,
    it: h.invisibleTime,
    c: h.consumerGroup,
    t: topic,
    q: h.queueId,
    rq: reviveQid,
    bn: ctl.config.brokerName,
  });
  await ctl.pop.ack(h.consumerGroup, topic, h.queueId, e.ckQueueOffset, e.popTime, [h.offset]);
  return ok(req, { popTime, invisibleTime: h.invisibleTime, reviveQid });
}
