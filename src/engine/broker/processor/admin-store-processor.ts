import {
  type ConsumeQueueData,
  encodeQueryConsumeQueueBody,
  type QueryConsumeQueueBody,
} from '../../protocol/bodies/query-consume-queue.js';
import { readInt64 } from '../../protocol/message/int64.js';
import {
  createResponse,
  extInt,
  extLongNum,
  extStr,
  type RemotingCommand,
} from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { tagsFilter } from '../longpolling/subscription-filter.js';
import { fail, ok } from './responses.js';

const CQ_UNIT = 20;

function unsupported(req: RemotingCommand, what: string): RemotingCommand {
  return fail(req, ResponseCode.SYSTEM_ERROR, `this broker's store does not support ${what}`);
}

/**
 * QUERY_CONSUME_QUEUE (321, `mqadmin queryCq`): `count` raw entries of a consume queue from `index`, the
 * queue's bounds and, with `consumerGroup`, the group's subscription and whether its tag filter passes
 * each entry (`eval`; Java sets it only for CQ-extension entries, which we do not write).
 */
export function queryConsumeQueue(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const store = ctl.store;
  if (!store.readConsumeQueue) return unsupported(req, 'QUERY_CONSUME_QUEUE');
  const topic = extStr(req, 'topic');
  const queueId = extInt(req, 'queueId');
  const index = extLongNum(req, 'index');
  const count = extInt(req, 'count');
  const group = extStr(req, 'consumerGroup', false);
  const max = store.getMaxOffsetInQueue(topic, queueId);
  const tc = ctl.topicConfigManager.select(topic);
  const known =
    max > 0 || (tc !== undefined && queueId >= 0 && queueId < Math.max(tc.readQueueNums, tc.writeQueueNums));
  if (!known) return fail(req, ResponseCode.SYSTEM_ERROR, `${queueId}@${topic} is not exist!`);
  const body: QueryConsumeQueueBody = {
    maxQueueIndex: max,
    minQueueIndex: store.getMinOffsetInQueue(topic, queueId),
  };
  let passes: ((tagsCode: number) => boolean) | undefined;
  if (group !== undefined) {
    const sub = ctl.consumerManager.findSubscription(group, topic);
    body.subscriptionData = sub;
    if (!sub) {
      body.filterData = `${group}@${topic} is not online!`;
    } else {
      // Java prints its ConsumerFilterData, which only SQL92 subscriptions have ("null" otherwise).
      body.filterData =
        sub.expressionType === 'SQL92'
          ? JSON.stringify(
              { consumerGroup: group, expression: sub.subString, expressionType: sub.expressionType, topic },
              null,
              '\t',
            )
          : 'null';
      const f = tagsFilter(sub);
      passes = f ?? (() => true);
    }
  }
  const raw = index >= 0 ? store.readConsumeQueue(topic, queueId, index, Math.max(1, count)) : null;
  if (!raw) {
    // Java answers SUCCESS without a body, the reason in the remark.
    return createResponse(req, ResponseCode.SUCCESS, `Index ${index} of ${queueId}@${topic} is not exist!`);
  }
  const queueData: ConsumeQueueData[] = [];
  // count ≤ 0 gives an empty list, as Java's loop does.
  for (let p = 0; p + CQ_UNIT <= raw.length && queueData.length < count; p += CQ_UNIT) {
    const tagsCode = readInt64(raw, p + 12);
    queueData.push({
      physicOffset: readInt64(raw, p),
      physicSize: raw.readInt32BE(p + 8),
      tagsCode,
      eval: passes ? passes(tagsCode) : false,
    });
  }
  body.queueData = queueData;
  return ok(req, undefined, encodeQueryConsumeQueueBody(body));
}

/** CLEAN_UNUSED_TOPIC (316): consume queues of topics the broker no longer configures are dropped. */
export function cleanUnusedTopic(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  if (!ctl.store.cleanUnusedTopic) return unsupported(req, 'CLEAN_UNUSED_TOPIC');
  const dropped = ctl.store.cleanUnusedTopic((t) => ctl.topicConfigManager.select(t) !== undefined);
  ctl.log.warn({ topics: dropped }, 'cleanUnusedTopic: consume queues of unconfigured topics removed');
  return ok(req);
}

/** CLEAN_EXPIRED_CONSUMEQUEUE (306): consume queues whose messages have all left the commit log go. */
export async function cleanExpiredConsumeQueue(
  ctl: BrokerController,
  req: RemotingCommand,
): Promise<RemotingCommand> {
  if (!ctl.store.cleanExpiredConsumerQueue) return unsupported(req, 'CLEAN_EXPIRED_CONSUMEQUEUE');
  const gone = await ctl.store.cleanExpiredConsumerQueue();
  ctl.log.warn({ queues: gone }, 'cleanExpiredConsumeQueue: expired consume queues removed');
  return ok(req);
}

/** DELETE_EXPIRED_COMMITLOG (329): a retention pass now; only expired commit-log files are deleted. */
export async function deleteExpiredCommitLog(
  ctl: BrokerController,
  req: RemotingCommand,
): Promise<RemotingCommand> {
  if (!ctl.store.deleteExpiredCommitLogNow) return unsupported(req, 'DELETE_EXPIRED_COMMITLOG');
  const n = await ctl.store.deleteExpiredCommitLogNow();
  ctl.log.warn({ files: n }, 'deleteExpiredCommitLog: expired commit-log files deleted');
  return ok(req);
}
