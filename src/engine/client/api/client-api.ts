import type { HeartbeatData, SubscriptionData } from '../../protocol/bodies/heartbeat-data.js';
import { encodeCheckClientRequestBody, encodeHeartbeatData } from '../../protocol/bodies/heartbeat-data.js';
import { decodeLockBatchResponse, encodeLockBatchRequest } from '../../protocol/bodies/lock-batch.js';
import { decodeConsumerIdList } from '../../protocol/bodies/string-lists.js';
import { type TopicConfig, topicConfigFromObject } from '../../protocol/bodies/topic-config.js';
import type { TopicRouteData } from '../../protocol/bodies/topic-route-data.js';
import { parseFastjson } from '../../protocol/fastjson.js';
import {
  buildExtraInfo,
  PopResponseCode,
  PROPERTY_POP_CK,
  parseExtraInfo,
  parseQueueInfo,
  topicKind,
} from '../../protocol/pop-extra-info.js';
import {
  createRequest,
  extLongNum,
  markOneway,
  type RemotingCommand,
} from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';
import {
  type AckMessageRequestHeader,
  type BatchAck,
  buildAckMessageRequest,
  buildBatchAckRequest,
} from '../../protocol/requests/ack-message.js';
import {
  buildChangeInvisibleTimeRequest,
  type ChangeInvisibleTimeRequestHeader,
  decodeChangeInvisibleTimeResponse,
} from '../../protocol/requests/change-invisible-time.js';
import {
  buildConsumerSendMsgBackRequest,
  type ConsumerSendMsgBackHeader,
} from '../../protocol/requests/consumer-send-msg-back.js';
import {
  buildGetRouteInfoRequest,
  parseGetRouteInfoResponse,
} from '../../protocol/requests/get-route-info.js';
import {
  buildNotificationRequest,
  decodeNotificationResponse,
  type NotificationRequestHeader,
} from '../../protocol/requests/notification.js';
import {
  buildPeekMessageRequest,
  buildPopMessageRequest,
  decodePopMessageResponseHeader,
  type PeekMessageRequestHeader,
  type PopMessageRequestHeader,
  type PopMessageResponseHeader,
} from '../../protocol/requests/pop-message.js';
import {
  buildPullMessageRequest,
  type PullMessageRequestHeader,
} from '../../protocol/requests/pull-message.js';
import {
  buildSendMessageRequest,
  type SendMessageRequestHeader,
} from '../../protocol/requests/send-message.js';
import { ResponseCode } from '../../protocol/response-code.js';
import { expectCode, ResponseError } from '../../protocol/response-error.js';
import type { RemotingClient } from '../../remoting/index.js';
import { decodeMessages, type MessageExt } from '../message.js';
import type { MessageQueue } from '../message-queue.js';
import { notePulledBytes } from '../pull-garbage.js';

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

/** What a send returns (SendResult.java). */
export interface SendResult {
  sendStatus: SendStatus;
  /** The message's UNIQ_KEY (comma-joined for a batch). */
  msgId: string;
  /** Broker-computed offset msgId (store host + commit-log offset). */
  offsetMsgId: string;
  messageQueue: MessageQueue;
  queueOffset: number;
  transactionId?: string;
  regionId?: string;
}

const SEND_STATUS: Record<number, SendStatus> = {
  [ResponseCode.SUCCESS]: 'SEND_OK',
  [ResponseCode.FLUSH_DISK_TIMEOUT]: 'FLUSH_DISK_TIMEOUT',
  [ResponseCode.FLUSH_SLAVE_TIMEOUT]: 'FLUSH_SLAVE_TIMEOUT',
  [ResponseCode.SLAVE_NOT_AVAILABLE]: 'SLAVE_NOT_AVAILABLE',
};

export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

export interface RawPullResult {
  status: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  suggestWhichBrokerId: number;
  body: Buffer | null;
}

/** PopStatus of 5.x: NO_NEW_MSG is never sent by a 5.x broker (POLLING_NOT_FOUND is). */
export type PopStatus = 'FOUND' | 'NO_NEW_MSG' | 'POLLING_FULL' | 'POLLING_NOT_FOUND';

/** What a pop or peek returns (PopResult.java plus the response header). */
export interface PopResult extends PopMessageResponseHeader {
  status: PopStatus;
  /** Each carries its receipt in `properties.POP_CK` (pops only; see popReceipt). */
  msgs: MessageExt[];
}

