import type { ConsumerConnection } from '../protocol/bodies/client-connection.js';
import type { ConsumeStats } from '../protocol/bodies/consume-stats.js';
import type { MessageQueueData } from '../protocol/bodies/message-queue-key.js';
import { masterAddr } from '../protocol/bodies/topic-route-data.js';
import { ResponseCode } from '../protocol/response-code.js';
import {
  type AdminClient,
  RETRY_GROUP_TOPIC_PREFIX,
  selectBrokerAddr,
  TOOLS_CONSUMER_GROUP,
} from './admin-client.js';
import { AdminError } from './errors.js';
import { versionDesc } from './mq-version.js';

/** One queue's progress: the broker's max offset, the group's committed offset and their difference. */
export interface QueueProgress {
  topic: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  /** With showClientIp: the IP of the client holding the queue, null when nobody does. */
  clientIp?: string | null;
  diff: number;
  /** Store time of the last consumed message (ms), 0 when unknown. */
  lastTimestamp: number;
}

export interface ConsumerProgress {
  group: string;
  queues: QueueProgress[];
  consumeTps: number;
  diffTotal: number;
  /** Brokers of the group that did not answer: their queues are missing from `queues`. */
  unreachable?: UnreachableBroker[];
}

export interface UnreachableBroker {
  brokerName: string;
  addr: string;
  error: string;
}

/** Java's MessageQueue order: topic, broker name, queue id. */
export function compareQueues(a: MessageQueueData, b: MessageQueueData): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

export function queueKey(mq: MessageQueueData): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}

export function progressFromStats(
  group: string,
  stats: ConsumeStats,
  owners?: Map<string, string>,
): ConsumerProgress {
  const queues = stats.offsetTable
    .map(([mq, w]): QueueProgress => {
      const q: QueueProgress = {
        topic: mq.topic,
        brokerName: mq.brokerName,
        queueId: mq.queueId,
        brokerOffset: w.brokerOffset,
        consumerOffset: w.consumerOffset,
        diff: w.brokerOffset - w.consumerOffset,
        lastTimestamp: w.lastTimestamp,
      };
      if (owners) q.clientIp = owners.get(queueKey(mq)) ?? null;
      return q;
    })
    .sort(compareQueues);
  return {
    group,
    queues,
    consumeTps: stats.consumeTps,
    diffTotal: queues.reduce((s, q) => s + q.diff, 0),
  };
}

/**
 * `consumerProgress -g GROUP`: GET_CONSUME_STATS on every broker of the group's retry topic, merged and
 * sorted. With `showClientIp`, also asks each connected client which queues it holds.
 */
export async function consumerProgress(
  admin: AdminClient,
  group: string,
  showClientIp = false,
): Promise<ConsumerProgress> {
  const { stats, unreachable } = await consumeStatsOfReachable(admin, group);
  const owners = showClientIp ? await queueOwners(admin, group) : undefined;
  const p = progressFromStats(group, stats, owners);
  if (unreachable.length) p.unreachable = unreachable;
  return p;
}

/** "could not reach broker-b (127.0.0.1:10911): connect ECONNREFUSED …" for each broker that failed. */
export function unreachableText(list: UnreachableBroker[]): string {
  return list.map((u) => `${u.brokerName} (${u.addr}): ${u.error}`).join('; ');
}

/**
 * examineConsumeStats that keeps going when a broker does not answer: the queues of the brokers that did,
 * and which ones did not (a broker down but still listed by the name server, a partition, …).
 */
async function consumeStatsOfReachable(
  admin: AdminClient,
  group: string,
): Promise<{ stats: ConsumeStats; unreachable: UnreachableBroker[] }> {
  const route = await admin.routeOfGroup(group);
  const stats: ConsumeStats = { consumeTps: 0, offsetTable: [] };
  const unreachable: UnreachableBroker[] = [];
  await Promise.all(
    route.brokerDatas.map(async (bd) => {
      const addr = selectBrokerAddr(bd);
      if (!addr) return;
      try {
        const cs = await admin.getConsumeStats(addr, group);
        stats.offsetTable.push(...cs.offsetTable);
        stats.consumeTps += cs.consumeTps;
      } catch (err) {
        unreachable.push({ brokerName: bd.brokerName, addr, error: (err as Error).message });
      }
    }),
  );
  if (stats.offsetTable.length === 0) {
    if (unreachable.length) {
      throw new AdminError(
        `consumer group ${group}: no broker answered; could not reach ${unreachableText(unreachable)}. ` +
          'Check they are running (mqadmin clusterList) and reachable, then retry',
      );
    }
    throw new AdminError(
      `consumer group ${group} has no consume stats: the offset table is empty (the group has not consumed any message)`,
      ResponseCode.CONSUMER_NOT_ONLINE,
    );
  }
  return { stats, unreachable };
}

