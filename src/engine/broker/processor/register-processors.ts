import { RequestCode } from '../../protocol/request-code.js';
import type { RemotingServer, RequestProcessor } from '../../remoting/index.js';
import type { BrokerController } from '../broker-controller.js';
import { ackMessage, batchAckMessage } from './ack-message-processor.js';
import * as acl from './admin-acl-processor.js';
import * as ab from './admin-broker-processor.js';
import * as ag from './admin-group-processor.js';
import * as ao from './admin-offset-processor.js';
import * as st from './admin-store-processor.js';
import * as at from './admin-topic-processor.js';
import { changeInvisibleTime } from './change-invisible-time-processor.js';
import * as cl from './client-manage-processor.js';
import * as cm from './consumer-manage-processor.js';
import { endTransaction } from './end-transaction-processor.js';
import { processNotification } from './notification-processor.js';
import { processPeek, processPop } from './pop-message-processor.js';
import { getAllProducerInfo } from './producer-info-processor.js';
import { pullMessageProcessor } from './pull-message-processor.js';
import * as qm from './query-message-processor.js';
import { replyMessage } from './reply-message-processor.js';
import { consumerSendMsgBack } from './send-back-processor.js';
import { sendMessageProcessor } from './send-message-processor.js';

type Handler = (
  ctl: BrokerController,
  req: Parameters<RequestProcessor>[0],
  ch: Parameters<RequestProcessor>[1],
) => ReturnType<RequestProcessor>;