/** A message's receipt (POP_CK), to ack it or change its invisible time. */
export function popReceipt(m: MessageExt): string {
  const ck = m.properties[PROPERTY_POP_CK];
  if (!ck) throw new Error(`message ${m.msgId} has no POP_CK receipt: it was not popped`);
  return ck;
}

/** The new lease after CHANGE_MESSAGE_INVISIBLETIME; `extraInfo` is the message's new receipt. */
export interface ChangeInvisibleTimeResult {
  extraInfo: string;
  popTime: number;
  invisibleTime: number;
  reviveQid: number;
}

/**
 * Every request the client sends (MQClientAPIImpl): builds the header, sends it and turns the reply into a
 * value or a ResponseError naming the request and the broker's remark.
 */
export class MQClientAPI {
  constructor(readonly remoting: RemotingClient) {}

  /** Route of `topic` from the first name server that answers; undefined when it does not exist. */
  async getTopicRoute(
    namesrvAddrs: readonly string[],
    topic: string,
    timeoutMs: number,
  ): Promise<TopicRouteData | undefined> {
    if (namesrvAddrs.length === 0)
      throw new Error('no name server address set (use -n host:port or NAMESRV_ADDR)');
    let lastErr: unknown;
    for (const addr of namesrvAddrs) {
      try {
        const resp = await this.remoting.invoke(addr, buildGetRouteInfoRequest(topic, true), timeoutMs);
        return parseGetRouteInfoResponse(resp);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        lastErr = err;
      }
    }
    const why = lastErr instanceof Error ? lastErr.message : String(lastErr);
    throw new Error(`cannot reach the name server ${namesrvAddrs.join(';')}: ${why}`);
  }

  async sendMessage(
    addr: string,
    brokerName: string,
    header: SendMessageRequestHeader,
    body: Buffer,
    timeoutMs: number,
    mode: 'sync' | 'oneway' = 'sync',
    v1 = false,
  ): Promise<SendResult | undefined> {
    const req = buildSendMessageRequest(header, body, v1);
    if (mode === 'oneway') {
      await this.remoting.invokeOneway(addr, markOneway(req));
      return undefined;
    }
    const resp = await this.remoting.invoke(addr, req, timeoutMs);
    const status = SEND_STATUS[resp.code];
    if (!status) throw new ResponseError(resp.code, resp.remark, `send to ${brokerName} (${addr})`);
    const ext = resp.extFields ?? {};
    return {
      sendStatus: status,
      msgId: '',
      offsetMsgId: ext.msgId ?? '',
      messageQueue: { topic: header.topic, brokerName, queueId: Number(ext.queueId ?? header.queueId) },
      queueOffset: Number(ext.queueOffset ?? -1),
      transactionId: ext.transactionId,
      regionId: ext.MSG_REGION,
    };
  }

  async pullMessage(addr: string, h: PullMessageRequestHeader, timeoutMs: number): Promise<RawPullResult> {
    const req = buildPullMessageRequest(h);
    const resp = await this.remoting.invoke(addr, req, timeoutMs);
    let status: PullStatus;
    switch (resp.code) {
      case ResponseCode.SUCCESS:
        status = 'FOUND';
        break;
      case ResponseCode.PULL_NOT_FOUND:
        status = 'NO_NEW_MSG';
        break;
      case ResponseCode.PULL_RETRY_IMMEDIATELY:
        status = 'NO_MATCHED_MSG';
        break;
      case ResponseCode.PULL_OFFSET_MOVED:
        status = 'OFFSET_ILLEGAL';
        break;
      default:
        throw new ResponseError(resp.code, resp.remark, `pull ${h.topic}:${h.queueId} from ${addr}`);
    }
    if (resp.body) notePulledBytes(resp.body.length);
    return {
      status,
      nextBeginOffset: extLongNum(resp, 'nextBeginOffset'),
      minOffset: extLongNum(resp, 'minOffset'),
      maxOffset: extLongNum(resp, 'maxOffset'),
      suggestWhichBrokerId: extLongNum(resp, 'suggestWhichBrokerId', false) ?? 0,
      body: resp.body ?? null,
    };
  }

  /** Committed offset, or -1 when the broker has none for this group and queue (QUERY_NOT_FOUND). */
  async queryConsumerOffset(
    addr: string,
    group: string,
    mq: MessageQueue,
    timeoutMs: number,
  ): Promise<number> {
    const req = createRequest(RequestCode.QUERY_CONSUMER_OFFSET, {
      consumerGroup: group,
      topic: mq.topic,
      queueId: mq.queueId,
      bname: mq.brokerName,
    });
    const resp = await this.remoting.invoke(addr, req, timeoutMs);
    if (resp.code === ResponseCode.QUERY_NOT_FOUND) return -1;
    expectCode(resp, `query consumer offset of ${group} on ${mq.topic}:${mq.queueId}`);
    return extLongNum(resp, 'offset');
  }