/** queue → client IP, from each client's running info (GET_CONSUMER_RUNNING_INFO); empty if offline. */
async function queueOwners(admin: AdminClient, group: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cc: ConsumerConnection;
  try {
    cc = await admin.examineConsumerConnectionInfo(group);
  } catch {
    return out;
  }
  const route = await admin.routeOfGroup(group);
  const addr = route.brokerDatas.map(masterAddr).find(Boolean);
  if (!addr) return out;
  for (const conn of cc.connectionSet) {
    try {
      const info = await admin.getConsumerRunningInfo(addr, group, conn.clientId, false);
      for (const [mq] of info.mqTable) out.set(queueKey(mq), conn.clientId.split('@')[0]!);
    } catch {
      // A client that cannot answer just shows N/A for its queues, as in Java.
    }
  }
  return out;
}

/** One row of the group summary (`consumerProgress` without -g). */
export interface GroupSummary {
  group: string;
  count: number;
  version: number | null;
  versionDesc: string;
  consumeType: string;
  messageModel: string;
  consumeTps: number;
  diffTotal: number;
}

const SYSTEM_GROUPS = new Set([
  'DEFAULT_CONSUMER',
  'DEFAULT_PRODUCER',
  TOOLS_CONSUMER_GROUP,
  'FILTERSRV_CONSUMER',
  '__MONITOR_CONSUMER',
  'CLIENT_INNER_PRODUCER',
  'SELF_TEST_P_GROUP',
  'SELF_TEST_C_GROUP',
  'CID_ONS-HTTP-PROXY',
  'CID_ONSAPI_PERMISSION',
  'CID_ONSAPI_OWNER',
  'CID_ONSAPI_PULL',
  'SCHEDULE_CONSUMER',
]);

export function isSystemGroup(group: string): boolean {
  return SYSTEM_GROUPS.has(group) || group.startsWith('CID_RMQ_SYS_');
}

/**
 * Every consumer group's summary. Groups come from the brokers' subscription groups (so a group with no
 * retry topic still shows) plus the `%RETRY%` topics on the name server (groups auto-created elsewhere).
 */
export async function groupSummaries(admin: AdminClient): Promise<GroupSummary[]> {
  const groups = new Set<string>();
  const ci = await admin.examineBrokerClusterInfo();
  for (const b of Object.values(ci.brokerAddrTable)) {
    const m = masterAddr(b);
    if (!m) continue;
    const w = await admin.getAllSubscriptionGroup(m);
    for (const g of Object.keys(w.subscriptionGroupTable)) if (!isSystemGroup(g)) groups.add(g);
  }
  for (const t of await admin.fetchAllTopicList()) {
    if (t.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      const g = t.slice(RETRY_GROUP_TOPIC_PREFIX.length);
      if (!isSystemGroup(g)) groups.add(g);
    }
  }
  const out: GroupSummary[] = [];
  for (const group of [...groups].sort()) out.push(await groupSummary(admin, group));
  return out;
}

export async function groupSummary(admin: AdminClient, group: string): Promise<GroupSummary> {
  const s: GroupSummary = {
    group,
    count: 0,
    version: null,
    versionDesc: 'OFFLINE',
    consumeType: '',
    messageModel: '',
    consumeTps: 0,
    diffTotal: 0,
  };
  try {
    const cs = await admin.examineConsumeStats(group);
    s.consumeTps = Math.trunc(cs.consumeTps);
    s.diffTotal = cs.offsetTable.reduce((sum, [, w]) => sum + (w.brokerOffset - w.consumerOffset), 0);
  } catch (err) {
    if (!isAbsent(err)) throw err;
  }
  try {
    const cc = await admin.examineConsumerConnectionInfo(group);
    s.count = cc.connectionSet.length;
    s.version = Math.min(...cc.connectionSet.map((c) => c.version));
    s.versionDesc = versionDesc(s.version);
    s.consumeType = cc.consumeType === 'CONSUME_ACTIVELY' ? 'PULL' : 'PUSH';
    s.messageModel = cc.consumeType === 'CONSUME_PASSIVELY' ? (cc.messageModel ?? '') : '';
  } catch (err) {
    if (!isAbsent(err)) throw err;
  }
  return s;
}

/** "Nothing there" answers (offline group, no stats, no retry topic), as opposed to a broken broker. */
function isAbsent(err: unknown): boolean {
  const code = (err as AdminError).code;
  return (
    err instanceof AdminError &&
    (code === ResponseCode.CONSUMER_NOT_ONLINE ||
      code === ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST ||
      code === ResponseCode.TOPIC_NOT_EXIST)
  );
}
