import { newTopicConfig, type TopicConfig } from '../protocol/bodies/topic-config.js';
import { masterAddr, type TopicRouteData } from '../protocol/bodies/topic-route-data.js';
import { attributeModificationText, parseAttributeModification } from '../protocol/topic-attributes.js';
import {
  type AdminClient,
  type BrokerStatsData,
  DLQ_GROUP_TOPIC_PREFIX,
  RETRY_GROUP_TOPIC_PREFIX,
  selectBrokerAddr,
} from './admin-client.js';
import type { AddrFailure } from './cluster-ops.js';
import { compareQueues } from './consumer-progress.js';
import { AdminError } from './errors.js';

const ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

export function isRetryOrDlq(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}

/** `topicList`: every topic the name server knows. */
export async function topicList(admin: AdminClient): Promise<{ topics: string[] }> {
  return { topics: await admin.fetchAllTopicList() };
}

export interface TopicClusterRow {
  clusterName: string;
  topic: string;
  consumerGroup: string;
}

/** `topicList -c`: each user topic with its cluster and the groups consuming it (one row per group). */
export async function topicListWithClusters(admin: AdminClient): Promise<{ rows: TopicClusterRow[] }> {
  const ci = await admin.examineBrokerClusterInfo();
  const rows: TopicClusterRow[] = [];
  for (const topic of await admin.fetchAllTopicList()) {
    if (isRetryOrDlq(topic)) continue;
    let clusterName = '';
    let groups: string[] = [];
    try {
      const route = await admin.examineTopicRouteInfo(topic);
      const first = route.brokerDatas[0];
      if (first) {
        clusterName =
          Object.entries(ci.clusterAddrTable).find(([, names]) => names.includes(first.brokerName))?.[0] ??
          '';
        const addr = selectBrokerAddr(first);
        if (addr) groups = await admin.queryTopicConsumeByWho(addr, topic);
      }
    } catch {
      // mqadmin prints such topics with empty columns; so do we.
    }
    for (const consumerGroup of groups.length ? [...groups].sort() : [''])
      rows.push({ clusterName, topic, consumerGroup });
  }
  return { rows };
}

export async function topicRoute(admin: AdminClient, topic: string): Promise<TopicRouteData> {
  return admin.examineTopicRouteInfo(topic);
}

export interface TopicRouteRow {
  clusterName: string;
  brokerName: string;
  brokerAddrs: Record<string, string>;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
}

/** `topicRoute -l`: one row per broker plus totals. */
export function routeRows(route: TopicRouteData): {
  rows: TopicRouteRow[];
  brokers: number;
  readQueues: number;
  writeQueues: number;
} {
  const qd = new Map(route.queueDatas.map((q) => [q.brokerName, q]));
  const rows: TopicRouteRow[] = [];
  for (const b of [...route.brokerDatas].sort((x, y) => (x.brokerName < y.brokerName ? -1 : 1))) {
    const q = qd.get(b.brokerName);
    rows.push({
      clusterName: b.cluster,
      brokerName: b.brokerName,
      brokerAddrs: b.brokerAddrs,
      readQueueNums: q?.readQueueNums ?? 0,
      writeQueueNums: q?.writeQueueNums ?? 0,
      perm: q?.perm ?? 0,
    });
  }
  return {
    rows,
    brokers: qd.size,
    readQueues: rows.reduce((s, r) => s + r.readQueueNums, 0),
    writeQueues: rows.reduce((s, r) => s + r.writeQueueNums, 0),
  };
}

export interface TopicStatusRow {
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  lastUpdateTimestamp: number;
}

export async function topicStatus(
  admin: AdminClient,
  topic: string,
): Promise<{ topic: string; queues: TopicStatusRow[] }> {
  const st = await admin.examineTopicStats(topic);
  const queues = [...st.offsetTable]
    .sort((a, b) => compareQueues(a[0], b[0]))
    .map(([mq, o]) => ({
      brokerName: mq.brokerName,
      queueId: mq.queueId,
      minOffset: o.minOffset,
      maxOffset: o.maxOffset,
      lastUpdateTimestamp: o.lastUpdateTimestamp,
    }));
  return { topic, queues };
}

