import { decodeBatchBody, MessageConst, parseProperties, SysFlag } from '../../protocol/message/index.js';
import { FLAG_RESPONSE, type RemotingCommand } from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';
import { decodeSendHeader, type SendMessageRequestHeader } from '../../protocol/requests/send-message.js';
import { ResponseCode } from '../../protocol/response-code.js';
import {
  messageTypeOfProperties,
  messageTypeProblem,
  topicMessageType,
} from '../../protocol/topic-attributes.js';
import type { Channel, RequestProcessor } from '../../remoting/index.js';
import type { MessageExtBrokerInner, PutMessageResult } from '../../store/types.js';
import { REMOTING_VERSION } from '../../version.js';
import type { BrokerController } from '../broker-controller.js';
import { isWriteable, Perm } from '../perm.js';
import { BusyReason } from '../send-queue.js';
import { applyTimer } from '../timer/timer-send.js';
import {
  dlqTopic,
  isNotAllowedSendTopic,
  isRetryTopic,
  RETRY_GROUP_TOPIC_PREFIX,
  topicProblem,
} from '../topic/topic-validator.js';
import { fail, howToCreateTopic } from './responses.js';

/** MQVersion V3_4_9: from this client version on, header maxReconsumeTimes overrides the group's. */
const V3_4_9 = 121;

/** SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320): protocol.md §3.3–3.4. */
export function sendMessageProcessor(ctl: BrokerController): RequestProcessor {
  return (req, ch) =>
    ctl.sendQueue
      .run(() => handleSend(ctl, req, ch))
      .catch((e) => {
        if (e instanceof BusyReason) return fail(req, ResponseCode.SYSTEM_BUSY, e.message);
        throw e;
      });
}

async function handleSend(
  ctl: BrokerController,
  req: RemotingCommand,
  ch: Channel,
): Promise<RemotingCommand> {
  const h = decodeSendHeader(req);
  const cfg = ctl.config;
  if (cfg.brokerRole === 'SLAVE') {
    return fail(req, ResponseCode.SERVICE_NOT_AVAILABLE, 'the broker is a slave, and can not write message');
  }
  if (!isWriteable(cfg.brokerPermission)) {
    return fail(req, ResponseCode.NO_PERMISSION, `the broker[${cfg.brokerIP1}] sending message is forbidden`);
  }
  const problem = topicProblem(h.topic);
  if (problem) return fail(req, ResponseCode.SYSTEM_ERROR, problem);
  if (isNotAllowedSendTopic(h.topic)) {
    return fail(req, ResponseCode.NO_PERMISSION, `Sending message to topic[${h.topic}] is forbidden.`);
  }
  let tc = ctl.topicConfigManager.select(h.topic);
  if (!tc) {
    tc = ctl.topicConfigManager.createInSendMessage(
      h.topic,
      h.defaultTopic,
      ch.remoteAddress,
      h.defaultTopicQueueNums,
      0,
    );
    if (!tc && isRetryTopic(h.topic)) {
      tc = ctl.topicConfigManager.createInSendMessageBack(h.topic, 1, Perm.READ | Perm.WRITE);
    }
    if (!tc) {
      return fail(
        req,
        ResponseCode.TOPIC_NOT_EXIST,
        `topic[${h.topic}] not exist on broker ${cfg.brokerName}; ${howToCreateTopic(h.topic, cfg.namesrvAddr, cfg.brokerClusterName)}`,
      );
    }
  }
  if (!isWriteable(tc.perm)) {
    return fail(req, ResponseCode.NO_PERMISSION, `the topic[${h.topic}] sending message is forbidden`);
  }
  const maxQueues = Math.max(tc.writeQueueNums, tc.readQueueNums);
  if (h.queueId >= maxQueues) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `request queueId[${h.queueId}] is illegal, topic ${h.topic} has ${maxQueues} queues, Producer: ${ch.remoteAddress}`,
    );
  }
  const queueId = h.queueId < 0 ? Math.floor(Math.random() * Math.max(1, tc.writeQueueNums)) : h.queueId;
  const sysFlag = tc.topicFilterType === 'MULTI_TAG' ? h.sysFlag | SysFlag.MULTI_TAGS : h.sysFlag;

  if (req.code === RequestCode.SEND_BATCH_MESSAGE) return sendBatch(ctl, req, ch, h, queueId, sysFlag);

  const body = req.body ?? Buffer.alloc(0);
  const props = parseProperties(h.properties);
  const tooBig = ctl.checkSize(body.length, h.properties);
  if (tooBig) return fail(req, ResponseCode.MESSAGE_ILLEGAL, tooBig);

  const msg: MessageExtBrokerInner = {
    topic: h.topic,
    queueId,
    flag: h.flag,
    body,
    properties: props,
    sysFlag,
    bornTimestamp: h.bornTimestamp,
    bornHost: ctl.hostOf(ch.remoteAddress),
    storeHost: ctl.storeHost,
    reconsumeTimes: h.reconsumeTimes ?? 0,
    preparedTransactionOffset: 0,
  };
  const refused = handleRetryAndDLQ(ctl, req, h, msg, props);
  if (refused) return refused;
  // The proxy's TopicMessageTypeValidator, on the classic path when enableTopicMessageTypeCheck is on.
  if (
    ctl.config.enableTopicMessageTypeCheck &&
    props[MessageConst.TRANSFER_FLAG] === undefined &&
    !isRetryTopic(h.topic) &&
    !h.topic.startsWith('%DLQ%')
  ) {
    const why = messageTypeProblem(topicMessageType(tc.attributes), messageTypeOfProperties(props));
    if (why) return fail(req, ResponseCode.MESSAGE_ILLEGAL, why);
  }
  // WAIT=false (the producer does not wait for the store): a SYNC_MASTER answers without waiting for the slave.
  const waitStoreMsgOK = props[MessageConst.WAIT_STORE_MSG_OK] !== 'false';
  // Not stored. Removed before CLUSTER is added, so that when it was the last key V8 drops it in place
  // instead of turning the object into a dictionary (the order written is the same either way).
  delete props[MessageConst.WAIT_STORE_MSG_OK];
  props[MessageConst.CLUSTER] = ctl.config.brokerClusterName;

  if (props[MessageConst.TRANSACTION_PREPARED] === 'true') {
    if (ctl.config.rejectTransactionMessage) {
      return fail(
        req,
        ResponseCode.NO_PERMISSION,
        `the broker[${cfg.brokerIP1}] sending transaction message is forbidden`,
      );
    }
    ctl.transactions.toHalf(msg, props);
  } else {
    const timerRefused = applyTimer(ctl.config, msg, props);
    if (timerRefused) return fail(req, timerRefused.code, timerRefused.remark);
    ctl.schedule.applyDelay(msg, props);
  }
  const result = await ctl.putMessage(msg, waitStoreMsgOK);
  return sendResponse(ctl, req, result, h.topic, queueId, messageType(props));
}

