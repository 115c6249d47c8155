import {
  type SubscriptionGroupConfig,
  subscriptionGroupConfigBean,
} from '../protocol/bodies/subscription-group-config.js';
import { type TopicConfig, topicConfigBean } from '../protocol/bodies/topic-config.js';
import { REMOTING_VERSION } from '../version.js';
import { type AdminClient, DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX } from './admin-client.js';
import { AdminError } from './errors.js';
import { versionDesc } from './mq-version.js';
import { sum24h } from './topic-ops.js';

/** NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG: where order topics' "brokerName:queueNum;…" lives. */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

/** DefaultMQAdminExtImpl's system groups, left out of exports (with every CID_RMQ_SYS_* group). */
const SYSTEM_GROUPS = new Set([
  'DEFAULT_CONSUMER',
  'DEFAULT_PRODUCER',
  'TOOLS_CONSUMER',
  'FILTERSRV_CONSUMER',
  '__MONITOR_CONSUMER',
  'CLIENT_INNER_PRODUCER',
  'SELF_TEST_P_GROUP',
  'SELF_TEST_C_GROUP',
  'CID_ONS-HTTP-PROXY',
  'CID_ONSAPI_PERMISSION',
  'CID_ONSAPI_OWNER',
  'CID_ONSAPI_PULL',
  'CID_RMQ_SYS_TRANS',
]);

/** `updateOrderConf -t T -m get|put|delete [-v brokerName:num;…]` on the name servers' KV store. */
export async function updateOrderConf(
  admin: AdminClient,
  o: { topic: string; method: string; orderConf?: string },
): Promise<{ topic: string; method: string; orderConf?: string; nameServers?: string[] }> {
  switch (o.method) {
    case 'get': {
      const v = await admin.getKvConfig(NAMESPACE_ORDER_TOPIC_CONFIG, o.topic);
      if (v === undefined) throw new AdminError(`no orderConf for topic ${o.topic} on the name server`);
      return { topic: o.topic, method: 'get', orderConf: v };
    }
    case 'put': {
      const conf = o.orderConf?.trim() ?? '';
      if (conf === '') throw new AdminError('please set orderConf with option -v.');
      for (const part of conf.split(';').filter((x) => x.trim() !== '')) {
        if (!/^[^:;\s]+:\d+$/.test(part.trim()))
          throw new AdminError(
            `bad orderConf part ${JSON.stringify(part)}: expected brokerName:queueNum[;brokerName:queueNum]`,
          );
      }
      const nameServers = await admin.putKvConfig(NAMESPACE_ORDER_TOPIC_CONFIG, o.topic, conf);
      return { topic: o.topic, method: 'put', orderConf: conf, nameServers };
    }
    case 'delete': {
      const nameServers = await admin.deleteKvConfig(NAMESPACE_ORDER_TOPIC_CONFIG, o.topic);
      return { topic: o.topic, method: 'delete', nameServers };
    }
    default:
      throw new AdminError(`-m must be get, put or delete, got ${JSON.stringify(o.method)}`);
  }
}

/** getUserTopicConfig: the broker's topics minus its system ones (and retry/DLQ unless `special`). */
async function userTopics(
  admin: AdminClient,
  addr: string,
  special: boolean,
): Promise<Record<string, TopicConfig>> {
  const all = await admin.getAllTopicConfig(addr);
  const sys = new Set(await admin.getSystemTopicListFromBroker(addr));
  const out: Record<string, TopicConfig> = {};
  for (const [name, tc] of Object.entries(all.topicConfigTable)) {
    if (sys.has(name)) continue;
    if (!special && (name.startsWith(RETRY_GROUP_TOPIC_PREFIX) || name.startsWith(DLQ_GROUP_TOPIC_PREFIX)))
      continue;
    out[name] = tc;
  }
  return out;
}

/** getUserSubscriptionGroup: the broker's groups minus the system ones. */
async function userGroups(
  admin: AdminClient,
  addr: string,
): Promise<Record<string, SubscriptionGroupConfig>> {
  const all = await admin.getAllSubscriptionGroup(addr);
  const out: Record<string, SubscriptionGroupConfig> = {};
  for (const [name, g] of Object.entries(all.subscriptionGroupTable)) {
    if (name.startsWith('CID_RMQ_SYS_') || SYSTEM_GROUPS.has(name)) continue;
    out[name] = g;
  }
  return out;
}

export interface MetadataExport {
  /** File name mqadmin writes under -f: topic.json, subscriptionGroup.json or metadata.json. */
  fileName: string;
  /** The file's content, as Java beans (field names as RocketMQ writes them). */
  content: Record<string, unknown>;
}