/** `topicClusterList -t TOPIC`: the clusters whose brokers serve the topic. */
export async function topicClusterList(
  admin: AdminClient,
  topic: string,
): Promise<{ topic: string; clusters: string[] }> {
  const [ci, route] = [await admin.examineBrokerClusterInfo(), await admin.examineTopicRouteInfo(topic)];
  const names = new Set(route.brokerDatas.map((b) => b.brokerName));
  const clusters = Object.entries(ci.clusterAddrTable)
    .filter(([, brokers]) => brokers.some((b) => names.has(b)))
    .map(([c]) => c)
    .sort();
  return { topic, clusters };
}

export interface UpdateTopicOptions {
  topic: string;
  brokerAddr?: string;
  clusterName?: string;
  readQueueNums?: number;
  writeQueueNums?: number;
  perm?: number;
  order?: boolean;
  unit?: boolean;
  hasUnitSub?: boolean;
  /** RocketMQ 5 `-a`: `+message.type=FIFO,+k=v,-k` (AttributeParser format). */
  attributes?: string;
}

/** `updateTopic`: create or update on one broker (-b) or every master of a cluster (-c). */
export async function updateTopic(
  admin: AdminClient,
  o: UpdateTopicOptions,
): Promise<{ topicConfig: TopicConfig; brokers: string[]; orderConf?: string }> {
  validateTopic(o.topic);
  const tc = newTopicConfig(o.topic, {
    readQueueNums: o.readQueueNums ?? 8,
    writeQueueNums: o.writeQueueNums ?? 8,
    perm: o.perm ?? 6,
    order: o.order ?? false,
    topicSysFlag: (o.unit ? 1 : 0) | (o.hasUnitSub ? 2 : 0),
  });
  if (![2, 4, 6].includes(tc.perm) && !(tc.perm >= 0 && tc.perm <= 15))
    throw new AdminError(`bad perm ${tc.perm}`);
  let attrs: string | undefined;
  if (o.attributes) {
    let mod: Record<string, string>;
    try {
      mod = parseAttributeModification(o.attributes);
    } catch (err) {
      throw new AdminError(`-a ${o.attributes}: ${(err as Error).message}`);
    }
    attrs = attributeModificationText(mod);
    // What the topic will carry once the broker applies it (the broker checks the keys and values).
    const added = Object.entries(mod).filter(([k]) => k.startsWith('+'));
    if (added.length > 0) tc.attributes = Object.fromEntries(added.map(([k, v]) => [k.slice(1), v]));
  }
  if (o.brokerAddr) {
    await admin.createAndUpdateTopicConfig(o.brokerAddr, tc, attrs);
    const res: { topicConfig: TopicConfig; brokers: string[]; orderConf?: string } = {
      topicConfig: tc,
      brokers: [o.brokerAddr],
    };
    if (tc.order) {
      const brokerName = await admin.brokerNameOfAddr(o.brokerAddr);
      const old = (await admin.getKvConfig(ORDER_TOPIC_CONFIG, o.topic)) ?? '';
      const parts = new Map(
        old
          .split(';')
          .filter(Boolean)
          .map((p) => p.split(':') as [string, string]),
      );
      parts.set(brokerName, String(tc.writeQueueNums));
      res.orderConf = [...parts].map(([b, n]) => `${b}:${n}`).join(';');
      await admin.putKvConfig(ORDER_TOPIC_CONFIG, o.topic, res.orderConf);
    }
    return res;
  }
  if (!o.clusterName) throw new AdminError('updateTopic needs -b brokerAddr or -c clusterName');
  const masters = await admin.masterAddrsOfCluster(o.clusterName);
  for (const addr of masters) await admin.createAndUpdateTopicConfig(addr, tc, attrs);
  const res: { topicConfig: TopicConfig; brokers: string[]; orderConf?: string } = {
    topicConfig: tc,
    brokers: masters,
  };
  if (tc.order) {
    const ci = await admin.examineBrokerClusterInfo();
    res.orderConf = [...(ci.clusterAddrTable[o.clusterName] ?? [])]
      .sort()
      .map((b) => `${b}:${tc.writeQueueNums}`)
      .join(';');
    await admin.putKvConfig(ORDER_TOPIC_CONFIG, o.topic, res.orderConf);
  }
  return res;
}

