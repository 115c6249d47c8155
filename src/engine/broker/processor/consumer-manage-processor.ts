import { decodeLockBatchRequest, encodeLockBatchResponse } from '../../protocol/bodies/lock-batch.js';
import { encodeConsumerIdList } from '../../protocol/bodies/string-lists.js';
import { extInt, extLongNum, extStr, type RemotingCommand } from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { Channel } from '../../remoting/index.js';
import type { BrokerController } from '../broker-controller.js';
import { fail, ok } from './responses.js';

/** GET_CONSUMER_LIST_BY_GROUP (38). */
export function getConsumerListByGroup(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const group = extStr(req, 'consumerGroup');
  const g = ctl.consumerManager.get(group);
  const ids = g?.allClientIds() ?? [];
  if (ids.length === 0) return fail(req, ResponseCode.SYSTEM_ERROR, `no consumer for this group, ${group}`);
  return ok(req, undefined, encodeConsumerIdList(ids));
}

/** QUERY_CONSUMER_OFFSET (14), protocol.md §2.1: committed offset, else 0 for a fresh queue, else 22. */
export function queryConsumerOffset(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const group = extStr(req, 'consumerGroup');
  const topic = extStr(req, 'topic');
  const queueId = extInt(req, 'queueId');
  const offset = ctl.consumerOffsetManager.queryOffset(group, topic, queueId);
  if (offset >= 0) return ok(req, { offset });
  const min = ctl.store.getMinOffsetInQueue(topic, queueId);
  if (min <= 0) return ok(req, { offset: 0 });
  return fail(
    req,
    ResponseCode.QUERY_NOT_FOUND,
    'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first',
  );
}

/** UPDATE_CONSUMER_OFFSET (15), usually oneway. */
export function updateConsumerOffset(
  ctl: BrokerController,
  req: RemotingCommand,
  ch: Channel,
): RemotingCommand {
  ctl.consumerOffsetManager.commitOffset(
    ch.remoteAddress,
    extStr(req, 'consumerGroup'),
    extStr(req, 'topic'),
    extInt(req, 'queueId'),
    extLongNum(req, 'commitOffset'),
  );
  return ok(req);
}

/** LOCK_BATCH_MQ (41): 60 s leases for orderly consumers. */
export function lockBatchMQ(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const body = decodeLockBatchRequest(req.body ?? Buffer.alloc(0));
  const locked = ctl.rebalanceLockManager.tryLockBatch(body.consumerGroup, body.mqSet, body.clientId);
  return ok(req, undefined, encodeLockBatchResponse(locked));
}

/** UNLOCK_BATCH_MQ (42). */
export function unlockBatchMQ(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const body = decodeLockBatchRequest(req.body ?? Buffer.alloc(0));
  ctl.rebalanceLockManager.unlockBatch(body.consumerGroup, body.mqSet, body.clientId);
  return ok(req);
}
