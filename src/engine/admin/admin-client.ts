import { getProperties } from 'properties-file';
import {
  type ConsumerConnection,
  decodeConsumerConnection,
  decodeProducerConnection,
  type ProducerConnection,
} from '../protocol/bodies/client-connection.js';
import { type ClusterInfo, decodeClusterInfo } from '../protocol/bodies/cluster-info.js';
import {
  type ConsumeStats,
  decodeConsumeStats,
  decodeResetOffsetBody,
  decodeTopicStatsTable,
  type TopicStatsTable,
} from '../protocol/bodies/consume-stats.js';
import { type ConsumeStatsList, decodeConsumeStatsList } from '../protocol/bodies/consume-stats-list.js';
import {
  type ConsumerRunningInfo,
  decodeConsumerRunningInfo,
} from '../protocol/bodies/consumer-running-info.js';
import { decodeKVTable } from '../protocol/bodies/kv-table.js';
import type { MessageQueueData } from '../protocol/bodies/message-queue-key.js';
import { decodeProducerTableInfo, type ProducerTableInfo } from '../protocol/bodies/producer-table-info.js';
import {
  decodeQueryConsumeQueueBody,
  type QueryConsumeQueueBody,
} from '../protocol/bodies/query-consume-queue.js';
import { decodeGroupList } from '../protocol/bodies/string-lists.js';
import {
  decodeSubscriptionGroupWrapper,
  encodeSubscriptionGroupConfig,
  type SubscriptionGroupConfig,
  type SubscriptionGroupWrapper,
} from '../protocol/bodies/subscription-group-config.js';
import {
  decodeTopicConfigWrapper,
  type TopicConfig,
  type TopicConfigSerializeWrapper,
} from '../protocol/bodies/topic-config.js';
import { decodeTopicList } from '../protocol/bodies/topic-list.js';
import {
  type BrokerData,
  decodeTopicRouteData,
  masterAddr,
  type TopicRouteData,
} from '../protocol/bodies/topic-route-data.js';
import { parseFastjson } from '../protocol/fastjson.js';
import { type DecodedRecord, decodeRecords } from '../protocol/message/record.js';
import { createRequest, type ExtInput, type RemotingCommand } from '../protocol/remoting-command.js';
import { RequestCode } from '../protocol/request-code.js';
import { buildPullMessageRequest, PullSysFlag } from '../protocol/requests/pull-message.js';
import { ResponseCode } from '../protocol/response-code.js';
import { aclClientHook, checkCredentials } from '../remoting/acl-client-hook.js';
import { parseNamesrvAddr } from '../remoting/namesrv-addr.js';
import { RemotingClient } from '../remoting/remoting-client.js';
import { clientTls } from '../remoting/tls/client-tls.js';
import { AdminError, replyError } from './errors.js';

export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';
const DEFAULT_TOPIC = 'TBW102';

/** What the admin client sends frames through; RemotingClient in production. */
export interface AdminTransport {
  invoke(addr: string, cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand>;
  close(): Promise<void> | void;
}

export interface AdminClientOptions {
  /** Name server list, "host:port;host:port". */
  namesrvAddr: string;
  /** Per-request timeout (Java DefaultMQAdminExt default 5000 ms). */
  timeoutMs?: number;
  transport?: AdminTransport;
  /** Plain ACL: with `secretKey`, every request is signed (only with the built-in transport). */
  /** Connect with TLS; default: tls.enable from MQ_TLS_ENABLE or the TLS config file. */
  useTLS?: boolean;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  /**
   * Java's vipChannelEnabled: broker requests go to the broker's VIP channel (its port − 2), pulls excepted
   * (the VIP channel serves no PULL_MESSAGE), as MixAll.brokerVIPChannel picks the address.
   */
  vipChannelEnabled?: boolean;
}

/** MixAll.brokerVIPChannel: the same host, port − 2. */
export function brokerVIPChannel(addr: string): string {
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  return i > 0 && Number.isInteger(port) && port >= 2 ? `${addr.slice(0, i)}:${port - 2}` : addr;
}

export type Properties = Record<string, string>;

/** PULL_MESSAGE outcome, named as Java's PullStatus. */
export interface PullResult {
  status: 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  messages: DecodedRecord[];
}

/** `key=value` lines, as MixAll.properties2String writes them. */
export function propertiesToString(props: Properties): string {
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
}

/** Java Properties.load semantics (escapes, `:`/`=` separators, continuation lines, comments). */
export function parsePropertiesText(text: string): Properties {
  return { ...getProperties(text) } as Properties;
}

/** The address Java's BrokerData.selectBrokerAddr picks: the master, else any replica. */
export function selectBrokerAddr(b: BrokerData): string | undefined {
  const m = masterAddr(b);
  if (m) return m;
  const addrs = Object.values(b.brokerAddrs);
  return addrs.length ? addrs[Math.floor(Math.random() * addrs.length)] : undefined;
}

/**
 * DefaultMQAdminExt's role: one method per wire operation, plain objects out. Name-server calls go to the
 * first name server that answers (falling over on connection errors); broker calls go to the given address.
 * Every failure is an AdminError naming the operation, the address and the response code.
 */
export class AdminClient {
  readonly namesrvList: string[];
  readonly timeoutMs: number;
  readonly vipChannelEnabled: boolean;
  private readonly transport: AdminTransport;
  private readonly ownsTransport: boolean;

