import {
  type ConsumeStats,
  encodeConsumeStats,
  encodeResetOffsetBody,
  encodeTopicStatsTable,
} from '../../protocol/bodies/consume-stats.js';
import { type ConsumeStatsList, encodeConsumeStatsList } from '../../protocol/bodies/consume-stats-list.js';
import type { MessageQueueData } from '../../protocol/bodies/message-queue-key.js';
import { encodeConsumerOffsetTable, encodeDelayOffsetTable } from '../../protocol/bodies/offset-tables.js';
import {
  createRequest,
  extBool,
  extInt,
  extLongNum,
  extStr,
  markOneway,
  type RemotingCommand,
} from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { fail, ok } from './responses.js';

/** SEARCH_OFFSET_BY_TIMESTAMP (29). */
export function searchOffsetByTimestamp(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const offset = ctl.store.getOffsetInQueueByTime(
    extStr(req, 'topic'),
    extInt(req, 'queueId'),
    extLongNum(req, 'timestamp'),
  );
  return ok(req, { offset });
}

/** GET_MAX_OFFSET (30): the next logical offset. */
export function getMaxOffset(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return ok(req, { offset: ctl.store.getMaxOffsetInQueue(extStr(req, 'topic'), extInt(req, 'queueId')) });
}

/** GET_MIN_OFFSET (31). */
export function getMinOffset(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return ok(req, { offset: ctl.store.getMinOffsetInQueue(extStr(req, 'topic'), extInt(req, 'queueId')) });
}

/** GET_EARLIEST_MSG_STORETIME (32). */
export function getEarliestMsgStoretime(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return ok(req, {
    timestamp: ctl.store.getEarliestMessageTime(extStr(req, 'topic'), extInt(req, 'queueId')),
  });
}

/** GET_ALL_CONSUMER_OFFSET (43): consumerOffset.json's content (slave sync). */
export function getAllConsumerOffset(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return ok(req, undefined, encodeConsumerOffsetTable(ctl.consumerOffsetManager.table));
}

/** GET_ALL_DELAY_OFFSET (45): delayOffset.json's content (slave sync). */
export function getAllDelayOffset(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return ok(req, undefined, encodeDelayOffsetTable(ctl.schedule.offsetTable));
}

/** GET_CONSUME_STATS (208), protocol.md §7.6. */
export function getConsumeStats(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const group = extStr(req, 'consumerGroup');
  const only = extStr(req, 'topic', false);
  const topics = only ? new Set([only]) : ctl.consumerOffsetManager.whichTopicByConsumer(group);
  const table: ConsumeStats['offsetTable'] = [];
  let tps = 0;
  for (const topic of topics) {
    const s = topicConsumeStats(ctl, group, topic, 'read', false);
    if (!s) continue;
    table.push(...s.offsetTable);
    tps += s.consumeTps;
  }
  return ok(req, undefined, encodeConsumeStats({ consumeTps: tps, offsetTable: table }));
}

/**
 * GET_BROKER_CONSUME_STATS (317, `mqadmin brokerConsumeStats`): every subscription group's stats per topic it
 * has offsets on; with isOrder only order topics. Java counts a topic's write queues here (read queues in 208).
 */
export function getBrokerConsumeStats(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const isOrder = extBool(req, 'isOrder', false) ?? false;
  const list: ConsumeStatsList['consumeStatsList'] = [];
  let totalDiff = 0;
  for (const group of ctl.subscriptionGroupManager.table.keys()) {
    const stats: ConsumeStats[] = [];
    for (const topic of ctl.consumerOffsetManager.whichTopicByConsumer(group)) {
      const s = topicConsumeStats(ctl, group, topic, 'write', isOrder);
      if (!s) continue;
      for (const [, w] of s.offsetTable) totalDiff += w.brokerOffset - w.consumerOffset;
      stats.push(s);
    }
    list.push([group, stats]);
  }
  return ok(
    req,
    undefined,
    encodeConsumeStatsList({ brokerAddr: ctl.brokerAddr, totalDiff, consumeStatsList: list }),
  );
}

/** One topic's offsets for a group; undefined when the topic is gone, filtered out, or not subscribed. */
function topicConsumeStats(
  ctl: BrokerController,
  group: string,
  topic: string,
  queues: 'read' | 'write',
  onlyOrder: boolean,
): ConsumeStats | undefined {
  const tc = ctl.topicConfigManager.select(topic);
  if (!tc || (onlyOrder && !tc.order)) return undefined;
  const g = ctl.consumerManager.get(group);
  if (g && g.subscriptions.size > 0 && !g.subscriptions.has(topic)) return undefined;
  const offsetTable: ConsumeStats['offsetTable'] = [];
  const n = queues === 'read' ? tc.readQueueNums : tc.writeQueueNums;
  for (let q = 0; q < n; q++) {
    const brokerOffset = Math.max(0, ctl.store.getMaxOffsetInQueue(topic, q));
    const consumerOffset = Math.max(0, ctl.consumerOffsetManager.queryOffset(group, topic, q));
    const lastTimestamp =
      consumerOffset > 0 ? Math.max(0, ctl.store.getMessageStoreTimeStamp(topic, q, consumerOffset - 1)) : 0;
    offsetTable.push([
      { topic, brokerName: ctl.config.brokerName, queueId: q },
      { brokerOffset, consumerOffset, lastTimestamp },
    ]);
  }
  return { consumeTps: ctl.stats.groupGetTps(topic, group), offsetTable };
}

