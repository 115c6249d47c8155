import {
  buildMsgOffsetInfo,
  buildQueueInfo,
  POP_ORDER_REVIVE_QUEUE,
  PopResponseCode,
  popRetryTopicV1,
} from '../../protocol/pop-extra-info.js';
import type { RemotingCommand } from '../../protocol/remoting-command.js';
import {
  decodePeekMessageHeader,
  decodePopMessageHeader,
  encodePopMessageResponseHeader,
  type PopMessageRequestHeader,
} from '../../protocol/requests/pop-message.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { Channel } from '../../remoting/index.js';
import type { BrokerController } from '../broker-controller.js';
import type { TagsCodeFilter } from '../broker-store.js';
import { buildSubscriptionData, tagsFilter } from '../longpolling/subscription-filter.js';
import { isReadable } from '../perm.js';
import { type HeldState, waitForArrival } from '../pop/pop-long-polling.js';
import type { PopArgs, PopOut } from '../pop/pop-service.js';
import { checkQueueAndGroup } from './pop-checks.js';
import { fail, ok } from './responses.js';

/** At most this many messages per pop (PopMessageProcessor). */
const MAX_POP_MSG_NUMS = 32;
/** Share of pops that read the pop retry topic first (BrokerConfig.popFromRetryProbability). */
const POP_FROM_RETRY_PROBABILITY = 0.2;

interface Filters {
  filter?: TagsCodeFilter;
  recordFilter?: (record: Buffer) => boolean;
}

/** The consumer's filter (expType / exp), or the error response naming what is wrong. */
export function popFilters(
  ctl: BrokerController,
  req: RemotingCommand,
  topic: string,
  expType: string | undefined,
  exp: string | undefined,
): Filters | RemotingCommand {
  let sub: ReturnType<typeof buildSubscriptionData>;
  try {
    sub = buildSubscriptionData(topic, exp, expType);
  } catch (e) {
    return fail(
      req,
      ResponseCode.SUBSCRIPTION_PARSE_FAILED,
      `parse the consumer's subscription failed: ${(e as Error).message}`,
    );
  }
  if (sub.expressionType === 'TAG') return { filter: tagsFilter(sub) };
  if (sub.expressionType !== 'SQL92' || !ctl.config.enablePropertyFilter) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `The broker does not support consumer to filter message by ${sub.expressionType}`,
    );
  }
  try {
    return { recordFilter: ctl.sql92Filters.recordFilter(sub.subString) };
  } catch (e) {
    return fail(
      req,
      ResponseCode.SUBSCRIPTION_PARSE_FAILED,
      `parse the consumer's subscription[${sub.subString}] failed: ${(e as Error).message}`,
    );
  }
}

