import { decodeRecord, MessageConst } from '../../protocol/message/index.js';
import type { RemotingCommand } from '../../protocol/remoting-command.js';
import { decodeConsumerSendMsgBackHeader } from '../../protocol/requests/consumer-send-msg-back.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { isWriteable, Perm } from '../perm.js';
import { reputRecord } from '../reput-record.js';
import { dlqTopic, retryTopic } from '../topic/topic-validator.js';
import { fail, ok } from './responses.js';

const V3_4_9 = 121;

/**
 * CONSUMER_SEND_MSG_BACK (36), protocol.md §3.8: the failed message goes to `%RETRY%group` with a delay
 * level (3 + reconsumeTimes when the client says 0), or to `%DLQ%group` once it has been retried enough.
 */
export async function consumerSendMsgBack(
  ctl: BrokerController,
  req: RemotingCommand,
): Promise<RemotingCommand> {
  const h = decodeConsumerSendMsgBackHeader(req);
  const { offset, group, originMsgId } = h;
  let delayLevel = h.delayLevel;
  const headerMax = h.maxReconsumeTimes;
  const sg = ctl.subscriptionGroupManager.find(group);
  if (!sg)
    return fail(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${group}`);
  if (!isWriteable(ctl.config.brokerPermission)) {
    return fail(
      req,
      ResponseCode.NO_PERMISSION,
      `the broker[${ctl.config.brokerIP1}] sending message is forbidden`,
    );
  }
  if (sg.retryQueueNums <= 0) return ok(req);
  let topic = retryTopic(group);
  let queueId = Math.floor(Math.random() * sg.retryQueueNums);
  let tc = ctl.topicConfigManager.createInSendMessageBack(topic, sg.retryQueueNums, Perm.READ | Perm.WRITE);
  if (!isWriteable(tc.perm)) {
    return fail(req, ResponseCode.NO_PERMISSION, `the topic[${topic}] sending message is forbidden`);
  }
  const raw = await ctl.store.lookMessageByOffset(offset);
  if (!raw) return fail(req, ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${offset}`);
  const rec = decodeRecord(raw);
  const props = { ...rec.properties };
  if (!props[MessageConst.RETRY_TOPIC]) props[MessageConst.RETRY_TOPIC] = rec.topic;
  delete props[MessageConst.WAIT_STORE_MSG_OK];
  let max = sg.retryMaxTimes;
  if (req.version >= V3_4_9 && headerMax !== undefined) max = headerMax;
  if (rec.reconsumeTimes >= max || delayLevel < 0) {
    topic = dlqTopic(group);
    queueId = 0;
    tc = ctl.topicConfigManager.createInSendMessageBack(topic, 1, Perm.READ | Perm.WRITE);
    delete props[MessageConst.DELAY_TIME_LEVEL];
  } else {
    if (delayLevel === 0) delayLevel = 3 + rec.reconsumeTimes;
    props[MessageConst.DELAY_TIME_LEVEL] = String(delayLevel);
  }
  if (!props[MessageConst.ORIGIN_MESSAGE_ID])
    props[MessageConst.ORIGIN_MESSAGE_ID] = originMsgId || rec.msgId;
  const msg = reputRecord(rec, {
    topic: tc.topicName,
    queueId,
    properties: props,
    reconsumeTimes: rec.reconsumeTimes + 1,
    preparedTransactionOffset: 0,
  });
  ctl.schedule.applyDelay(msg, props);
  const r = await ctl.putMessage(msg);
  if (r.status === 'PUT_OK') {
    ctl.stats.items.inc('SNDBCK_PUT_NUMS', `${props[MessageConst.RETRY_TOPIC] ?? rec.topic}@${group}`, 1);
    if (topic === dlqTopic(group))
      ctl.metrics?.deadLettered(props[MessageConst.RETRY_TOPIC] ?? rec.topic, group);
    return ok(req);
  }
  return fail(req, ResponseCode.SYSTEM_ERROR, r.status);
}