  constructor(opts: AdminClientOptions) {
    this.namesrvList = parseNamesrvAddr(opts.namesrvAddr);
    if (this.namesrvList.length === 0)
      throw new AdminError('no name server address given (use -n or NAMESRV_ADDR)');
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.vipChannelEnabled = opts.vipChannelEnabled === true;
    this.ownsTransport = !opts.transport;
    const creds = checkCredentials(opts.accessKey, opts.secretKey);
    if (opts.transport) {
      this.transport = opts.transport;
    } else {
      const client = new RemotingClient({
        connectTimeoutMs: Math.min(3000, this.timeoutMs),
        tls: clientTls(opts.useTLS),
      });
      if (creds) client.registerRpcHook(aclClientHook({ ...creds, securityToken: opts.securityToken }));
      this.transport = client;
    }
  }

  async close(): Promise<void> {
    if (this.ownsTransport) await this.transport.close();
  }

  // ---- plumbing -------------------------------------------------------------------------------------

  /** Sends to one address; connection problems become AdminErrors naming the operation. */
  async invoke(
    addr: string,
    what: string,
    cmd: RemotingCommand,
    timeoutMs = this.timeoutMs,
  ): Promise<RemotingCommand> {
    const to =
      this.vipChannelEnabled && cmd.code !== RequestCode.PULL_MESSAGE ? brokerVIPChannel(addr) : addr;
    try {
      return await this.transport.invoke(to, cmd, timeoutMs);
    } catch (err) {
      throw new AdminError(`${what}: ${(err as Error).message}`, undefined, to);
    }
  }

  /** invoke + require SUCCESS (or one of `ok`). */
  async call(
    addr: string,
    what: string,
    code: number,
    ext?: ExtInput,
    body?: Buffer | null,
    opts: { ok?: number[]; timeoutMs?: number } = {},
  ): Promise<RemotingCommand> {
    const reply = await this.invoke(addr, what, createRequest(code, ext, body), opts.timeoutMs);
    if (reply.code !== ResponseCode.SUCCESS && !opts.ok?.includes(reply.code)) {
      throw replyError(what, addr, reply.code, reply.remark);
    }
    return reply;
  }

  /** A name-server call: tries each name server in turn until one replies. */
  async callNamesrv(
    what: string,
    code: number,
    ext?: ExtInput,
    body?: Buffer | null,
    ok?: number[],
  ): Promise<RemotingCommand> {
    let last: unknown;
    for (const addr of this.namesrvList) {
      let reply: RemotingCommand;
      try {
        reply = await this.transport.invoke(addr, createRequest(code, ext, body), this.timeoutMs);
      } catch (err) {
        last = err;
        continue;
      }
      if (reply.code !== ResponseCode.SUCCESS && !ok?.includes(reply.code)) {
        throw replyError(what, addr, reply.code, reply.remark);
      }
      return reply;
    }
    throw new AdminError(
      `${what}: no name server reachable (${this.namesrvList.join(';')}): ${(last as Error)?.message ?? 'unknown error'}`,
    );
  }

  // ---- name server ----------------------------------------------------------------------------------

  async examineBrokerClusterInfo(): Promise<ClusterInfo> {
    const r = await this.callNamesrv('GET_BROKER_CLUSTER_INFO', RequestCode.GET_BROKER_CLUSTER_INFO);
    return r.body?.length ? decodeClusterInfo(r.body) : { brokerAddrTable: {}, clusterAddrTable: {} };
  }

  /** Route of a topic; an unknown topic is an AdminError with code TOPIC_NOT_EXIST. */
  async examineTopicRouteInfo(topic: string): Promise<TopicRouteData> {
    const r = await this.callNamesrv(`GET_ROUTEINFO_BY_TOPIC ${topic}`, RequestCode.GET_ROUTEINFO_BY_TOPIC, {
      topic,
      acceptStandardJsonOnly: true,
    });
    if (!r.body?.length)
      throw new AdminError(`No topic route info in name server for the topic: ${topic}`, 17);
    return decodeTopicRouteData(r.body);
  }

