import type { ConsumerConnection, ProducerConnection } from '../protocol/bodies/client-connection.js';
import type { ConsumerRunningInfo } from '../protocol/bodies/consumer-running-info.js';
import {
  newSubscriptionGroupConfig,
  type SubscriptionGroupConfig,
} from '../protocol/bodies/subscription-group-config.js';
import { masterAddr } from '../protocol/bodies/topic-route-data.js';
import { ResponseCode } from '../protocol/response-code.js';
import {
  type AdminClient,
  DLQ_GROUP_TOPIC_PREFIX,
  RETRY_GROUP_TOPIC_PREFIX,
  selectBrokerAddr,
} from './admin-client.js';
import type { AddrFailure } from './cluster-ops.js';
import { compareQueues, queueKey } from './consumer-progress.js';
import { AdminError } from './errors.js';
import { versionDesc } from './mq-version.js';
import { deleteTopic } from './topic-ops.js';

type Target = { brokerAddr?: string; clusterName?: string };

async function targetMasters(admin: AdminClient, t: Target, what: string): Promise<string[]> {
  if (t.brokerAddr) return [t.brokerAddr];
  if (t.clusterName) return admin.masterAddrsOfCluster(t.clusterName);
  throw new AdminError(`${what} needs -b brokerAddr or -c clusterName`);
}

/**
 * RocketMQ's Validators.checkGroup (the rule its clients apply to every group): 1..255 characters of
 * [%|a-zA-Z0-9_-]. A group the broker accepted against it could never be used by a client.
 */
