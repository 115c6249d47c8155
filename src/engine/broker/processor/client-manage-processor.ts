import { decodeHeartbeatData } from '../../protocol/bodies/heartbeat-data.js';
import { parseFastjson } from '../../protocol/fastjson.js';
import { extStr, type RemotingCommand } from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { Channel } from '../../remoting/index.js';
import type { BrokerController } from '../broker-controller.js';
import type { ClientChannelInfo } from '../client/client-channel-info.js';
import { Perm } from '../perm.js';
import { retryTopic } from '../topic/topic-validator.js';
import { fail, ok } from './responses.js';

/** HEART_BEAT (34): register consumers/producers; ensure the group and its %RETRY% topic (§3.8). */
export function heartBeat(ctl: BrokerController, req: RemotingCommand, ch: Channel): RemotingCommand {
  let hb: ReturnType<typeof decodeHeartbeatData>;
  try {
    hb = decodeHeartbeatData(req.body ?? Buffer.alloc(0));
  } catch (e) {
    return fail(req, ResponseCode.SYSTEM_ERROR, `bad heartbeat body: ${(e as Error).message}`);
  }
  const info = (): ClientChannelInfo => ({
    channel: ch,
    clientId: hb.clientID,
    language: req.language || 'JAVA',
    version: req.version,
    lastUpdateTimestamp: Date.now(),
  });
  for (const cd of hb.consumerDataSet) {
    const sg = ctl.subscriptionGroupManager.find(cd.groupName);
    let notify = true;
    if (sg) {
      notify = sg.notifyConsumerIdsChangedEnable;
      ctl.topicConfigManager.createInSendMessageBack(
        retryTopic(cd.groupName),
        sg.retryQueueNums,
        Perm.READ | Perm.WRITE,
        0,
      );
    }
    ctl.consumerManager.register(
      cd.groupName,
      info(),
      cd.consumeType,
      cd.messageModel,
      cd.consumeFromWhere,
      cd.subscriptionDataSet,
      notify,
    );
  }
  for (const pd of hb.producerDataSet) ctl.producerManager.register(pd.groupName, info());
  return ok(req);
}

/** UNREGISTER_CLIENT (35). */
export function unregisterClient(ctl: BrokerController, req: RemotingCommand, ch: Channel): RemotingCommand {
  extStr(req, 'clientID');
  const producerGroup = extStr(req, 'producerGroup', false);
  const consumerGroup = extStr(req, 'consumerGroup', false);
  if (producerGroup) ctl.producerManager.unregister(producerGroup, ch);
  if (consumerGroup) {
    const sg = ctl.subscriptionGroupManager.table.get(consumerGroup);
    ctl.consumerManager.unregister(consumerGroup, ch, sg ? sg.notifyConsumerIdsChangedEnable : true);
  }
  return ok(req);
}

/**
 * CHECK_CLIENT_CONFIG (46): a consumer asks, before it starts, whether its subscription is usable here. TAG
 * always is; SQL92 needs enablePropertyFilter and an expression that compiles.
 */
export function checkClientConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  let sub: { expressionType?: unknown; subString?: unknown } | undefined;
  try {
    const body = req.body?.length ? (parseFastjson(req.body) as Record<string, unknown>) : {};
    sub = (body?.subscriptionData ?? undefined) as typeof sub;
  } catch (e) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `malformed CHECK_CLIENT_CONFIG body: ${(e as Error).message}`,
    );
  }
  const type = typeof sub?.expressionType === 'string' ? sub.expressionType : 'TAG';
  if (type === 'TAG') return ok(req);
  if (type !== 'SQL92' || !ctl.config.enablePropertyFilter) {
    return fail(
      req,
      ResponseCode.SYSTEM_ERROR,
      `The broker does not support consumer to filter message by ${type}`,
    );
  }
  try {
    ctl.sql92Filters.get(typeof sub?.subString === 'string' ? sub.subString : '');
  } catch (e) {
    return fail(req, ResponseCode.SUBSCRIPTION_PARSE_FAILED, (e as Error).message);
  }
  return ok(req);
}