/**
 * `exportMetadata (-b ADDR | -c CLUSTER) [-t | -g] [-s]`: user topics and/or subscription groups. With -c
 * the masters' tables are merged, queue (and retry-queue) numbers summed over brokers, as mqadmin does.
 */
export async function exportMetadata(
  admin: AdminClient,
  o: { brokerAddr?: string; clusterName?: string; only?: 'topic' | 'group'; specialTopic: boolean },
): Promise<MetadataExport> {
  const topicBeans = (t: Record<string, TopicConfig>) =>
    Object.fromEntries(Object.entries(t).map(([k, v]) => [k, topicConfigBean(v)]));
  const groupBeans = (g: Record<string, SubscriptionGroupConfig>) =>
    Object.fromEntries(Object.entries(g).map(([k, v]) => [k, subscriptionGroupConfigBean(v)]));
  if (o.brokerAddr) {
    if (o.only === 'topic') {
      const all = await admin.getAllTopicConfig(o.brokerAddr);
      const topics = await userTopics(admin, o.brokerAddr, o.specialTopic);
      return {
        fileName: 'topic.json',
        content: { dataVersion: all.dataVersion, topicConfigTable: topicBeans(topics) },
      };
    }
    if (o.only === 'group') {
      const all = await admin.getAllSubscriptionGroup(o.brokerAddr);
      const groups = await userGroups(admin, o.brokerAddr);
      return {
        fileName: 'subscriptionGroup.json',
        content: { dataVersion: all.dataVersion, subscriptionGroupTable: groupBeans(groups) },
      };
    }
    throw new AdminError('with -b, choose what to export: -t (topics) or -g (subscription groups)');
  }
  if (!o.clusterName) throw new AdminError('choose -b brokerAddr or -c clusterName');
  const topics: Record<string, TopicConfig> = {};
  const groups: Record<string, SubscriptionGroupConfig> = {};
  for (const addr of await admin.masterAddrsOfCluster(o.clusterName)) {
    for (const [name, tc] of Object.entries(await userTopics(admin, addr, o.specialTopic))) {
      const prev = topics[name];
      topics[name] = prev
        ? {
            ...tc,
            readQueueNums: prev.readQueueNums + tc.readQueueNums,
            writeQueueNums: prev.writeQueueNums + tc.writeQueueNums,
          }
        : tc;
    }
    for (const [name, g] of Object.entries(await userGroups(admin, addr))) {
      const prev = groups[name];
      groups[name] = prev ? { ...g, retryQueueNums: prev.retryQueueNums + g.retryQueueNums } : g;
    }
  }
  const content: Record<string, unknown> = {};
  let fileName = 'metadata.json';
  if (o.only !== 'group') content.topicConfigTable = topicBeans(topics);
  if (o.only !== 'topic') content.subscriptionGroupTable = groupBeans(groups);
  if (o.only === 'topic') fileName = 'topic.json';
  if (o.only === 'group') fileName = 'subscriptionGroup.json';
  content.exportTime = Date.now();
  return { fileName, content };
}

/** The broker settings exportConfigs keeps (ExportConfigsCommand.needBrokerProprties). */
const EXPORTED_BROKER_KEYS = [
  'brokerClusterName',
  'brokerId',
  'brokerName',
  'brokerRole',
  'fileReservedTime',
  'filterServerNums',
  'flushDiskType',
  'maxMessageSize',
  'messageDelayLevel',
  'msgTraceTopicName',
  'slaveReadEnable',
  'traceOn',
  'traceTopicEnable',
  'useTLS',
  'autoCreateTopicEnable',
  'autoCreateSubscriptionGroup',
];

/** `exportConfigs -c CLUSTER`: each master's key settings by broker name, and the cluster's size. */
export async function exportConfigs(admin: AdminClient, clusterName: string): Promise<MetadataExport> {
  const brokerConfigs: Record<string, Record<string, string>> = {};
  let masterBrokerSize = 0;
  let slaveBrokerSize = 0;
  for (const { master, slaves } of await admin.mastersAndSlavesOfCluster(clusterName)) {
    const props = await admin.getBrokerConfig(master);
    masterBrokerSize++;
    slaveBrokerSize += slaves.length;
    const kept: Record<string, string> = {};
    for (const k of EXPORTED_BROKER_KEYS) if (props[k] !== undefined) kept[k] = props[k]!;
    brokerConfigs[props.brokerName ?? master] = kept;
  }
  return {
    fileName: 'configs.json',
    content: {
      brokerConfigs,
      clusterScale: { namesrvSize: admin.namesrvList.length, masterBrokerSize, slaveBrokerSize },
    },
  };
}