  async fetchAllTopicList(): Promise<string[]> {
    const r = await this.callNamesrv(
      'GET_ALL_TOPIC_LIST_FROM_NAMESERVER',
      RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
    );
    return r.body?.length ? decodeTopicList(r.body).topicList : [];
  }

  async fetchTopicsByCluster(cluster: string): Promise<string[]> {
    const r = await this.callNamesrv('GET_TOPICS_BY_CLUSTER', RequestCode.GET_TOPICS_BY_CLUSTER, { cluster });
    return r.body?.length ? decodeTopicList(r.body).topicList : [];
  }

  /** PUT_KV_CONFIG on every name server (as Java's createAndUpdateKvConfig does). */
  async putKvConfig(namespace: string, key: string, value: string): Promise<string[]> {
    return this.onEveryNamesrv('PUT_KV_CONFIG', RequestCode.PUT_KV_CONFIG, { namespace, key, value });
  }

  async deleteKvConfig(namespace: string, key: string): Promise<string[]> {
    return this.onEveryNamesrv('DELETE_KV_CONFIG', RequestCode.DELETE_KV_CONFIG, { namespace, key });
  }

  /** The value, or undefined when the name server has none (QUERY_NOT_FOUND). */
  async getKvConfig(namespace: string, key: string): Promise<string | undefined> {
    const r = await this.callNamesrv('GET_KV_CONFIG', RequestCode.GET_KV_CONFIG, { namespace, key }, null, [
      ResponseCode.QUERY_NOT_FOUND,
    ]);
    return r.code === ResponseCode.SUCCESS ? r.extFields?.value : undefined;
  }

  async getKvListByNamespace(namespace: string): Promise<Properties> {
    const r = await this.callNamesrv(
      'GET_KVLIST_BY_NAMESPACE',
      RequestCode.GET_KVLIST_BY_NAMESPACE,
      { namespace },
      null,
      [ResponseCode.QUERY_NOT_FOUND],
    );
    return r.code === ResponseCode.SUCCESS && r.body?.length ? decodeKVTable(r.body).table : {};
  }

  private async onEveryNamesrv(what: string, code: number, ext: ExtInput): Promise<string[]> {
    for (const addr of this.namesrvList) await this.call(addr, what, code, ext);
    return [...this.namesrvList];
  }

  async wipeWritePermOfBroker(namesrvAddr: string, brokerName: string): Promise<number> {
    const r = await this.call(
      namesrvAddr,
      'WIPE_WRITE_PERM_OF_BROKER',
      RequestCode.WIPE_WRITE_PERM_OF_BROKER,
      {
        brokerName,
      },
    );
    return Number(r.extFields?.wipeTopicCount ?? 0);
  }

  async addWritePermOfBroker(namesrvAddr: string, brokerName: string): Promise<number> {
    const r = await this.call(namesrvAddr, 'ADD_WRITE_PERM_OF_BROKER', RequestCode.ADD_WRITE_PERM_OF_BROKER, {
      brokerName,
    });
    return Number(r.extFields?.addTopicCount ?? 0);
  }

  async deleteTopicInNameServer(namesrvAddr: string, topic: string, clusterName?: string): Promise<void> {
    await this.call(namesrvAddr, 'DELETE_TOPIC_IN_NAMESRV', RequestCode.DELETE_TOPIC_IN_NAMESRV, {
      topic,
      clusterName,
    });
  }

  async getNameServerConfig(namesrvAddr: string): Promise<Properties> {
    const r = await this.call(namesrvAddr, 'GET_NAMESRV_CONFIG', RequestCode.GET_NAMESRV_CONFIG);
    return r.body?.length ? parsePropertiesText(r.body.toString('utf8')) : {};
  }

  async updateNameServerConfig(namesrvAddr: string, props: Properties): Promise<void> {
    await this.call(
      namesrvAddr,
      'UPDATE_NAMESRV_CONFIG',
      RequestCode.UPDATE_NAMESRV_CONFIG,
      undefined,
      Buffer.from(propertiesToString(props), 'utf8'),
    );
  }

  // ---- broker: configs and runtime ------------------------------------------------------------------

  async fetchBrokerRuntimeStats(brokerAddr: string): Promise<Properties> {
    const r = await this.call(brokerAddr, 'GET_BROKER_RUNTIME_INFO', RequestCode.GET_BROKER_RUNTIME_INFO);
    return r.body?.length ? decodeKVTable(r.body).table : {};
  }

