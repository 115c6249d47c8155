import { encodeProperties, MessageConst, parseProperties } from '../../protocol/message/index.js';
import { type HostAddress, ipText } from '../../protocol/message/message-id.js';
import { createRequest, type RemotingCommand } from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';
import { toReplyMessageHeader } from '../../protocol/requests/reply-message.js';
import { decodeSendHeader } from '../../protocol/requests/send-message.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { Channel } from '../../remoting/index.js';
import type { MessageExtBrokerInner } from '../../store/types.js';
import type { BrokerController } from '../broker-controller.js';
import { isWriteable } from '../perm.js';
import { topicProblem } from '../topic/topic-validator.js';
import { fail, ok } from './responses.js';

/** How long the requester gets to take a pushed reply (Java Broker2Client.callClient). */
const PUSH_TIMEOUT_MS = 10_000;

/**
 * SEND_REPLY_MESSAGE (324) / _V2 (325), request-reply (Java `producer.request` + `MessageUtil.createReplyMessage`):
 * the reply is pushed straight to the requester named in REPLY_TO_CLIENT as PUSH_REPLY_MESSAGE_TO_CLIENT (326),
 * then stored in the reply topic when storeReplyMessageEnable. The reply's code is the push's outcome.
 */
export async function replyMessage(
  ctl: BrokerController,
  req: RemotingCommand,
  ch: Channel,
): Promise<RemotingCommand> {
  const h = decodeSendHeader(req);
  const cfg = ctl.config;
  if (!isWriteable(cfg.brokerPermission)) {
    return fail(req, ResponseCode.NO_PERMISSION, `the broker[${cfg.brokerIP1}] sending message is forbidden`);
  }
  const problem = topicProblem(h.topic);
  if (problem) return fail(req, ResponseCode.SYSTEM_ERROR, problem);
  const tc =
    ctl.topicConfigManager.select(h.topic) ??
    ctl.topicConfigManager.createInSendMessage(
      h.topic,
      h.defaultTopic,
      ch.remoteAddress,
      h.defaultTopicQueueNums,
      0,
    );
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist, apply first please!`);
  if (!isWriteable(tc.perm)) {
    return fail(req, ResponseCode.NO_PERMISSION, `the topic[${h.topic}] sending message is forbidden`);
  }
  if (h.queueId >= Math.max(tc.writeQueueNums, tc.readQueueNums)) {
    return fail(req, ResponseCode.SYSTEM_ERROR, `request queueId[${h.queueId}] is illegal, topic ${h.topic}`);
  }
  const queueId = h.queueId < 0 ? Math.floor(Math.random() * Math.max(1, tc.writeQueueNums)) : h.queueId;
  const body = req.body ?? Buffer.alloc(0);
  const props = parseProperties(h.properties);
  const bornHost = ctl.hostOf(ch.remoteAddress);

  let code: number = ResponseCode.SUCCESS;
  let remark: string | undefined;
  const senderId = props[MessageConst.MESSAGE_REPLY_TO_CLIENT];
  const target = senderId ? ctl.producerManager.findChannel(senderId) : undefined;
  if (!senderId) {
    code = ResponseCode.SYSTEM_ERROR;
    remark = `reply message properties[${MessageConst.MESSAGE_REPLY_TO_CLIENT}] is null`;
  } else if (!target) {
    code = ResponseCode.SYSTEM_ERROR;
    remark = `push reply message fail, channel of <${senderId}> not found.`;
  } else {
    const pushed = { ...props, [MessageConst.PUSH_REPLY_TIME]: String(Date.now()) };
    const push = createRequest(
      RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT,
      toReplyMessageHeader({
        send: h,
        properties: encodeProperties(pushed),
        bornHost: hostText(bornHost),
        storeHost: hostText(ctl.storeHost),
        storeTimestamp: Date.now(),
      }),
      body,
    );
    try {
      const r = await target.invoke(push, PUSH_TIMEOUT_MS);
      if (r.code !== ResponseCode.SUCCESS) {
        code = ResponseCode.SYSTEM_ERROR;
        remark = `push reply message to ${senderId}fail.`;
      }
    } catch {
      code = ResponseCode.SYSTEM_ERROR;
      remark = `push reply message to ${senderId}fail.`;
    }
  }

  // Java answers msgId "0" / offset 0 unless the stored copy supplies real ones.
  let ext: Record<string, string | number> = { msgId: '0', queueId, queueOffset: 0 };
  if (cfg.storeReplyMessageEnable) {
    const msg: MessageExtBrokerInner = {
      topic: h.topic,
      queueId,
      flag: h.flag,
      body,
      properties: props,
      sysFlag: h.sysFlag,
      bornTimestamp: h.bornTimestamp,
      bornHost,
      storeHost: ctl.storeHost,
      reconsumeTimes: h.reconsumeTimes ?? 0,
      preparedTransactionOffset: 0,
    };
    const put = await ctl.putMessage(msg);
    const stored =
      put.status === 'PUT_OK' || put.status.startsWith('FLUSH_') || put.status === 'SLAVE_NOT_AVAILABLE';
    if (stored && put.appendResult) {
      ext = { msgId: put.appendResult.msgId, queueId, queueOffset: put.appendResult.queueOffset };
    }
  }
  return code === ResponseCode.SUCCESS ? ok(req, ext) : fail(req, code, remark ?? '');
}

function hostText(h: HostAddress): string {
  return `${ipText(h.ip)}:${h.port}`;
}