/**
 * `exportMetrics -c CLUSTER`: per master (by broker name) its environment, disk ratios, in/out TPS of the
 * current minute (normal, transactional, scheduled), last day's message counts, average message size,
 * topic and group counts and its consumers' client versions; plus the cluster totals (metrics.json, as
 * ExportMetricsCommand writes it).
 */
export async function exportMetrics(admin: AdminClient, clusterName: string): Promise<MetadataExport> {
  const ci = await admin.examineBrokerClusterInfo();
  const brokerNames = ci.clusterAddrTable[clusterName];
  if (!brokerNames) throw new AdminError(`cluster ${clusterName} is not known to the name server`);
  const totalTps = { totalNormalInTps: 0, totalNormalOutTps: 0, totalTransInTps: 0, totalScheduleInTps: 0 };
  const totalOneDayNum = {
    normalOneDayInNum: 0,
    normalOneDayOutNum: 0,
    transOneDayInNum: 0,
    scheduleOneDayInNum: 0,
  };
  const evaluateReport: Record<string, unknown> = {};
  for (const brokerName of brokerNames) {
    const addr = ci.brokerAddrTable[brokerName]?.brokerAddrs['0'];
    if (!addr) continue;
    const kv = await admin.fetchBrokerRuntimeStats(addr);
    const props = await admin.getBrokerConfig(addr);
    const groups = await userGroups(admin, addr);
    const topics = await userTopics(admin, addr, false);
    const stats = (key: string) =>
      admin.viewBrokerStatsData(addr, 'TOPIC_PUT_NUMS', key).catch(() => undefined);
    const trans = await stats('RMQ_SYS_TRANS_HALF_TOPIC');
    const schedule = await stats('SCHEDULE_TOPIC_XXXX');
    const firstNumber = (s: string | undefined) => Number.parseFloat(s?.split(' ')[0] ?? '0') || 0;
    const tps = {
      normalInTps: firstNumber(kv.putTps),
      normalOutTps: firstNumber(kv.getTransferedTps),
      transInTps: trans?.statsMinute?.tps ?? 0,
      scheduleInTps: schedule?.statsMinute?.tps ?? 0,
    };
    const num = (k: string) => Number(kv[k] ?? 0) || 0;
    const oneDayNum = {
      normalOneDayInNum: num('msgPutTotalTodayMorning') - num('msgPutTotalYesterdayMorning'),
      normalOneDayOutNum: num('msgGetTotalTodayMorning') - num('msgGetTotalYesterdayMorning'),
      transOneDayInNum: trans ? sum24h(trans) : 0,
      scheduleOneDayInNum: schedule ? sum24h(schedule) : 0,
    };
    totalTps.totalNormalInTps += tps.normalInTps;
    totalTps.totalNormalOutTps += tps.normalOutTps;
    totalTps.totalTransInTps += tps.transInTps;
    totalTps.totalScheduleInTps += tps.scheduleInTps;
    for (const k of Object.keys(totalOneDayNum) as (keyof typeof totalOneDayNum)[])
      totalOneDayNum[k] += oneDayNum[k];
    const clientInfo = new Set<string>();
    for (const group of Object.keys(groups)) {
      try {
        const cc = await admin.examineConsumerConnectionInfo(group);
        for (const conn of cc.connectionSet) clientInfo.add(`${conn.language}%${versionDesc(conn.version)}`);
      } catch {
        // offline group: no clients to report
      }
    }
    evaluateReport[brokerName] = {
      runtimeEnv: { cpuNum: props.clientCallbackExecutorThreads, totalMemKBytes: kv.totalMemKBytes },
      runtimeQuota: {
        diskRatio: {
          commitLogDiskRatio: kv.commitLogDiskRatio,
          consumeQueueDiskRatio: kv.consumeQueueDiskRatio,
        },
        tps,
        oneDayNum,
        messageAverageSize: kv.putMessageAverageSize,
        topicSize: Object.keys(topics).length,
        groupSize: Object.keys(groups).length,
      },
      runtimeVersion: { rocketmqVersion: versionDesc(REMOTING_VERSION), clientInfo: [...clientInfo].sort() },
    };
  }
  return { fileName: 'metrics.json', content: { evaluateReport, totalData: { totalTps, totalOneDayNum } } };
}