  async getBrokerConfig(brokerAddr: string): Promise<Properties> {
    const r = await this.call(brokerAddr, 'GET_BROKER_CONFIG', RequestCode.GET_BROKER_CONFIG);
    return r.body?.length ? parsePropertiesText(r.body.toString('utf8')) : {};
  }

  async updateBrokerConfig(brokerAddr: string, props: Properties): Promise<void> {
    await this.call(
      brokerAddr,
      'UPDATE_BROKER_CONFIG',
      RequestCode.UPDATE_BROKER_CONFIG,
      undefined,
      Buffer.from(propertiesToString(props), 'utf8'),
    );
  }

  // ---- broker: topics and groups --------------------------------------------------------------------

  /** `attributes`: RocketMQ 5's modification string (`+message.type=FIFO,-key`), sent only when set. */
  async createAndUpdateTopicConfig(brokerAddr: string, tc: TopicConfig, attributes?: string): Promise<void> {
    await this.call(brokerAddr, 'UPDATE_AND_CREATE_TOPIC', RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic: tc.topicName,
      defaultTopic: DEFAULT_TOPIC,
      readQueueNums: tc.readQueueNums,
      writeQueueNums: tc.writeQueueNums,
      perm: tc.perm,
      topicFilterType: tc.topicFilterType,
      topicSysFlag: tc.topicSysFlag,
      order: tc.order,
      ...(attributes ? { attributes } : {}),
    });
  }

  async deleteTopicInBroker(brokerAddr: string, topic: string): Promise<void> {
    await this.call(brokerAddr, 'DELETE_TOPIC_IN_BROKER', RequestCode.DELETE_TOPIC_IN_BROKER, { topic });
  }

  async getAllTopicConfig(brokerAddr: string): Promise<TopicConfigSerializeWrapper> {
    const r = await this.call(brokerAddr, 'GET_ALL_TOPIC_CONFIG', RequestCode.GET_ALL_TOPIC_CONFIG);
    return decodeTopicConfigWrapper(r.body ?? '{}');
  }

  /** GET_SYSTEM_TOPIC_LIST_FROM_BROKER: the broker's own system topics. */
  async getSystemTopicListFromBroker(brokerAddr: string): Promise<string[]> {
    const r = await this.call(
      brokerAddr,
      'GET_SYSTEM_TOPIC_LIST_FROM_BROKER',
      RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER,
    );
    return r.body?.length ? decodeTopicList(r.body).topicList : [];
  }

  async createAndUpdateSubscriptionGroupConfig(
    brokerAddr: string,
    cfg: SubscriptionGroupConfig,
  ): Promise<void> {
    await this.call(
      brokerAddr,
      'UPDATE_AND_CREATE_SUBSCRIPTIONGROUP',
      RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
      undefined,
      encodeSubscriptionGroupConfig(cfg),
    );
  }

  async deleteSubscriptionGroup(brokerAddr: string, groupName: string, removeOffset: boolean): Promise<void> {
    await this.call(brokerAddr, 'DELETE_SUBSCRIPTIONGROUP', RequestCode.DELETE_SUBSCRIPTIONGROUP, {
      groupName,
      removeOffset,
    });
  }

  async getAllSubscriptionGroup(brokerAddr: string): Promise<SubscriptionGroupWrapper> {
    const r = await this.call(
      brokerAddr,
      'GET_ALL_SUBSCRIPTIONGROUP_CONFIG',
      RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
    );
    return decodeSubscriptionGroupWrapper(r.body ?? '{}');
  }

  // ---- broker: stats and connections ----------------------------------------------------------------

  async getConsumeStats(brokerAddr: string, consumerGroup: string, topic?: string): Promise<ConsumeStats> {
    const r = await this.call(
      brokerAddr,
      `GET_CONSUME_STATS ${consumerGroup}`,
      RequestCode.GET_CONSUME_STATS,
      { consumerGroup, topic },
      null,
      { timeoutMs: this.timeoutMs * 3 },
    );
    return r.body?.length ? decodeConsumeStats(r.body) : { consumeTps: 0, offsetTable: [] };
  }

  async getTopicStatsInfo(brokerAddr: string, topic: string): Promise<TopicStatsTable> {
    const r = await this.call(brokerAddr, `GET_TOPIC_STATS_INFO ${topic}`, RequestCode.GET_TOPIC_STATS_INFO, {
      topic,
    });
    return r.body?.length ? decodeTopicStatsTable(r.body) : { offsetTable: [] };
  }

