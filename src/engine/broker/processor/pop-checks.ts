import type { SubscriptionGroupConfig } from '../../protocol/bodies/subscription-group-config.js';
import { PopResponseCode } from '../../protocol/pop-extra-info.js';
import type { RemotingCommand } from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { fail } from './responses.js';

/**
 * The queue id and group checks POP_MESSAGE, PEEK_MESSAGE and NOTIFICATION share (5.x's processors make them
 * alike): the group's config, or the failure to answer with.
 */
export function checkQueueAndGroup(
  ctl: BrokerController,
  req: RemotingCommand,
  h: { topic: string; queueId: number; consumerGroup: string },
  readQueueNums: number,
): SubscriptionGroupConfig | RemotingCommand {
  if (h.queueId >= readQueueNums)
    return fail(
      req,
      PopResponseCode.INVALID_PARAMETER,
      `queueId[${h.queueId}] is illegal, topic:[${h.topic}] topicConfig.readQueueNums:[${readQueueNums}]`,
    );
  const sg = ctl.subscriptionGroupManager.find(h.consumerGroup);
  if (!sg)
    return fail(
      req,
      ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      `subscription group [${h.consumerGroup}] does not exist`,
    );
  return sg;
}