/** Every broker request code and its handler; the VIP port (`fast`) gets all of them except PULL_MESSAGE. */
export function registerProcessors(ctl: BrokerController, server: RemotingServer, fast: boolean): void {
  const send = sendMessageProcessor(ctl);
  server.registerProcessor(RequestCode.SEND_MESSAGE, send);
  server.registerProcessor(RequestCode.SEND_MESSAGE_V2, send);
  const reply: RequestProcessor = (req, ch) => replyMessage(ctl, req, ch);
  server.registerProcessor(RequestCode.SEND_REPLY_MESSAGE, reply);
  server.registerProcessor(RequestCode.SEND_REPLY_MESSAGE_V2, reply);
  server.registerProcessor(RequestCode.SEND_BATCH_MESSAGE, send);
  if (!fast) server.registerProcessor(RequestCode.PULL_MESSAGE, pullMessageProcessor(ctl));
  const table: Array<[number, Handler]> = [
    [RequestCode.CONSUMER_SEND_MSG_BACK, consumerSendMsgBack],
    [RequestCode.POP_MESSAGE, (c, req, ch) => processPop(c, req, ch)],
    [RequestCode.PEEK_MESSAGE, processPeek],
    [RequestCode.ACK_MESSAGE, ackMessage],
    [RequestCode.BATCH_ACK_MESSAGE, batchAckMessage],
    [RequestCode.CHANGE_MESSAGE_INVISIBLETIME, changeInvisibleTime],
    [RequestCode.NOTIFICATION, (c, req, ch) => processNotification(c, req, ch)],
    [RequestCode.HEART_BEAT, cl.heartBeat],
    [RequestCode.UNREGISTER_CLIENT, cl.unregisterClient],
    [RequestCode.CHECK_CLIENT_CONFIG, cl.checkClientConfig],
    [RequestCode.GET_CONSUMER_LIST_BY_GROUP, cm.getConsumerListByGroup],
    [RequestCode.QUERY_CONSUMER_OFFSET, cm.queryConsumerOffset],
    [RequestCode.UPDATE_CONSUMER_OFFSET, cm.updateConsumerOffset],
    [RequestCode.LOCK_BATCH_MQ, cm.lockBatchMQ],
    [RequestCode.UNLOCK_BATCH_MQ, cm.unlockBatchMQ],
    [RequestCode.END_TRANSACTION, endTransaction],
    [RequestCode.QUERY_MESSAGE, qm.queryMessage],
    [RequestCode.VIEW_MESSAGE_BY_ID, qm.viewMessageById],
    [RequestCode.UPDATE_AND_CREATE_TOPIC, at.updateAndCreateTopic],
    [RequestCode.DELETE_TOPIC_IN_BROKER, at.deleteTopicInBroker],
    [RequestCode.GET_ALL_TOPIC_CONFIG, at.getAllTopicConfig],
    [RequestCode.GET_TOPIC_CONFIG_LIST, at.getAllTopicConfig],
    [RequestCode.GET_TOPIC_CONFIG, at.getTopicConfig],
    [RequestCode.GET_TOPIC_NAME_LIST, at.getTopicNameList],
    [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER, at.getSystemTopicList],
    [RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, ag.updateAndCreateSubscriptionGroup],
    [RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, ag.getAllSubscriptionGroupConfig],
    [RequestCode.DELETE_SUBSCRIPTIONGROUP, ag.deleteSubscriptionGroup],
    [RequestCode.GET_CONSUMER_CONNECTION_LIST, ag.getConsumerConnectionList],
    [RequestCode.GET_PRODUCER_CONNECTION_LIST, ag.getProducerConnectionList],
    [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, ag.queryTopicConsumeByWho],
    [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, ao.searchOffsetByTimestamp],
    [RequestCode.GET_MAX_OFFSET, ao.getMaxOffset],
    [RequestCode.GET_MIN_OFFSET, ao.getMinOffset],
    [RequestCode.GET_EARLIEST_MSG_STORETIME, ao.getEarliestMsgStoretime],
    [RequestCode.GET_ALL_CONSUMER_OFFSET, ao.getAllConsumerOffset],
    [RequestCode.GET_ALL_DELAY_OFFSET, ao.getAllDelayOffset],
    [RequestCode.GET_CONSUME_STATS, ao.getConsumeStats],
    [RequestCode.GET_BROKER_CONSUME_STATS, ao.getBrokerConsumeStats],
    [RequestCode.GET_TOPIC_STATS_INFO, ao.getTopicStatsInfo],
    [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, ao.invokeBrokerToResetOffset],
    [RequestCode.CLONE_GROUP_OFFSET, ao.cloneGroupOffset],
    [RequestCode.GET_ALL_PRODUCER_INFO, getAllProducerInfo],
    [RequestCode.QUERY_CONSUME_QUEUE, st.queryConsumeQueue],
    [RequestCode.CLEAN_UNUSED_TOPIC, st.cleanUnusedTopic],
    [RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, st.cleanExpiredConsumeQueue],
    [RequestCode.DELETE_EXPIRED_COMMITLOG, st.deleteExpiredCommitLog],
    [RequestCode.GET_BROKER_CONFIG, ab.getBrokerConfig],
    [RequestCode.UPDATE_BROKER_CONFIG, ab.updateBrokerConfig],
    [RequestCode.GET_BROKER_RUNTIME_INFO, ab.getBrokerRuntimeInfo],
    [RequestCode.VIEW_BROKER_STATS_DATA, ab.viewBrokerStatsData],
    [RequestCode.GET_CONSUMER_RUNNING_INFO, ab.relayToConsumer],
    [RequestCode.CONSUME_MESSAGE_DIRECTLY, ab.relayToConsumer],
    [RequestCode.UPDATE_AND_CREATE_ACL_CONFIG, acl.updateAndCreateAccessConfig],
    [RequestCode.DELETE_ACL_CONFIG, acl.deleteAccessConfig],
    [RequestCode.GET_BROKER_CLUSTER_ACL_INFO, acl.getBrokerAclConfigVersion],
    [RequestCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG, acl.updateGlobalWhiteAddrsConfig],
    [RequestCode.GET_BROKER_CLUSTER_ACL_CONFIG, acl.getBrokerClusterAclConfig],
  ];
  for (const [code, h] of table) server.registerProcessor(code, (req, ch) => h(ctl, req, ch));
}