/** GET_TOPIC_STATS_INFO (202). */
export function getTopicStatsInfo(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const topic = extStr(req, 'topic');
  const tc = ctl.topicConfigManager.select(topic);
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
  const table: Array<
    [MessageQueueData, { minOffset: number; maxOffset: number; lastUpdateTimestamp: number }]
  > = [];
  for (let q = 0; q < tc.writeQueueNums; q++) {
    const minOffset = Math.max(0, ctl.store.getMinOffsetInQueue(topic, q));
    const maxOffset = Math.max(0, ctl.store.getMaxOffsetInQueue(topic, q));
    const lastUpdateTimestamp =
      maxOffset > 0 ? Math.max(0, ctl.store.getMessageStoreTimeStamp(topic, q, maxOffset - 1)) : 0;
    table.push([
      { topic, brokerName: ctl.config.brokerName, queueId: q },
      { minOffset, maxOffset, lastUpdateTimestamp },
    ]);
  }
  return ok(req, undefined, encodeTopicStatsTable({ offsetTable: table }));
}

/** MQVersion V3_0_7_SNAPSHOT: the first client version that understands RESET_CONSUMER_CLIENT_OFFSET. */
const V3_0_7_SNAPSHOT = 28;

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222), Broker2Client.resetOffset: computes the new offset of every queue
 * (timestamp −1 = the max offset; without isForce only moves backwards), commits it here and pushes
 * RESET_CONSUMER_CLIENT_OFFSET (220) to every online member of the group.
 */
export function invokeBrokerToResetOffset(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const topic = extStr(req, 'topic');
  const group = extStr(req, 'group');
  const timestamp = extLongNum(req, 'timestamp');
  const isForce = extBool(req, 'isForce');
  const tc = ctl.topicConfigManager.select(topic);
  if (!tc) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `[reset-offset] reset offset failed, no topic in this broker. topic=${topic}`,
    );
  }
  const offsets: Array<[MessageQueueData, number]> = [];
  for (let q = 0; q < tc.writeQueueNums; q++) {
    const consumerOffset = ctl.consumerOffsetManager.queryOffset(group, topic, q);
    if (consumerOffset === -1) {
      return fail(req, ResponseCode.SYSTEM_ERROR, `THe consumer group <${group}> not exist`);
    }
    let target =
      timestamp === -1
        ? ctl.store.getMaxOffsetInQueue(topic, q)
        : ctl.store.getOffsetInQueueByTime(topic, q, timestamp);
    if (target < 0) target = 0;
    offsets.push([
      { topic, brokerName: ctl.config.brokerName, queueId: q },
      isForce || target < consumerOffset ? target : consumerOffset,
    ]);
  }
  const g = ctl.consumerManager.get(group);
  if (!g || g.channels.size === 0) {
    return fail(
      req,
      ResponseCode.CONSUMER_NOT_ONLINE,
      `Consumer not online, so can not reset offset, Group: ${group} Topic: ${topic} Timestamp: ${timestamp}`,
    );
  }
  for (const [mq, off] of offsets)
    ctl.consumerOffsetManager.commitOffset('reset', group, topic, mq.queueId, off);
  const body = encodeResetOffsetBody({ offsetTable: offsets });
  for (const info of g.channels.values()) {
    if (info.version < V3_0_7_SNAPSHOT) continue;
    const push = createRequest(
      RequestCode.RESET_CONSUMER_CLIENT_OFFSET,
      { topic, group, timestamp, isForce },
      body,
    );
    info.channel.invokeOneway(markOneway(push));
  }
  return ok(req, undefined, body);
}

/** CLONE_GROUP_OFFSET (314): copies srcGroup's committed offsets to destGroup (one topic or all of them). */
export function cloneGroupOffset(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const src = extStr(req, 'srcGroup');
  const dest = extStr(req, 'destGroup');
  const only = extStr(req, 'topic', false);
  const offline = extBool(req, 'offline', false) ?? false;
  const topics = only ? new Set([only]) : ctl.consumerOffsetManager.whichTopicByConsumer(src);
  const online = ctl.consumerManager.get(src);
  for (const topic of topics) {
    if (!ctl.topicConfigManager.select(topic)) continue;
    if (!offline && online && online.subscriptions.size > 0 && !online.subscriptions.has(topic)) continue;
    const queues = ctl.consumerOffsetManager.queryQueues(src, topic);
    if (!queues) continue;
    for (const [q, off] of queues) ctl.consumerOffsetManager.commitOffset('clone', dest, topic, q, off);
  }
  return ok(req);
}