/** The checks PopMessageProcessor makes before reading (broker, topic, queue, group, sizes). */
function checkPop(
  ctl: BrokerController,
  req: RemotingCommand,
  h: PopMessageRequestHeader,
): RemotingCommand | undefined {
  const cfg = ctl.config;
  if (!isReadable(cfg.brokerPermission))
    return fail(req, ResponseCode.NO_PERMISSION, `the broker[${cfg.brokerIP1}] pop message is forbidden`);
  if (h.maxMsgNums > MAX_POP_MSG_NUMS || h.maxMsgNums <= 0)
    return fail(
      req,
      PopResponseCode.INVALID_PARAMETER,
      `the broker[${cfg.brokerIP1}] pop message's num ${h.maxMsgNums} is not in 1..${MAX_POP_MSG_NUMS}`,
    );
  if (h.invisibleTime <= 0)
    return fail(req, PopResponseCode.INVALID_PARAMETER, `invisibleTime ${h.invisibleTime} must be > 0 ms`);
  const tc = ctl.topicConfigManager.select(h.topic);
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist, apply first please!`);
  if (!isReadable(tc.perm))
    return fail(req, ResponseCode.NO_PERMISSION, `the topic[${h.topic}] peeking message is forbidden`);
  const sg = checkQueueAndGroup(ctl, req, h, tc.readQueueNums);
  if ('code' in sg) return sg;
  if (!sg.consumeEnable)
    return fail(req, ResponseCode.NO_PERMISSION, `subscription group no permission, ${h.consumerGroup}`);
  return undefined;
}

/** Queues to read: the one asked for, or all readable ones starting at a random one. */
function queuesOf(readQueueNums: number, queueId: number): number[] {
  if (queueId >= 0) return [queueId];
  const start = Math.floor(Math.random() * readQueueNums);
  return Array.from({ length: readQueueNums }, (_, i) => (start + i) % readQueueNums);
}

/**
 * POP_MESSAGE (5.x PopMessageProcessor): leases messages of the topic's queues and of the group's pop retry
 * topic; with nothing there and a pollTime, holds the request until a message arrives or the time is up.
 * `deadline` is set when a held request is re-run; `final` then forces an answer.
 */
export async function processPop(
  ctl: BrokerController,
  req: RemotingCommand,
  ch: Channel,
  held?: HeldState,
): Promise<RemotingCommand | null> {
  const h = decodePopMessageHeader(req);
  const bad = checkPop(ctl, req, h);
  if (bad) return bad;
  const filters = popFilters(ctl, req, h.topic, h.expType, h.exp);
  if ('code' in filters) return filters;
  const tc = ctl.topicConfigManager.select(h.topic)!;
  const sg = ctl.subscriptionGroupManager.find(h.consumerGroup)!;
  const order = h.order === true || sg.consumeMessageOrderly === true;
  const pop = ctl.pop;
  const a: PopArgs = {
    group: h.consumerGroup,
    topic: h.topic,
    maxMsgNums: h.maxMsgNums,
    invisibleTime: h.invisibleTime,
    initMode: h.initMode,
    order,
    popTime: Date.now(),
    reviveQid: order ? POP_ORDER_REVIVE_QUEUE : pop.nextReviveQid(),
    ...filters,
  };
  const out: PopOut = { buffers: [], startOffsetInfo: [], msgOffsetInfo: [], orderCountInfo: [] };
  const retryTopic = popRetryTopicV1(h.topic, h.consumerGroup);
  const hasRetry = !order && ctl.topicConfigManager.select(retryTopic) !== undefined;
  const retryFilters = filters.recordFilter ? { ...a, recordFilter: undefined } : a;
  const retryFirst = hasRetry && Math.random() < POP_FROM_RETRY_PROBABILITY;
  let restNum = 0;
  if (retryFirst) restNum += await pop.popQueue(retryFilters, retryTopic, 0, out);
  for (const q of queuesOf(tc.readQueueNums, h.queueId)) {
    restNum += await pop.popQueue(a, h.topic, q, out);
  }
  if (!retryFirst && hasRetry && out.buffers.length < h.maxMsgNums)
    restNum += await pop.popQueue(retryFilters, retryTopic, 0, out);

  let code: number = ResponseCode.SUCCESS;
  if (out.buffers.length === 0) {
    const waited = waitForArrival(ctl.popPolling, {
      topics: [h.topic, retryTopic],
      queueId: h.queueId,
      pollTime: h.pollTime,
      held,
      closed: () => ch.closed,
      rerun: async (state) => {
        const resp = await processPop(ctl, req, ch, state);
        return resp && { send: () => ch.send(resp) };
      },
    });
    if (waited === null || waited === 'held') return null;
    code = waited === 'full' ? PopResponseCode.POLLING_FULL : PopResponseCode.POLLING_TIMEOUT;
  } else {
    ctl.stats.groupGet(
      h.topic,
      h.consumerGroup,
      out.buffers.length,
      Math.max(h.queueId, 0),
      out.buffers.reduce((n, b) => n + b.length, 0),
    );
  }
  const ext = encodePopMessageResponseHeader({
    popTime: a.popTime,
    invisibleTime: h.invisibleTime,
    reviveQid: a.reviveQid,
    restNum,
    startOffsetInfo: buildQueueInfo(out.startOffsetInfo),
    msgOffsetInfo: buildMsgOffsetInfo(out.msgOffsetInfo),
    orderCountInfo: order ? out.orderCountInfo.join(';') : undefined,
  });
  if (code !== ResponseCode.SUCCESS) return fail(req, code, 'NO_MESSAGE_IN_QUEUE', ext);
  return ok(req, ext, Buffer.concat(out.buffers));
}

/** PEEK_MESSAGE: the messages at the group's pop offset, not leased (PeekMessageProcessor). */
export async function processPeek(ctl: BrokerController, req: RemotingCommand): Promise<RemotingCommand> {
  const h = decodePeekMessageHeader(req);
  const tc = ctl.topicConfigManager.select(h.topic);
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist, apply first please!`);
  if (h.queueId >= tc.readQueueNums)
    return fail(
      req,
      PopResponseCode.INVALID_PARAMETER,
      `queueId[${h.queueId}] is illegal, topic:[${h.topic}] topicConfig.readQueueNums:[${tc.readQueueNums}]`,
    );
  if (h.maxMsgNums > MAX_POP_MSG_NUMS || h.maxMsgNums <= 0)
    return fail(
      req,
      PopResponseCode.INVALID_PARAMETER,
      `peek message's num ${h.maxMsgNums} is not in 1..${MAX_POP_MSG_NUMS}`,
    );
  const buffers: Buffer[] = [];
  let restNum = 0;
  for (const q of queuesOf(tc.readQueueNums, h.queueId)) {
    const want = h.maxMsgNums - buffers.length;
    if (want <= 0) break;
    const offset = ctl.pop.popOffset(h.consumerGroup, h.topic, q, 0, false);
    const r = await ctl.store.getMessage(h.topic, q, offset, want);
    for (const b of r.buffers) buffers.push(Buffer.from(b));
    restNum += Math.max(0, r.maxOffset - r.nextBeginOffset);
  }
  const ext = { popTime: Date.now(), invisibleTime: 0, reviveQid: 0, restNum };
  if (buffers.length === 0) return fail(req, PopResponseCode.POLLING_TIMEOUT, 'NO_MESSAGE_IN_QUEUE', ext);
  return ok(req, ext, Buffer.concat(buffers));
}
