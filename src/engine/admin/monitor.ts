import type { AdminClient } from './admin-client.js';
import { consumerStatus } from './group-ops.js';

const RETRY_PREFIX = '%RETRY%';

/** A group's backlog on one topic (Java's UndoneMsgs). */
export interface UndoneMsgs {
  consumerGroup: string;
  topic: string;
  /** Messages not consumed yet, over the topic's queues. */
  undoneMsgsTotal: number;
  /** The largest backlog of a single queue. */
  undoneMsgsSingleMQ: number;
  /** How far the newest message is ahead of the group's last consumption (ms), the worst queue. */
  undoneMsgsDelayTimeMills: number;
}

/** Something wrong with a group's clients (DefaultMonitorListener.reportConsumerRunningInfo). */
export interface RunningInfoProblem {
  consumerGroup: string;
  clientId?: string;
  problem: string;
}

export interface MonitorRound {
  beginTimestamp: number;
  spentMs: number;
  undone: UndoneMsgs[];
  runningInfo: RunningInfoProblem[];
}

/**
 * One round of mqadmin's startMonitoring (MonitorService.doMonitorWork): every group with a retry topic
 * that is online gets its backlog per topic (with the delay of its newest message) and a check of its
 * clients' running info (same subscription, no queue held twice, every client answering).
 */
export async function monitorRound(admin: AdminClient): Promise<MonitorRound> {
  const begin = Date.now();
  const undone: UndoneMsgs[] = [];
  const runningInfo: RunningInfoProblem[] = [];
  const groups = (await admin.fetchAllTopicList())
    .filter((t) => t.startsWith(RETRY_PREFIX))
    .map((t) => t.slice(RETRY_PREFIX.length))
    .sort();
  // Master addresses by broker name, read once per round (the delay figure pulls from each queue's master).
  const ci = await admin.examineBrokerClusterInfo();
  const masterOf = (brokerName: string) => ci.brokerAddrTable[brokerName]?.brokerAddrs['0'];
  for (const group of groups) {
    try {
      await admin.examineConsumerConnectionInfo(group); // offline groups are not reported
      undone.push(...(await undoneMsgs(admin, group, masterOf)));
    } catch {
      continue;
    }
    try {
      const st = await consumerStatus(admin, { group });
      if (st.subscriptionSame === false)
        runningInfo.push({ consumerGroup: group, problem: 'Subscription different' });
      for (const q of st.duplicateQueues)
        runningInfo.push({ consumerGroup: group, problem: `queue ${q} is held by more than one client` });
      for (const c of st.clients)
        if (c.error) runningInfo.push({ consumerGroup: group, clientId: c.clientId, problem: c.error });
    } catch {
      // the group went offline meanwhile
    }
  }
  return { beginTimestamp: begin, spentMs: Date.now() - begin, undone, runningInfo };
}

async function undoneMsgs(
  admin: AdminClient,
  group: string,
  masterOf: (brokerName: string) => string | undefined,
): Promise<UndoneMsgs[]> {
  const cs = await admin.examineConsumeStats(group);
  const byTopic = new Map<string, UndoneMsgs>();
  for (const [mq, ow] of cs.offsetTable) {
    let u = byTopic.get(mq.topic);
    if (!u) {
      u = {
        consumerGroup: group,
        topic: mq.topic,
        undoneMsgsTotal: 0,
        undoneMsgsSingleMQ: 0,
        undoneMsgsDelayTimeMills: 0,
      };
      byTopic.set(mq.topic, u);
    }
    const diff = ow.brokerOffset - ow.consumerOffset;
    if (diff > u.undoneMsgsSingleMQ) u.undoneMsgsSingleMQ = diff;
    if (diff > 0) u.undoneMsgsTotal += diff;
    // Delay: the newest message's store time against the group's last consumption on that queue.
    if (ow.lastTimestamp > 0 && diff > 0) {
      try {
        const addr = masterOf(mq.brokerName);
        if (!addr) continue;
        const max = await admin.getMaxOffset(addr, mq);
        if (max <= 0) continue;
        const r = await admin.pull(addr, mq, '*', max - 1, 1);
        const newest = r.status === 'FOUND' ? r.messages[0] : undefined;
        if (newest)
          u.undoneMsgsDelayTimeMills = Math.max(
            u.undoneMsgsDelayTimeMills,
            newest.storeTimestamp - ow.lastTimestamp,
          );
      } catch {
        // a broker not answering: no delay figure for that queue
      }
    }
  }
  return [...byTopic.values()];
}