/** RocketMQ 5's message_type label of a single send. */
function messageType(props: Record<string, string>): string {
  if (props[MessageConst.TRANSACTION_PREPARED] === 'true') return 'transaction';
  if (Number(props[MessageConst.DELAY_TIME_LEVEL] ?? 0) > 0) return 'delay';
  if (props[MessageConst.TIMER_OUT_MS] !== undefined) return 'delay';
  return 'normal';
}

/**
 * Retry topics (`%RETRY%group`): past the group's retryMaxTimes (or the header's for clients ≥ V3_4_9)
 * the message goes to `%DLQ%group` instead. Returns a reply when the send must be refused.
 */
function handleRetryAndDLQ(
  ctl: BrokerController,
  req: RemotingCommand,
  h: SendMessageRequestHeader,
  msg: MessageExtBrokerInner,
  props: Record<string, string>,
): RemotingCommand | undefined {
  if (!h.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return undefined;
  const group = h.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
  const sg = ctl.subscriptionGroupManager.find(group);
  if (!sg) {
    return fail(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${group}`);
  }
  let max = sg.retryMaxTimes;
  if (req.version >= V3_4_9 && h.maxReconsumeTimes !== undefined) max = h.maxReconsumeTimes;
  const times = h.reconsumeTimes ?? 0;
  if (times >= max) {
    const dlq = ctl.topicConfigManager.createInSendMessageBack(dlqTopic(group), 1, Perm.READ | Perm.WRITE);
    msg.topic = dlq.topicName;
    msg.queueId = 0;
    delete props[MessageConst.DELAY_TIME_LEVEL];
  }
  return undefined;
}

async function sendBatch(
  ctl: BrokerController,
  req: RemotingCommand,
  ch: Channel,
  h: SendMessageRequestHeader,
  queueId: number,
  sysFlag: number,
): Promise<RemotingCommand> {
  if (isRetryTopic(h.topic)) {
    return fail(req, ResponseCode.MESSAGE_ILLEGAL, `batch request does not support retry group ${h.topic}`);
  }
  const batchProps = parseProperties(h.properties);
  if (batchProps[MessageConst.DELAY_TIME_LEVEL] || (sysFlag & SysFlag.TRANSACTION_ROLLBACK_TYPE) !== 0) {
    return fail(req, ResponseCode.MESSAGE_ILLEGAL, 'batch messages cannot be delayed or transactional');
  }
  let items: ReturnType<typeof decodeBatchBody>;
  try {
    items = decodeBatchBody(req.body ?? Buffer.alloc(0));
  } catch (e) {
    return fail(req, ResponseCode.MESSAGE_ILLEGAL, `malformed batch body: ${(e as Error).message}`);
  }
  if (items.length === 0) return fail(req, ResponseCode.MESSAGE_ILLEGAL, 'empty batch');
  batchProps[MessageConst.CLUSTER] = ctl.config.brokerClusterName;
  const waitStoreMsgOK = batchProps[MessageConst.WAIT_STORE_MSG_OK] !== 'false';
  delete batchProps[MessageConst.WAIT_STORE_MSG_OK];
  const extra = Object.entries(batchProps)
    .map(([k, v]) => `${k}\u0001${v}`)
    .join('\u0002');
  for (const it of items) {
    const tooBig = ctl.checkSize(it.body.length, it.properties);
    if (tooBig) return fail(req, ResponseCode.MESSAGE_ILLEGAL, tooBig);
    let p = it.properties;
    if (p.length > 0 && !p.endsWith('\u0002')) p += '\u0002';
    it.properties = p + extra;
  }
  const result = await ctl.putMessages(
    {
      topic: h.topic,
      queueId,
      sysFlag,
      bornTimestamp: h.bornTimestamp,
      bornHost: ctl.hostOf(ch.remoteAddress),
      storeHost: ctl.storeHost,
      reconsumeTimes: h.reconsumeTimes ?? 0,
      items,
    },
    waitStoreMsgOK,
  );
  return sendResponse(ctl, req, result, h.topic, queueId);
}

/** Store status → response code (§3.3); ext msgId/queueId/queueOffset always present. */
export function sendResponse(
  ctl: BrokerController,
  req: RemotingCommand,
  r: PutMessageResult,
  topic: string,
  queueId: number,
  messageType = 'normal',
): RemotingCommand {
  let code: number;
  let remark: string | undefined;
  switch (r.status) {
    case 'PUT_OK':
      code = ResponseCode.SUCCESS;
      break;
    case 'FLUSH_DISK_TIMEOUT':
      code = ResponseCode.FLUSH_DISK_TIMEOUT;
      break;
    case 'FLUSH_SLAVE_TIMEOUT':
      code = ResponseCode.FLUSH_SLAVE_TIMEOUT;
      break;
    case 'SLAVE_NOT_AVAILABLE':
      code = ResponseCode.SLAVE_NOT_AVAILABLE;
      break;
    case 'MESSAGE_ILLEGAL':
    case 'PROPERTIES_SIZE_EXCEEDED':
      code = ResponseCode.MESSAGE_ILLEGAL;
      remark =
        r.remark ??
        `the message is illegal, maybe msg body or properties length not matched. msg body length limit ${ctl.config.maxMessageSize}B, msg properties length limit 32KB.`;
      break;
    case 'SERVICE_NOT_AVAILABLE':
      code = ResponseCode.SERVICE_NOT_AVAILABLE;
      remark = r.remark ?? 'service not available now, maybe disk full or the store is shutting down';
      break;
    case 'CREATE_MAPEDFILE_FAILED':
      code = ResponseCode.SYSTEM_ERROR;
      remark = 'create mapped file failed, server is busy or broken.';
      break;
    case 'OS_PAGECACHE_BUSY':
      code = ResponseCode.SYSTEM_ERROR;
      remark = '[PC_SYNCHRONIZED]broker busy, start flow control for a while';
      break;
    default:
      code = ResponseCode.SYSTEM_ERROR;
      remark = r.remark ?? 'UNKNOWN_ERROR';
  }
  const a = r.appendResult;
  const sent = code === 0 || code === 10 || code === 11 || code === 12;
  if (sent && a) {
    ctl.stats.topicPut(topic, queueId, ctl.config.brokerClusterName, a.msgNum, a.wroteBytes);
    ctl.metrics?.messagesStored(topic, messageType, a.msgNum, a.wroteBytes);
  }
  // Built here rather than through createResponse + toExtFields: the values are strings already, and a
  // reply without a remark has no remark key (a deleted key would turn the object into a slow dictionary).
  const extFields = {
    msgId: a?.msgId ?? '',
    queueId: String(queueId),
    queueOffset: String(a?.queueOffset ?? -1),
    MSG_REGION: ctl.config.regionId || 'DefaultRegion',
    TRACE_ON: String(ctl.config.traceOn),
  };
  if (remark === undefined) {
    return {
      code,
      language: 'JAVA',
      version: REMOTING_VERSION,
      opaque: req.opaque,
      flag: FLAG_RESPONSE,
      extFields,
      body: null,
      serializeType: req.serializeType,
    };
  }
  return fail(req, code, remark, extFields);
}