  async getConsumerConnectionList(brokerAddr: string, consumerGroup: string): Promise<ConsumerConnection> {
    const r = await this.call(
      brokerAddr,
      `GET_CONSUMER_CONNECTION_LIST ${consumerGroup}`,
      RequestCode.GET_CONSUMER_CONNECTION_LIST,
      { consumerGroup },
    );
    return r.body?.length ? decodeConsumerConnection(r.body) : { connectionSet: [], subscriptionTable: {} };
  }

  async getProducerConnectionList(brokerAddr: string, producerGroup: string): Promise<ProducerConnection> {
    const r = await this.call(
      brokerAddr,
      `GET_PRODUCER_CONNECTION_LIST ${producerGroup}`,
      RequestCode.GET_PRODUCER_CONNECTION_LIST,
      { producerGroup },
    );
    return r.body?.length ? decodeProducerConnection(r.body) : { connectionSet: [] };
  }

  async getConsumerRunningInfo(
    brokerAddr: string,
    consumerGroup: string,
    clientId: string,
    jstack: boolean,
  ): Promise<ConsumerRunningInfo> {
    const r = await this.call(
      brokerAddr,
      `GET_CONSUMER_RUNNING_INFO ${clientId}`,
      RequestCode.GET_CONSUMER_RUNNING_INFO,
      { consumerGroup, clientId, jstackEnable: jstack },
      null,
      { timeoutMs: Math.max(this.timeoutMs, 12_000) },
    );
    return decodeConsumerRunningInfo(r.body ?? '{}');
  }

  async queryTopicConsumeByWho(brokerAddr: string, topic: string): Promise<string[]> {
    const r = await this.call(
      brokerAddr,
      'QUERY_TOPIC_CONSUME_BY_WHO',
      RequestCode.QUERY_TOPIC_CONSUME_BY_WHO,
      { topic },
    );
    return r.body?.length ? decodeGroupList(r.body) : [];
  }

  /** VIEW_BROKER_STATS_DATA: undefined when the broker has no such stats item. */
  async viewBrokerStatsData(
    brokerAddr: string,
    statsName: string,
    statsKey: string,
  ): Promise<BrokerStatsData | undefined> {
    const r = await this.call(
      brokerAddr,
      'VIEW_BROKER_STATS_DATA',
      RequestCode.VIEW_BROKER_STATS_DATA,
      { statsName, statsKey },
      null,
      { ok: [ResponseCode.SYSTEM_ERROR] },
    );
    if (r.code !== ResponseCode.SUCCESS || !r.body?.length) return undefined;
    return parseFastjson(r.body) as BrokerStatsData;
  }

  /** GET_BROKER_CONSUME_STATS: every group's consume stats on one broker (brokerConsumeStats). */
  async fetchConsumeStatsInBroker(
    brokerAddr: string,
    isOrder: boolean,
    timeoutMs: number,
  ): Promise<ConsumeStatsList> {
    const r = await this.call(
      brokerAddr,
      'GET_BROKER_CONSUME_STATS',
      RequestCode.GET_BROKER_CONSUME_STATS,
      { isOrder },
      null,
      { timeoutMs },
    );
    return r.body?.length
      ? decodeConsumeStatsList(r.body)
      : { brokerAddr, totalDiff: 0, consumeStatsList: [] };
  }

  /** GET_ALL_PRODUCER_INFO: every producer group's connections on one broker (`producer -b`). */
  async getAllProducerInfo(brokerAddr: string): Promise<ProducerTableInfo> {
    const r = await this.call(brokerAddr, 'GET_ALL_PRODUCER_INFO', RequestCode.GET_ALL_PRODUCER_INFO);
    return r.body?.length ? decodeProducerTableInfo(r.body) : { data: {} };
  }

  /** QUERY_CONSUME_QUEUE; a body-less answer (index outside the queue) is an AdminError with its remark. */
  async queryConsumeQueue(
    brokerAddr: string,
    topic: string,
    queueId: number,
    index: number,
    count: number,
    consumerGroup?: string,
  ): Promise<QueryConsumeQueueBody> {
    const r = await this.call(brokerAddr, 'QUERY_CONSUME_QUEUE', RequestCode.QUERY_CONSUME_QUEUE, {
      topic,
      queueId,
      index,
      count,
      consumerGroup,
    });
    if (!r.body?.length)
      throw new AdminError(r.remark || `no consume-queue data from ${brokerAddr}`, undefined, brokerAddr);
    return decodeQueryConsumeQueueBody(r.body);
  }

