import {
  encodeConsumerConnection,
  encodeProducerConnection,
} from '../../protocol/bodies/client-connection.js';
import type { SubscriptionData } from '../../protocol/bodies/heartbeat-data.js';
import { encodeGroupList } from '../../protocol/bodies/string-lists.js';
import {
  decodeSubscriptionGroupConfig,
  encodeSubscriptionGroupWrapper,
} from '../../protocol/bodies/subscription-group-config.js';
import { extBool, extStr, type RemotingCommand } from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { fail, ok } from './responses.js';

/** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200): body SubscriptionGroupConfig. */
export function updateAndCreateSubscriptionGroup(
  ctl: BrokerController,
  req: RemotingCommand,
): RemotingCommand {
  let c: ReturnType<typeof decodeSubscriptionGroupConfig>;
  try {
    c = decodeSubscriptionGroupConfig(req.body ?? Buffer.alloc(0));
  } catch (e) {
    return fail(req, ResponseCode.SYSTEM_ERROR, (e as Error).message);
  }
  if (!c.groupName) return fail(req, ResponseCode.SYSTEM_ERROR, 'groupName is blank');
  ctl.subscriptionGroupManager.update(c);
  return ok(req);
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201): SubscriptionGroupWrapper. */
export function getAllSubscriptionGroupConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const m = ctl.subscriptionGroupManager;
  return ok(
    req,
    undefined,
    encodeSubscriptionGroupWrapper({
      subscriptionGroupTable: Object.fromEntries(m.table),
      dataVersion: m.dataVersion,
    }),
  );
}

/** DELETE_SUBSCRIPTIONGROUP (207): removeOffset=true also forgets its committed offsets. */
export function deleteSubscriptionGroup(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const group = extStr(req, 'groupName');
  ctl.subscriptionGroupManager.delete(group);
  if (extBool(req, 'removeOffset', false)) ctl.consumerOffsetManager.removeGroup(group);
  return ok(req);
}

/** GET_CONSUMER_CONNECTION_LIST (203). */
export function getConsumerConnectionList(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const group = extStr(req, 'consumerGroup');
  const g = ctl.consumerManager.get(group);
  if (!g || g.channels.size === 0) {
    return fail(req, ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${group}] not online`);
  }
  const subs: Record<string, SubscriptionData> = Object.fromEntries(g.subscriptions);
  return ok(
    req,
    undefined,
    encodeConsumerConnection({
      connectionSet: [...g.channels.values()].map((c) => ({
        clientId: c.clientId,
        clientAddr: c.channel.remoteAddress,
        language: c.language,
        version: c.version,
      })),
      subscriptionTable: subs,
      consumeType: g.consumeType,
      messageModel: g.messageModel,
      consumeFromWhere: g.consumeFromWhere,
    }),
  );
}

/** GET_PRODUCER_CONNECTION_LIST (204). */
export function getProducerConnectionList(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const group = extStr(req, 'producerGroup');
  const m = ctl.producerManager.groups.get(group);
  if (!m || m.size === 0)
    return fail(req, ResponseCode.SYSTEM_ERROR, `the producer group[${group}] not exist`);
  return ok(
    req,
    undefined,
    encodeProducerConnection({
      connectionSet: [...m.values()].map((c) => ({
        clientId: c.clientId,
        clientAddr: c.channel.remoteAddress,
        language: c.language,
        version: c.version,
      })),
    }),
  );
}

/** QUERY_TOPIC_CONSUME_BY_WHO (300): online subscribers plus groups with committed offsets. */
export function queryTopicConsumeByWho(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const topic = extStr(req, 'topic');
  const groups = ctl.consumerManager.queryTopicConsumeByWho(topic);
  for (const g of ctl.consumerOffsetManager.whichGroupByTopic(topic)) groups.add(g);
  return ok(req, undefined, encodeGroupList(groups));
}
