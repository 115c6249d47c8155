import {
  encodeTopicConfigWrapper,
  newTopicConfig,
  topicConfigBean,
} from '../../protocol/bodies/topic-config.js';
import { encodeTopicList } from '../../protocol/bodies/topic-list.js';
import { toFastjson } from '../../protocol/fastjson.js';
import { extBool, extInt, extStr, type RemotingCommand } from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import {
  AttributeError,
  alterAttributes,
  MESSAGE_TYPE_ATTRIBUTE,
  parseAttributeModification,
} from '../../protocol/topic-attributes.js';
import type { BrokerController } from '../broker-controller.js';
import { topicProblem } from '../topic/topic-validator.js';
import { fail, ok } from './responses.js';

/** UPDATE_AND_CREATE_TOPIC (17): then a synchronous re-registration with the name servers. */
export async function updateAndCreateTopic(
  ctl: BrokerController,
  req: RemotingCommand,
): Promise<RemotingCommand> {
  const topic = extStr(req, 'topic');
  const problem = topicProblem(topic);
  if (problem) return fail(req, ResponseCode.SYSTEM_ERROR, problem);
  if (topic === ctl.config.brokerClusterName) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `The topic[${topic}] is conflict with system reserved words.`,
    );
  }
  const filter = extStr(req, 'topicFilterType', false) ?? 'SINGLE_TAG';
  if (filter !== 'SINGLE_TAG' && filter !== 'MULTI_TAG') {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `topicFilterType must be SINGLE_TAG or MULTI_TAG, got ${filter}`,
    );
  }
  const read = extInt(req, 'readQueueNums');
  const write = extInt(req, 'writeQueueNums');
  const perm = extInt(req, 'perm');
  if (read < 0 || write < 0 || read > 1024 || write > 1024) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `queue numbers must be 0..1024 (read ${read}, write ${write})`,
    );
  }
  // RocketMQ 5's `attributes` field: `+message.type=FIFO,-key` applied to the topic's current attributes.
  let attributes: Record<string, string>;
  try {
    const mod = parseAttributeModification(extStr(req, 'attributes', false));
    if (!ctl.config.enableMixedMessageType && mod[`+${MESSAGE_TYPE_ATTRIBUTE}`] === 'MIXED')
      return fail(req, ResponseCode.INVALID_PARAMETER, 'MIXED message type is not supported.');
    const current = ctl.topicConfigManager.select(topic);
    attributes = alterAttributes(current === undefined, current?.attributes ?? {}, mod);
  } catch (err) {
    if (err instanceof AttributeError) return fail(req, ResponseCode.SYSTEM_ERROR, err.message);
    throw err;
  }
  const tc = newTopicConfig(topic, {
    readQueueNums: read,
    writeQueueNums: write,
    perm,
    topicFilterType: filter,
    topicSysFlag: extInt(req, 'topicSysFlag', false) ?? 0,
    order: extBool(req, 'order', false) ?? false,
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  });
  ctl.topicConfigManager.update(tc);
  await ctl.registerBrokerAll(false);
  return ok(req);
}

/** DELETE_TOPIC_IN_BROKER (215): drops the config, its offsets and its queues. */
export function deleteTopicInBroker(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const topic = extStr(req, 'topic');
  const problem = topicProblem(topic);
  if (problem) return fail(req, ResponseCode.SYSTEM_ERROR, problem);
  if (ctl.topicConfigManager.systemTopics.has(topic)) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `The topic[${topic}] is a system topic and cannot be deleted.`,
    );
  }
  ctl.topicConfigManager.delete(topic);
  ctl.consumerOffsetManager.removeTopic(topic);
  ctl.store.deleteTopics([topic]);
  return ok(req);
}

/** GET_ALL_TOPIC_CONFIG (21) and GET_TOPIC_CONFIG_LIST (22): TopicConfigSerializeWrapper. */
export function getAllTopicConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return ok(req, undefined, encodeTopicConfigWrapper(ctl.topicConfigManager.wrapper()));
}

/** GET_TOPIC_NAME_LIST (23): TopicList of this broker's topics. */
export function getTopicNameList(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return ok(req, undefined, encodeTopicList({ topicList: [...ctl.topicConfigManager.table.keys()] }));
}

/** GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305). */
export function getSystemTopicList(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return ok(req, undefined, encodeTopicList({ topicList: [...ctl.topicConfigManager.systemTopics] }));
}

/** GET_TOPIC_CONFIG (351, RocketMQ 5): TopicConfigAndQueueMapping JSON, attributes included. */
export function getTopicConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const topic = extStr(req, 'topic');
  const tc = ctl.topicConfigManager.select(topic);
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `No topic in this broker. topic: ${topic}`);
  // No static-topic queue mapping in mq, so mappingDetail stays null (fastjson leaves it out).
  return ok(req, undefined, Buffer.from(toFastjson(topicConfigBean(tc, true)), 'utf8'));
}