  /** CLEAN_UNUSED_TOPIC / CLEAN_EXPIRED_CONSUMEQUEUE / DELETE_EXPIRED_COMMITLOG on one broker. */
  async brokerHousekeeping(
    brokerAddr: string,
    op: 'CLEAN_UNUSED_TOPIC' | 'CLEAN_EXPIRED_CONSUMEQUEUE' | 'DELETE_EXPIRED_COMMITLOG',
  ): Promise<void> {
    await this.call(brokerAddr, op, RequestCode[op], undefined, null, {
      timeoutMs: Math.max(this.timeoutMs, 30_000),
    });
  }

  // ---- broker: offsets ------------------------------------------------------------------------------

  async getMaxOffset(brokerAddr: string, mq: MessageQueueData): Promise<number> {
    const r = await this.call(brokerAddr, 'GET_MAX_OFFSET', RequestCode.GET_MAX_OFFSET, {
      topic: mq.topic,
      queueId: mq.queueId,
    });
    return Number(r.extFields?.offset ?? 0);
  }

  async getMinOffset(brokerAddr: string, mq: MessageQueueData): Promise<number> {
    const r = await this.call(brokerAddr, 'GET_MIN_OFFSET', RequestCode.GET_MIN_OFFSET, {
      topic: mq.topic,
      queueId: mq.queueId,
    });
    return Number(r.extFields?.offset ?? 0);
  }

  async searchOffset(brokerAddr: string, mq: MessageQueueData, timestamp: number): Promise<number> {
    const r = await this.call(
      brokerAddr,
      'SEARCH_OFFSET_BY_TIMESTAMP',
      RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
      {
        topic: mq.topic,
        queueId: mq.queueId,
        timestamp,
      },
    );
    return Number(r.extFields?.offset ?? 0);
  }