/** Topic.validateTopic rules: 1..127 characters of [%|a-zA-Z0-9_-], not the default topic. */
export function validateTopic(topic: string): void {
  if (!topic) throw new AdminError('The specified topic is blank.');
  if (!/^[%|a-zA-Z0-9_-]+$/.test(topic)) {
    throw new AdminError(
      `The specified topic[${topic}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    );
  }
  if (topic.length > 127) throw new AdminError('The specified topic is longer than topic max length 127.');
  if (topic === 'TBW102') throw new AdminError(`The topic[${topic}] is conflict with default topic.`);
}

/** `deleteTopic -t TOPIC -c CLUSTER`: from every master of the cluster, then from every name server. */
export async function deleteTopic(
  admin: AdminClient,
  topic: string,
  clusterName: string,
): Promise<{ topic: string; clusterName: string; brokers: string[]; nameServers: string[] }> {
  const masters = await admin.masterAddrsOfCluster(clusterName);
  for (const addr of masters) await admin.deleteTopicInBroker(addr, topic);
  for (const ns of admin.namesrvList) await admin.deleteTopicInNameServer(ns, topic, clusterName);
  return { topic, clusterName, brokers: masters, nameServers: [...admin.namesrvList] };
}

export interface UpdatePermResult {
  topic: string;
  perm: number;
  updated: Array<{ addr: string; oldPerm: number }>;
  /** True when -b named a broker whose perm already was the new one (nothing sent). */
  unchanged?: boolean;
}

/** `updateTopicPerm -t TOPIC -p PERM (-b MASTER_ADDR | -c CLUSTER)`. */
export async function updateTopicPerm(
  admin: AdminClient,
  o: { topic: string; perm: number; brokerAddr?: string; clusterName?: string },
): Promise<UpdatePermResult> {
  if (![2, 4, 6].includes(o.perm)) throw new AdminError(`perm must be 2 (W), 4 (R) or 6 (RW), got ${o.perm}`);
  const route = await admin.examineTopicRouteInfo(o.topic);
  const q0 = route.queueDatas[0];
  if (!q0) throw new AdminError(`topic ${o.topic} has no queue data on the name server`, 17);
  const tc = newTopicConfig(o.topic, {
    readQueueNums: q0.readQueueNums,
    writeQueueNums: q0.writeQueueNums,
    topicSysFlag: q0.topicSysFlag,
    perm: o.perm,
  });
  if (o.brokerAddr) {
    const bd = route.brokerDatas.find((b) => masterAddr(b) === o.brokerAddr);
    if (!bd)
      throw new AdminError(
        `updateTopicPerm: ${o.brokerAddr} is not the master of a broker serving ${o.topic}`,
      );
    const q = route.queueDatas.find((x) => x.brokerName === bd.brokerName) ?? q0;
    if (q.perm === o.perm) return { topic: o.topic, perm: o.perm, updated: [], unchanged: true };
    tc.readQueueNums = q.readQueueNums;
    tc.writeQueueNums = q.writeQueueNums;
    await admin.createAndUpdateTopicConfig(o.brokerAddr, tc);
    return { topic: o.topic, perm: o.perm, updated: [{ addr: o.brokerAddr, oldPerm: q.perm }] };
  }
  if (!o.clusterName) throw new AdminError('updateTopicPerm needs -b brokerAddr or -c clusterName');
  const updated: Array<{ addr: string; oldPerm: number }> = [];
  for (const addr of await admin.masterAddrsOfCluster(o.clusterName)) {
    await admin.createAndUpdateTopicConfig(addr, tc);
    updated.push({ addr, oldPerm: q0.perm });
  }
  return { topic: o.topic, perm: o.perm, updated };
}

export interface StatsAllRow {
  topic: string;
  /** Empty when nobody consumes the topic. */
  consumerGroup: string;
  accumulation: number;
  inTps: number;
  outTps: number | null;
  inMsg24Hour: number;
  /** null = NO_CONSUMER. */
  outMsg24Hour: number | null;
}

/** A stats item's count over the last 24 hours (StatsAllSubCommand.compute24HourSum). */
export function sum24h(bsd: BrokerStatsData): number {
  return bsd.statsDay?.sum || bsd.statsHour?.sum || bsd.statsMinute?.sum || 0;
}

/** `statsAll [-a] [-t TOPIC]`: per topic and group, accumulation and in/out rates from the masters. */
export async function statsAll(
  admin: AdminClient,
  o: { activeTopic?: boolean; topic?: string } = {},
): Promise<{ rows: StatsAllRow[]; failed: AddrFailure[] }> {
  const rows: StatsAllRow[] = [];
  const failed: AddrFailure[] = [];
  for (const topic of await admin.fetchAllTopicList()) {
    if (isRetryOrDlq(topic) || (o.topic && topic !== o.topic)) continue;
    let route: TopicRouteData;
    try {
      route = await admin.examineTopicRouteInfo(topic);
    } catch {
      continue;
    }
    const masters = route.brokerDatas.map(masterAddr).filter((a): a is string => !!a);
    let groups: string[] = [];
    const first = route.brokerDatas[0] && selectBrokerAddr(route.brokerDatas[0]);
    if (first) groups = await admin.queryTopicConsumeByWho(first, topic).catch(() => []);
    let inTps = 0;
    let inMsg = 0;
    for (const m of masters) {
      try {
        const bsd = await admin.viewBrokerStatsData(m, 'TOPIC_PUT_NUMS', topic);
        if (bsd) {
          inTps += bsd.statsMinute?.tps ?? 0;
          inMsg += sum24h(bsd);
        }
      } catch (err) {
        failed.push({ addr: m, error: (err as Error).message });
      }
    }
    if (groups.length === 0) {
      if (!o.activeTopic || inMsg > 0) {
        rows.push({
          topic,
          consumerGroup: '',
          accumulation: 0,
          inTps,
          outTps: null,
          inMsg24Hour: inMsg,
          outMsg24Hour: null,
        });
      }
      continue;
    }
    for (const group of [...groups].sort()) {
      let outTps = 0;
      let outMsg = 0;
      for (const m of masters) {
        const bsd = await admin
          .viewBrokerStatsData(m, 'GROUP_GET_NUMS', `${topic}@${group}`)
          .catch(() => undefined);
        if (bsd) {
          outTps += bsd.statsMinute?.tps ?? 0;
          outMsg += sum24h(bsd);
        }
      }
      let accumulation = 0;
      try {
        const cs = await admin.examineConsumeStats(group, topic);
        accumulation = Math.max(
          0,
          cs.offsetTable.reduce((s, [, w]) => s + (w.brokerOffset - w.consumerOffset), 0),
        );
      } catch {
        // no stats yet: accumulation stays 0, as in mqadmin
      }
      if (!o.activeTopic || inMsg > 0 || outMsg > 0) {
        rows.push({
          topic,
          consumerGroup: group,
          accumulation,
          inTps,
          outTps,
          inMsg24Hour: inMsg,
          outMsg24Hour: outMsg,
        });
      }
    }
  }
  return { rows, failed };
}