export function validateGroup(group: string): void {
  if (!group.trim()) throw new AdminError('The specified group is blank.');
  if (group.length > 255) throw new AdminError('The specified group is longer than group max length 255.');
  if (!/^[%|a-zA-Z0-9_-]+$/.test(group)) {
    throw new AdminError(
      `The specified group[${group}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    );
  }
}

/**
 * `updateSubGroup`: mqadmin's defaults differ from the broker's (broadcast and from-min off unless set).
 * On a cluster every master is tried; failures are collected and reported.
 */
export async function updateSubGroup(
  admin: AdminClient,
  t: Target,
  groupName: string,
  init: Partial<SubscriptionGroupConfig> = {},
): Promise<{ config: SubscriptionGroupConfig; updated: string[]; failed: AddrFailure[] }> {
  validateGroup(groupName);
  const config = newSubscriptionGroupConfig(groupName, {
    consumeBroadcastEnable: false,
    consumeFromMinEnable: false,
    ...init,
  });
  const updated: string[] = [];
  const failed: AddrFailure[] = [];
  for (const addr of await targetMasters(admin, t, 'updateSubGroup')) {
    try {
      await admin.createAndUpdateSubscriptionGroupConfig(addr, config);
      updated.push(addr);
    } catch (err) {
      if (t.brokerAddr) throw err;
      failed.push({ addr, error: (err as Error).message });
    }
  }
  return { config, updated, failed };
}

/** `deleteSubGroup`: from the masters; with -c also deletes the group's %RETRY% and %DLQ% topics. */
export async function deleteSubGroup(
  admin: AdminClient,
  t: Target,
  groupName: string,
  removeOffset: boolean,
): Promise<{ groupName: string; brokers: string[]; deletedTopics: string[] }> {
  const brokers = await targetMasters(admin, t, 'deleteSubGroup');
  for (const addr of brokers) await admin.deleteSubscriptionGroup(addr, groupName, removeOffset);
  const deletedTopics: string[] = [];
  if (t.clusterName) {
    for (const topic of [RETRY_GROUP_TOPIC_PREFIX + groupName, DLQ_GROUP_TOPIC_PREFIX + groupName]) {
      try {
        await deleteTopic(admin, topic, t.clusterName);
        deletedTopics.push(topic);
      } catch {
        // the group may never have had a retry or DLQ topic
      }
    }
  }
  return { groupName, brokers, deletedTopics };
}

/** `getConsumerConfig -g GROUP`: the group's subscription config on each broker that has it. */
export async function getConsumerConfig(
  admin: AdminClient,
  groupName: string,
): Promise<{
  groupName: string;
  brokers: Array<{ clusterName: string; brokerName: string; addr: string; config: SubscriptionGroupConfig }>;
}> {
  const ci = await admin.examineBrokerClusterInfo();
  const out: Array<{
    clusterName: string;
    brokerName: string;
    addr: string;
    config: SubscriptionGroupConfig;
  }> = [];
  for (const brokerName of Object.keys(ci.brokerAddrTable).sort()) {
    const addr = selectBrokerAddr(ci.brokerAddrTable[brokerName]!);
    if (!addr) continue;
    const w = await admin.getAllSubscriptionGroup(addr);
    const config = w.subscriptionGroupTable[groupName];
    if (!config) continue;
    const clusterName =
      Object.entries(ci.clusterAddrTable).find(([, names]) => names.includes(brokerName))?.[0] ?? '';
    out.push({ clusterName, brokerName, addr, config });
  }
  if (out.length === 0) {
    throw new AdminError(
      `subscription group ${groupName} not found on any broker`,
      ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
    );
  }
  return { groupName, brokers: out };
}

export interface ConnectionView {
  clientId: string;
  clientAddr: string;
  language: string;
  version: number;
  versionDesc: string;
}

function connectionViews(c: ConsumerConnection | ProducerConnection): ConnectionView[] {
  return c.connectionSet
    .map((x) => ({ ...x, versionDesc: versionDesc(x.version) }))
    .sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
}

export async function consumerConnection(
  admin: AdminClient,
  group: string,
  brokerAddr?: string,
): Promise<{
  group: string;
  connections: ConnectionView[];
  subscriptions: Array<{ topic: string; subExpression: string }>;
  consumeType: string | null;
  messageModel: string | null;
  consumeFromWhere: string | null;
}> {
  const cc = await admin.examineConsumerConnectionInfo(group, brokerAddr);
  return {
    group,
    connections: connectionViews(cc),
    subscriptions: Object.values(cc.subscriptionTable)
      .map((s) => ({ topic: s.topic, subExpression: s.subString }))
      .sort((a, b) => (a.topic < b.topic ? -1 : 1)),
    consumeType: cc.consumeType ?? null,
    messageModel: cc.messageModel ?? null,
    consumeFromWhere: cc.consumeFromWhere ?? null,
  };
}

export async function producerConnection(
  admin: AdminClient,
  group: string,
  topic: string,
): Promise<{ group: string; topic: string; connections: ConnectionView[] }> {
  return {
    group,
    topic,
    connections: connectionViews(await admin.examineProducerConnectionInfo(group, topic)),
  };
}

export interface ClientStatus {
  clientId: string;
  version: number;
  versionDesc: string;
  runningInfo?: ConsumerRunningInfo;
  error?: string;
}

/** `consumerStatus -g GROUP [-i CLIENT] [-s]`: every client's running info and a rebalance check. */
export async function consumerStatus(
  admin: AdminClient,
  o: { group: string; clientId?: string; brokerAddr?: string; jstack?: boolean },
): Promise<{
  group: string;
  clients: ClientStatus[];
  subscriptionSame: boolean | null;
  rebalanceOk: boolean | null;
  /** Queues held by more than one client. */
  duplicateQueues: string[];
}> {
  const cc = await admin.examineConsumerConnectionInfo(o.group, o.brokerAddr);
  const route = await admin.routeOfGroup(o.group);
  const addr = o.brokerAddr ?? route.brokerDatas.map(masterAddr).find(Boolean);
  if (!addr) throw new AdminError(`no master broker for group ${o.group}`);
  const conns = connectionViews(cc).filter((c) => !o.clientId || c.clientId === o.clientId);
  if (o.clientId && conns.length === 0) {
    throw new AdminError(
      `client ${o.clientId} is not connected in group ${o.group}`,
      ResponseCode.CONSUMER_NOT_ONLINE,
    );
  }
  const clients: ClientStatus[] = [];
  for (const c of conns) {
    const s: ClientStatus = { clientId: c.clientId, version: c.version, versionDesc: c.versionDesc };
    try {
      s.runningInfo = await admin.getConsumerRunningInfo(addr, o.group, c.clientId, o.jstack ?? false);
    } catch (err) {
      if (o.clientId) throw err;
      s.error = (err as Error).message;
    }
    clients.push(s);
  }
  const infos = clients.map((c) => c.runningInfo).filter((x): x is ConsumerRunningInfo => !!x);
  if (infos.length === 0)
    return { group: o.group, clients, subscriptionSame: null, rebalanceOk: null, duplicateQueues: [] };
  const subKey = (i: ConsumerRunningInfo) =>
    i.subscriptionSet
      .map((s) => `${s.topic}:${s.subString}`)
      .sort()
      .join(',');
  const subscriptionSame = infos.every((i) => subKey(i) === subKey(infos[0]!));
  const seen = new Map<string, number>();
  for (const i of infos)
    for (const [mq] of i.mqTable) seen.set(queueKey(mq), (seen.get(queueKey(mq)) ?? 0) + 1);
  const duplicateQueues = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  return {
    group: o.group,
    clients,
    subscriptionSame,
    rebalanceOk: subscriptionSame && duplicateQueues.length === 0,
    duplicateQueues,
  };
}

export interface ResetQueue {
  brokerName: string;
  queueId: number;
  /** The offset the queue was reset to. */
  offset: number;
  /** Offline mode only (no consumer connected): the figures mqadmin's rollback table shows. */
  brokerOffset?: number;
  consumerOffset?: number;
  timestampOffset?: number;
}

export interface ResetOffsetResult {
  group: string;
  topic: string;
  /** -1 = to the end of each queue (skip everything accumulated). */
  timestamp: number;
  force: boolean;
  /** online: the broker reset it and told the connected consumers; offline: offsets committed directly. */
  mode: 'online' | 'offline';
  queues: ResetQueue[];
}

/**
 * `resetOffsetByTime` / `skipAccumulatedMessage` (timestamp −1). With consumers online the brokers reset
 * and notify them; otherwise the offsets are committed directly, queue by queue (mqadmin's old method).
 */
export async function resetOffsetByTime(
  admin: AdminClient,
  o: { group: string; topic: string; timestamp: number; force: boolean; cplus?: boolean },
): Promise<ResetOffsetResult> {
  const route = await admin.examineTopicRouteInfo(o.topic);
  const res: ResetOffsetResult = { ...pick(o), mode: 'online', queues: [] };
  try {
    for (const bd of route.brokerDatas) {
      const addr = selectBrokerAddr(bd);
      if (!addr) continue;
      const table = await admin.invokeBrokerToResetOffset(
        addr,
        o.topic,
        o.group,
        o.timestamp,
        o.force,
        o.cplus,
      );
      for (const [mq, offset] of table)
        res.queues.push({ brokerName: mq.brokerName, queueId: mq.queueId, offset });
    }
  } catch (err) {
    if ((err as AdminError).code !== ResponseCode.CONSUMER_NOT_ONLINE) throw err;
    return resetOffline(admin, o);
  }
  res.queues.sort((a, b) => compareQueues({ topic: '', ...a }, { topic: '', ...b }));
  return res;
}

function pick(o: { group: string; topic: string; timestamp: number; force: boolean }) {
  return { group: o.group, topic: o.topic, timestamp: o.timestamp, force: o.force };
}

async function resetOffline(
  admin: AdminClient,
  o: { group: string; topic: string; timestamp: number; force: boolean },
): Promise<ResetOffsetResult> {
  const route = await admin.examineTopicRouteInfo(o.topic);
  const res: ResetOffsetResult = { ...pick(o), mode: 'offline', queues: [] };
  for (const bd of route.brokerDatas) {
    const addr = selectBrokerAddr(bd);
    if (!addr) continue;
    const cs = await admin.getConsumeStats(addr, o.group);
    let entries = cs.offsetTable.filter(([mq]) => mq.topic === o.topic);
    if (entries.length === 0) {
      // Never consumed: start from the queue bounds, as mqadmin does.
      const st = await admin.getTopicStatsInfo(addr, o.topic);
      entries = st.offsetTable.map(([mq, t]) => [
        mq,
        { brokerOffset: t.maxOffset, consumerOffset: t.minOffset, lastTimestamp: 0 },
      ]);
    }
    for (const [mq, w] of entries.sort((a, b) => compareQueues(a[0], b[0]))) {
      const target =
        o.timestamp === -1
          ? await admin.getMaxOffset(addr, mq)
          : await admin.searchOffset(addr, mq, o.timestamp);
      let offset = w.consumerOffset;
      if (o.force || target <= w.consumerOffset) {
        offset = target;
        await admin.updateConsumerOffset(addr, o.group, mq, target);
      }
      res.queues.push({
        brokerName: mq.brokerName,
        queueId: mq.queueId,
        offset,
        brokerOffset: w.brokerOffset,
        consumerOffset: w.consumerOffset,
        timestampOffset: target,
      });
    }
  }
  return res;
}