  async updateConsumerOffset(
    brokerAddr: string,
    consumerGroup: string,
    mq: MessageQueueData,
    offset: number,
  ): Promise<void> {
    await this.call(brokerAddr, 'UPDATE_CONSUMER_OFFSET', RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup,
      topic: mq.topic,
      queueId: mq.queueId,
      commitOffset: offset,
    });
  }

  /**
   * INVOKE_BROKER_TO_RESET_OFFSET: the broker resets the group's offsets and tells its online consumers.
   * Throws AdminError code CONSUMER_NOT_ONLINE when nobody of the group is connected.
   */
  async invokeBrokerToResetOffset(
    brokerAddr: string,
    topic: string,
    group: string,
    timestamp: number,
    isForce: boolean,
    isC = false,
  ): Promise<Array<[MessageQueueData, number]>> {
    const cmd = createRequest(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, {
      topic,
      group,
      timestamp,
      isForce,
    });
    if (isC) cmd.language = 'CPP';
    const r = await this.invoke(brokerAddr, 'INVOKE_BROKER_TO_RESET_OFFSET', cmd);
    if (r.code !== ResponseCode.SUCCESS)
      throw replyError('INVOKE_BROKER_TO_RESET_OFFSET', brokerAddr, r.code, r.remark);
    return r.body?.length ? decodeResetOffsetBody(r.body).offsetTable : [];
  }

  // ---- broker: messages -----------------------------------------------------------------------------

  /** VIEW_MESSAGE_BY_ID: the record at a commit-log offset. */
  async viewMessage(brokerAddr: string, phyOffset: number): Promise<DecodedRecord> {
    const r = await this.call(brokerAddr, 'VIEW_MESSAGE_BY_ID', RequestCode.VIEW_MESSAGE_BY_ID, {
      offset: phyOffset,
    });
    const recs = r.body?.length ? decodeRecords(r.body) : [];
    if (!recs.length)
      throw new AdminError(`no message at commit-log offset ${phyOffset} on ${brokerAddr}`, 22, brokerAddr);
    return recs[0]!;
  }

  /** QUERY_MESSAGE by index key (or UNIQ_KEY with `unique`); QUERY_NOT_FOUND gives []. */
  async queryMessage(
    brokerAddr: string,
    topic: string,
    key: string,
    maxNum: number,
    begin: number,
    end: number,
    unique: boolean,
  ): Promise<DecodedRecord[]> {
    const cmd = createRequest(RequestCode.QUERY_MESSAGE, {
      topic,
      key,
      maxNum,
      beginTimestamp: begin,
      endTimestamp: end,
      _UNIQUE_KEY_QUERY: unique,
    });
    const r = await this.invoke(brokerAddr, 'QUERY_MESSAGE', cmd, this.timeoutMs * 3);
    if (r.code === ResponseCode.QUERY_NOT_FOUND) return [];
    if (r.code !== ResponseCode.SUCCESS) throw replyError('QUERY_MESSAGE', brokerAddr, r.code, r.remark);
    return r.body?.length ? decodeRecords(r.body) : [];
  }

  /** One non-blocking PULL_MESSAGE, as DefaultMQPullConsumer.pull does (no offset commit, no suspend). */
  async pull(
    brokerAddr: string,
    mq: MessageQueueData,
    subExpression: string,
    offset: number,
    maxNums: number,
    consumerGroup = TOOLS_CONSUMER_GROUP,
  ): Promise<PullResult> {
    const cmd = buildPullMessageRequest({
      consumerGroup,
      topic: mq.topic,
      queueId: mq.queueId,
      queueOffset: offset,
      maxMsgNums: maxNums,
      sysFlag: PullSysFlag.SUBSCRIPTION,
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: subExpression,
      subVersion: 0,
      expressionType: 'TAG',
    });
    const r = await this.invoke(brokerAddr, 'PULL_MESSAGE', cmd);
    const ext = r.extFields ?? {};
    const base = {
      nextBeginOffset: Number(ext.nextBeginOffset ?? offset),
      minOffset: Number(ext.minOffset ?? 0),
      maxOffset: Number(ext.maxOffset ?? 0),
    };
    switch (r.code) {
      case ResponseCode.SUCCESS: {
        const all = r.body?.length ? decodeRecords(r.body) : [];
        return { status: 'FOUND', ...base, messages: filterByTags(all, subExpression) };
      }
      case ResponseCode.PULL_NOT_FOUND:
        return { status: 'NO_NEW_MSG', ...base, messages: [] };
      case ResponseCode.PULL_RETRY_IMMEDIATELY:
        return { status: 'NO_MATCHED_MSG', ...base, messages: [] };
      case ResponseCode.PULL_OFFSET_MOVED:
        return { status: 'OFFSET_ILLEGAL', ...base, messages: [] };
      default:
        throw replyError('PULL_MESSAGE', brokerAddr, r.code, r.remark);
    }
  }

  // ---- compound lookups (DefaultMQAdminExtImpl) -----------------------------------------------------

  /** Master addresses of a cluster; an unknown cluster is an error (mqadmin only printed a warning). */
  async masterAddrsOfCluster(clusterName: string): Promise<string[]> {
    const ci = await this.examineBrokerClusterInfo();
    const names = ci.clusterAddrTable[clusterName];
    if (!names) throw new AdminError(`cluster ${clusterName} not found on the name server`);
    const out: string[] = [];
    for (const name of [...names].sort()) {
      const m = ci.brokerAddrTable[name] && masterAddr(ci.brokerAddrTable[name]!);
      if (m) out.push(m);
    }
    return out;
  }

  /** Master → its slaves, per broker of a cluster (CommandUtil.fetchMasterAndSlaveDistinguish). */
  async mastersAndSlavesOfCluster(clusterName: string): Promise<Array<{ master: string; slaves: string[] }>> {
    const ci = await this.examineBrokerClusterInfo();
    const names = ci.clusterAddrTable[clusterName];
    if (!names) throw new AdminError(`cluster ${clusterName} not found on the name server`);
    const out: Array<{ master: string; slaves: string[] }> = [];
    for (const name of [...names].sort()) {
      const b = ci.brokerAddrTable[name];
      if (!b) continue;
      const m = masterAddr(b);
      if (!m) continue;
      const slaves = Object.entries(b.brokerAddrs)
        .filter(([id]) => id !== '0')
        .sort((x, y) => Number(x[0]) - Number(y[0]))
        .map(([, a]) => a);
      out.push({ master: m, slaves });
    }
    return out;
  }

  /** The broker name owning an address (CommandUtil.fetchBrokerNameByAddr). */
  async brokerNameOfAddr(addr: string): Promise<string> {
    const ci = await this.examineBrokerClusterInfo();
    for (const [name, b] of Object.entries(ci.brokerAddrTable)) {
      if (Object.values(b.brokerAddrs).includes(addr)) return name;
    }
    throw new AdminError(`no broker with address ${addr} is registered on the name server`);
  }

  /**
   * ConsumeStats of a group merged over every broker that hosts its retry topic. An empty result is an
   * AdminError with code CONSUMER_NOT_ONLINE, as in Java.
   */
  async examineConsumeStats(group: string, topic?: string): Promise<ConsumeStats> {
    const route = await this.routeOfGroup(group);
    const merged: ConsumeStats = { consumeTps: 0, offsetTable: [] };
    for (const bd of route.brokerDatas) {
      const addr = selectBrokerAddr(bd);
      if (!addr) continue;
      const cs = await this.getConsumeStats(addr, group, topic);
      merged.offsetTable.push(...cs.offsetTable);
      merged.consumeTps += cs.consumeTps;
    }
    if (merged.offsetTable.length === 0) {
      throw new AdminError(
        `consumer group ${group} has no consume stats: the offset table is empty (the group has not consumed any message)`,
        ResponseCode.CONSUMER_NOT_ONLINE,
      );
    }
    return merged;
  }

  /** The connections of a group, from a broker hosting its retry topic (or the given broker). */
  async examineConsumerConnectionInfo(group: string, brokerAddr?: string): Promise<ConsumerConnection> {
    let addr = brokerAddr;
    if (!addr) {
      const route = await this.routeOfGroup(group);
      const bd = route.brokerDatas[Math.floor(Math.random() * route.brokerDatas.length)];
      addr = bd && selectBrokerAddr(bd);
    }
    let cc: ConsumerConnection = { connectionSet: [], subscriptionTable: {} };
    if (addr) {
      try {
        cc = await this.getConsumerConnectionList(addr, group);
      } catch (err) {
        if ((err as AdminError).code !== ResponseCode.CONSUMER_NOT_ONLINE) throw err;
      }
    }
    if (cc.connectionSet.length === 0) {
      throw new AdminError(`consumer group ${group} is not online`, ResponseCode.CONSUMER_NOT_ONLINE, addr);
    }
    return cc;
  }

  async examineProducerConnectionInfo(group: string, topic: string): Promise<ProducerConnection> {
    const route = await this.examineTopicRouteInfo(topic);
    const bd = route.brokerDatas[Math.floor(Math.random() * route.brokerDatas.length)];
    const addr = bd && selectBrokerAddr(bd);
    const pc = addr ? await this.getProducerConnectionList(addr, group) : { connectionSet: [] };
    if (pc.connectionSet.length === 0) {
      throw new AdminError(
        `producer group ${group} has no connection on the brokers of topic ${topic}`,
        undefined,
        addr,
      );
    }
    return pc;
  }

  async examineTopicStats(topic: string): Promise<TopicStatsTable> {
    const route = await this.examineTopicRouteInfo(topic);
    const merged: TopicStatsTable = { offsetTable: [] };
    for (const bd of route.brokerDatas) {
      const addr = selectBrokerAddr(bd);
      if (addr) merged.offsetTable.push(...(await this.getTopicStatsInfo(addr, topic)).offsetTable);
    }
    if (merged.offsetTable.length === 0)
      throw new AdminError(`Not found the topic stats info of ${topic}`, 17);
    return merged;
  }

  /** Route of `%RETRY%group`; an unknown group is an AdminError naming the group. */
  async routeOfGroup(group: string): Promise<TopicRouteData> {
    try {
      return await this.examineTopicRouteInfo(RETRY_GROUP_TOPIC_PREFIX + group);
    } catch (err) {
      if ((err as AdminError).code === ResponseCode.TOPIC_NOT_EXIST) {
        throw new AdminError(
          `consumer group ${group} not found: no live broker has its retry topic ${RETRY_GROUP_TOPIC_PREFIX}${group} ` +
            '(the group never consumed, or every broker hosting it is down: see mqadmin clusterList)',
          ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
        );
      }
      throw err;
    }
  }

  /** Addresses of a broker name (master first) from the cluster info. */
  async addrsOfBrokerName(brokerName: string): Promise<string[]> {
    const ci = await this.examineBrokerClusterInfo();
    const b = ci.brokerAddrTable[brokerName];
    if (!b) throw new AdminError(`broker ${brokerName} is not registered on the name server`);
    return Object.entries(b.brokerAddrs)
      .sort((x, y) => Number(x[0]) - Number(y[0]))
      .map(([, a]) => a);
  }
}

/** `BrokerStatsData` (VIEW_BROKER_STATS_DATA body). */
export interface BrokerStatsData {
  statsMinute: { sum: number; tps: number; avgpt: number };
  statsHour: { sum: number; tps: number; avgpt: number };
  statsDay: { sum: number; tps: number; avgpt: number };
}

/** Client-side tag filter, as the Java pull consumer applies after the broker's hash-code filter. */
function filterByTags(msgs: DecodedRecord[], subExpression: string): DecodedRecord[] {
  const expr = subExpression.trim();
  if (expr === '' || expr === '*') return msgs;
  const tags = new Set(
    expr
      .split('||')
      .map((t) => t.trim())
      .filter(Boolean),
  );
  return msgs.filter((m) => tags.has(m.properties.TAGS ?? ''));
}