  async updateConsumerOffset(
    addr: string,
    group: string,
    mq: MessageQueue,
    offset: number,
    oneway: boolean,
    timeoutMs = 5000,
  ): Promise<void> {
    const req = createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: group,
      topic: mq.topic,
      queueId: mq.queueId,
      commitOffset: offset,
      bname: mq.brokerName,
    });
    if (oneway) return this.remoting.invokeOneway(addr, markOneway(req));
    expectCode(await this.remoting.invoke(addr, req, timeoutMs), `update consumer offset of ${group}`);
  }

  private async offsetCall(
    code: number,
    addr: string,
    ext: Record<string, string | number>,
    what: string,
    timeoutMs: number,
  ): Promise<number> {
    const resp = await this.remoting.invoke(addr, createRequest(code, ext), timeoutMs);
    expectCode(resp, what);
    return extLongNum(resp, code === RequestCode.GET_EARLIEST_MSG_STORETIME ? 'timestamp' : 'offset');
  }

  getMaxOffset(addr: string, mq: MessageQueue, timeoutMs: number): Promise<number> {
    return this.offsetCall(
      RequestCode.GET_MAX_OFFSET,
      addr,
      { topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName },
      `get max offset of ${mq.topic}:${mq.queueId}`,
      timeoutMs,
    );
  }

  getMinOffset(addr: string, mq: MessageQueue, timeoutMs: number): Promise<number> {
    return this.offsetCall(
      RequestCode.GET_MIN_OFFSET,
      addr,
      { topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName },
      `get min offset of ${mq.topic}:${mq.queueId}`,
      timeoutMs,
    );
  }

  searchOffset(addr: string, mq: MessageQueue, timestamp: number, timeoutMs: number): Promise<number> {
    return this.offsetCall(
      RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
      addr,
      { topic: mq.topic, queueId: mq.queueId, timestamp, bname: mq.brokerName },
      `search offset of ${mq.topic}:${mq.queueId}`,
      timeoutMs,
    );
  }

  getEarliestMsgStoreTime(addr: string, mq: MessageQueue, timeoutMs: number): Promise<number> {
    return this.offsetCall(
      RequestCode.GET_EARLIEST_MSG_STORETIME,
      addr,
      { topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName },
      `earliest store time of ${mq.topic}:${mq.queueId}`,
      timeoutMs,
    );
  }

  /** Returns the broker's remoting version (Java keeps it to gate features). */
  async heartbeat(addr: string, data: HeartbeatData, timeoutMs: number): Promise<number> {
    const resp = await this.remoting.invoke(
      addr,
      createRequest(RequestCode.HEART_BEAT, undefined, encodeHeartbeatData(data)),
      timeoutMs,
    );
    expectCode(resp, `heartbeat to ${addr}`);
    return resp.version;
  }

  /** CHECK_CLIENT_CONFIG: throws ResponseError with the broker's reason when it can't serve `sub`. */
  async checkClientConfig(
    addr: string,
    clientId: string,
    group: string,
    sub: SubscriptionData,
    timeoutMs: number,
  ): Promise<void> {
    const body = encodeCheckClientRequestBody(clientId, group, sub);
    const resp = await this.remoting.invoke(
      addr,
      createRequest(RequestCode.CHECK_CLIENT_CONFIG, undefined, body),
      timeoutMs,
    );
    expectCode(resp, `check subscription ${sub.expressionType} '${sub.subString}' on ${addr}`);
  }

  async unregisterClient(
    addr: string,
    clientId: string,
    producerGroup: string | undefined,
    consumerGroup: string | undefined,
    timeoutMs: number,
  ): Promise<void> {
    const req = createRequest(RequestCode.UNREGISTER_CLIENT, {
      clientID: clientId,
      producerGroup,
      consumerGroup,
    });
    expectCode(await this.remoting.invoke(addr, req, timeoutMs), `unregister client from ${addr}`);
  }

  async getConsumerIdList(addr: string, group: string, timeoutMs: number): Promise<string[]> {
    const resp = await this.remoting.invoke(
      addr,
      createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: group }),
      timeoutMs,
    );
    expectCode(resp, `get consumer list of ${group}`);
    return resp.body ? decodeConsumerIdList(resp.body) : [];
  }

  async consumerSendMessageBack(
    addr: string,
    h: ConsumerSendMsgBackHeader,
    timeoutMs: number,
  ): Promise<void> {
    const req = buildConsumerSendMsgBackRequest(h);
    expectCode(await this.remoting.invoke(addr, req, timeoutMs), `send message back to ${addr}`);
  }

  async lockBatchMQ(
    addr: string,
    group: string,
    clientId: string,
    mqs: readonly MessageQueue[],
    timeoutMs: number,
  ): Promise<MessageQueue[]> {
    const body = encodeLockBatchRequest({ consumerGroup: group, clientId, mqSet: [...mqs] });
    const resp = await this.remoting.invoke(
      addr,
      createRequest(RequestCode.LOCK_BATCH_MQ, undefined, body),
      timeoutMs,
    );
    expectCode(resp, `lock queues on ${addr}`);
    return resp.body ? decodeLockBatchResponse(resp.body) : [];
  }

  async unlockBatchMQ(
    addr: string,
    group: string,
    clientId: string,
    mqs: readonly MessageQueue[],
    timeoutMs: number,
    oneway: boolean,
  ): Promise<void> {
    const body = encodeLockBatchRequest({ consumerGroup: group, clientId, mqSet: [...mqs] });
    const req = createRequest(RequestCode.UNLOCK_BATCH_MQ, undefined, body);
    if (oneway) return this.remoting.invokeOneway(addr, markOneway(req));
    expectCode(await this.remoting.invoke(addr, req, timeoutMs), `unlock queues on ${addr}`);
  }

  /**
   * POP_MESSAGE (5.x): leases up to maxMsgNums messages of `h.topic` (and the group's pop retry topic) for
   * `h.invisibleTime` ms, long-polling up to `h.pollTime` ms. Every message comes back with its POP_CK receipt
   * (filled in from startOffsetInfo when a broker left it out, as MQClientAPIImpl does) and, for orderly
   * pops, reconsumeTimes from orderCountInfo. Set `h.brokerName`: receipts and messages name it. Throws
   * ResponseError for any other answer than a pop status.
   */
  async popMessage(addr: string, h: PopMessageRequestHeader, timeoutMs: number): Promise<PopResult> {
    const resp = await this.remoting.invoke(addr, buildPopMessageRequest(h), timeoutMs);
    return this.popResult(
      resp,
      h.brokerName ?? '',
      h,
      `pop ${h.topic}:${h.queueId} for ${h.consumerGroup} from ${addr}`,
    );
  }

  /** PEEK_MESSAGE: reads messages at the group's pop offset without leasing them (no receipts). */
  async peekMessage(addr: string, h: PeekMessageRequestHeader, timeoutMs: number): Promise<PopResult> {
    const resp = await this.remoting.invoke(addr, buildPeekMessageRequest(h), timeoutMs);
    return this.popResult(resp, h.brokerName ?? '', undefined, `peek ${h.topic}:${h.queueId} from ${addr}`);
  }

  private popResult(
    resp: RemotingCommand,
    brokerName: string,
    h: PopMessageRequestHeader | undefined,
    what: string,
  ): PopResult {
    let status: PopStatus;
    switch (resp.code) {
      case ResponseCode.SUCCESS:
        status = 'FOUND';
        break;
      case PopResponseCode.POLLING_FULL:
        status = 'POLLING_FULL';
        break;
      case PopResponseCode.POLLING_TIMEOUT:
      case ResponseCode.PULL_NOT_FOUND:
        status = 'POLLING_NOT_FOUND';
        break;
      default:
        throw new ResponseError(resp.code, resp.remark, what);
    }
    const header = decodePopMessageResponseHeader(resp);
    const msgs = status === 'FOUND' && resp.body ? decodeMessages(resp.body, brokerName) : [];
    if (h) {
      const starts = parseQueueInfo(header.startOffsetInfo);
      const counts = parseQueueInfo(header.orderCountInfo);
      for (const m of msgs) {
        const kind = topicKind(m.topic);
        if (!m.properties[PROPERTY_POP_CK]) {
          m.properties[PROPERTY_POP_CK] = buildExtraInfo({
            ckQueueOffset: starts.get(`${kind}@${m.queueId}`) ?? m.queueOffset,
            popTime: header.popTime,
            invisibleTime: header.invisibleTime,
            reviveQid: header.reviveQid,
            topic: m.topic,
            brokerName,
            queueId: m.queueId,
            queueOffset: m.queueOffset,
          });
        }
        if (h.order) {
          const ck = parseExtraInfo(m.properties[PROPERTY_POP_CK]!);
          const n =
            counts.get(`${ck.topicKind}@qo${m.queueId}%${m.queueOffset}`) ??
            counts.get(`${ck.topicKind}@${m.queueId}`);
          if (n !== undefined) m.reconsumeTimes = n;
        }
      }
    }
    return { status, msgs, ...header };
  }

  /** ACK_MESSAGE: the message of receipt `h.extraInfo` (at queue offset `h.offset`) is consumed. */
  async ackMessage(addr: string, h: AckMessageRequestHeader, timeoutMs: number): Promise<void> {
    const resp = await this.remoting.invoke(addr, buildAckMessageRequest(h), timeoutMs);
    expectCode(resp, `ack ${h.topic}:${h.queueId}@${h.offset} for ${h.consumerGroup} on ${addr}`);
  }

  /** BATCH_ACK_MESSAGE: several check points' acks in one request. */
  async batchAckMessage(
    addr: string,
    brokerName: string,
    acks: readonly BatchAck[],
    timeoutMs: number,
  ): Promise<void> {
    const resp = await this.remoting.invoke(addr, buildBatchAckRequest(brokerName, acks), timeoutMs);
    expectCode(resp, `batch ack of ${acks.length} check points on ${addr}`);
  }

  /**
   * CHANGE_MESSAGE_INVISIBLETIME: the message comes back `h.invisibleTime` ms from now instead; its old
   * receipt is spent and `extraInfo` of the result is the new one.
   */
  async changeInvisibleTime(
    addr: string,
    h: ChangeInvisibleTimeRequestHeader,
    timeoutMs: number,
  ): Promise<ChangeInvisibleTimeResult> {
    const old = parseExtraInfo(h.extraInfo);
    const resp = await this.remoting.invoke(addr, buildChangeInvisibleTimeRequest(h), timeoutMs);
    expectCode(resp, `change invisible time of ${h.topic}:${h.queueId}@${h.offset} on ${addr}`);
    const r = decodeChangeInvisibleTimeResponse(resp);
    const extraInfo = buildExtraInfo({
      ckQueueOffset: h.offset,
      popTime: r.popTime,
      invisibleTime: r.invisibleTime,
      reviveQid: r.reviveQid,
      topic: h.topic,
      topicKind: old.topicKind,
      brokerName: old.brokerName,
      queueId: h.queueId,
      queueOffset: h.offset,
    });
    return { extraInfo, ...r };
  }

  /** NOTIFICATION: whether the group has something to pop on the topic, long-polled up to `h.pollTime` ms. */
  async notification(
    addr: string,
    h: NotificationRequestHeader,
    timeoutMs: number,
  ): Promise<{ hasMsg: boolean; pollingFull: boolean }> {
    const resp = await this.remoting.invoke(addr, buildNotificationRequest(h), timeoutMs);
    expectCode(resp, `notification of ${h.topic} for ${h.consumerGroup} on ${addr}`);
    return decodeNotificationResponse(resp);
  }

  /**
   * GET_TOPIC_CONFIG (351, RocketMQ 5): one topic's config on a broker, `attributes` included (its
   * `message.type`: read it with topicMessageType() of protocol/topic-attributes). A topic the broker
   * does not have throws ResponseError with code TOPIC_NOT_EXIST; a 4.9 broker answers
   * REQUEST_CODE_NOT_SUPPORTED (treat its topics as NORMAL).
   */
  async getTopicConfig(addr: string, topic: string, timeoutMs: number): Promise<TopicConfig> {
    const resp = await this.remoting.invoke(
      addr,
      createRequest(RequestCode.GET_TOPIC_CONFIG, { topic }),
      timeoutMs,
    );
    expectCode(resp, `get topic config of ${topic} from ${addr}`);
    if (!resp.body) throw new Error(`get topic config of ${topic} from ${addr}: the reply has no body`);
    return topicConfigFromObject(parseFastjson(resp.body.toString('utf8')), 'TopicConfigAndQueueMapping');
  }

  /** Generic call for admin-style requests that only need a SUCCESS check. */
  async invokeOk(
    addr: string,
    req: RemotingCommand,
    timeoutMs: number,
    what: string,
  ): Promise<RemotingCommand> {
    return expectCode(await this.remoting.invoke(addr, req, timeoutMs), what);
  }
}
