import {
  POP_ORDER_REVIVE_QUEUE,
  PopResponseCode,
  parseExtraInfo,
  realTopic,
} from '../../protocol/pop-extra-info.js';
import type { RemotingCommand } from '../../protocol/remoting-command.js';
import { decodeAckMessageHeader, decodeBatchAckBody } from '../../protocol/requests/ack-message.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { fail, ok } from './responses.js';

/** Topic and queue checks of AckMessageProcessor; undefined when the ack may go on. */
function checkQueue(
  ctl: BrokerController,
  req: RemotingCommand,
  topic: string,
  queueId: number,
  offset: number,
): RemotingCommand | undefined {
  const tc = ctl.topicConfigManager.select(topic);
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please!`);
  if (queueId < 0 || queueId >= tc.readQueueNums)
    return fail(
      req,
      ResponseCode.MESSAGE_ILLEGAL,
      `queueId[${queueId}] is illegal, topic:[${topic}] topicConfig.readQueueNums:[${tc.readQueueNums}]`,
    );
  const min = ctl.store.getMinOffsetInQueue(topic, queueId);
  const max = ctl.store.getMaxOffsetInQueue(topic, queueId);
  if (offset < min || offset > max)
    return fail(
      req,
      ResponseCode.NO_MESSAGE,
      `offset ${offset} of ${topic}:${queueId} is not in [${min}, ${max}]`,
    );
  return undefined;
}

/** ACK_MESSAGE (5.x AckMessageProcessor): settles one popped message; its ack record is durable when answered. */
export async function ackMessage(ctl: BrokerController, req: RemotingCommand): Promise<RemotingCommand> {
  const h = decodeAckMessageHeader(req);
  let e: ReturnType<typeof parseExtraInfo>;
  let topic: string;
  try {
    e = parseExtraInfo(h.extraInfo);
    topic = realTopic(h.topic, h.consumerGroup, e.topicKind);
  } catch (err) {
    return fail(req, PopResponseCode.INVALID_PARAMETER, (err as Error).message);
  }
  const bad = checkQueue(ctl, req, topic, h.queueId, h.offset);
  if (bad) return bad;
  if (e.reviveQid === POP_ORDER_REVIVE_QUEUE) {
    ctl.pop.orderAck(h.consumerGroup, topic, h.queueId, [h.offset], e.popTime);
    return ok(req);
  }
  await ctl.pop.ack(h.consumerGroup, topic, h.queueId, e.ckQueueOffset, e.popTime, [h.offset]);
  return ok(req);
}

/** BATCH_ACK_MESSAGE: several check points' acks (BatchAckMessageRequestBody). */
export async function batchAckMessage(ctl: BrokerController, req: RemotingCommand): Promise<RemotingCommand> {
  let body: ReturnType<typeof decodeBatchAckBody>;
  try {
    if (!req.body) throw new Error('batch ack request has no body');
    body = decodeBatchAckBody(req.body);
  } catch (err) {
    return fail(req, PopResponseCode.INVALID_PARAMETER, (err as Error).message);
  }
  for (const a of body.acks) {
    let topic: string;
    try {
      topic = realTopic(a.topic, a.consumerGroup, a.retry);
    } catch (err) {
      return fail(req, PopResponseCode.INVALID_PARAMETER, (err as Error).message);
    }
    const offsets = a.bits.map((b) => a.startOffset + b);
    if (offsets.length === 0) continue;
    const bad = checkQueue(ctl, req, topic, a.queueId, Math.max(...offsets));
    if (bad) return bad;
    if (a.reviveQueueId === POP_ORDER_REVIVE_QUEUE)
      ctl.pop.orderAck(a.consumerGroup, topic, a.queueId, offsets, a.popTime);
    else await ctl.pop.ack(a.consumerGroup, topic, a.queueId, a.startOffset, a.popTime, offsets);
  }
  return ok(req);
}
