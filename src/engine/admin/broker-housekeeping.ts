import type { OffsetWrapper } from '../protocol/bodies/consume-stats.js';
import type { AdminClient } from './admin-client.js';
import { AdminError } from './errors.js';

/** One queue of one group as `brokerConsumeStats` lists it. */
export interface BrokerConsumeRow extends OffsetWrapper {
  topic: string;
  group: string;
  brokerName: string;
  queueId: number;
  diff: number;
}

export interface BrokerConsumeStats {
  brokerAddr: string;
  /** The broker's sum of (broker offset − consumer offset) over every group and queue. */
  totalDiff: number;
  /** Queues with diff ≥ the level asked for (mqadmin prints only those with a last consume time). */
  rows: BrokerConsumeRow[];
}

const byQueue = (a: BrokerConsumeRow, b: BrokerConsumeRow) =>
  a.topic < b.topic
    ? -1
    : a.topic > b.topic
      ? 1
      : a.brokerName < b.brokerName
        ? -1
        : a.brokerName > b.brokerName
          ? 1
          : a.queueId - b.queueId;

/** `brokerConsumeStats -b ADDR [-o order] [-l level] [-t timeoutMs]`: GET_BROKER_CONSUME_STATS in rows. */
export async function brokerConsumeStats(
  admin: AdminClient,
  o: { brokerAddr: string; isOrder: boolean; timeoutMs: number; diffLevel: number },
): Promise<BrokerConsumeStats> {
  const list = await admin.fetchConsumeStatsInBroker(o.brokerAddr, o.isOrder, o.timeoutMs);
  const rows: BrokerConsumeRow[] = [];
  for (const [group, statsOfTopics] of list.consumeStatsList) {
    for (const stats of statsOfTopics) {
      const part: BrokerConsumeRow[] = [];
      for (const [mq, w] of stats.offsetTable) {
        const diff = w.brokerOffset - w.consumerOffset;
        if (diff < o.diffLevel) continue;
        part.push({ topic: mq.topic, group, brokerName: mq.brokerName, queueId: mq.queueId, ...w, diff });
      }
      rows.push(...part.sort(byQueue));
    }
  }
  return { brokerAddr: list.brokerAddr || o.brokerAddr, totalDiff: list.totalDiff, rows };
}

export type HousekeepingOp = 'CLEAN_UNUSED_TOPIC' | 'CLEAN_EXPIRED_CONSUMEQUEUE' | 'DELETE_EXPIRED_COMMITLOG';

export interface HousekeepingResult {
  op: HousekeepingOp;
  /** True when every broker asked answered SUCCESS. */
  result: boolean;
  brokers: Array<{ addr: string; ok: boolean; error?: string }>;
}

/**
 * cleanUnusedTopic / cleanExpiredCQ / deleteExpiredCommitLog: the request on one broker (-b), on every
 * broker (masters and slaves) of a cluster (-c), or of every cluster (neither), as DefaultMQAdminExtImpl does.
 */
export async function brokerHousekeeping(
  admin: AdminClient,
  op: HousekeepingOp,
  target: { brokerAddr?: string; clusterName?: string },
): Promise<HousekeepingResult> {
  let addrs: string[];
  if (target.brokerAddr) {
    addrs = [target.brokerAddr];
  } else {
    const ci = await admin.examineBrokerClusterInfo();
    const clusters = target.clusterName ? [target.clusterName] : Object.keys(ci.clusterAddrTable).sort();
    addrs = [];
    for (const c of clusters) {
      const names = ci.clusterAddrTable[c];
      if (!names) throw new AdminError(`cluster ${c} not found on the name server`);
      for (const n of [...names].sort()) {
        const b = ci.brokerAddrTable[n];
        if (b)
          addrs.push(
            ...Object.entries(b.brokerAddrs)
              .sort((x, y) => Number(x[0]) - Number(y[0]))
              .map(([, a]) => a),
          );
      }
    }
    if (addrs.length === 0) throw new AdminError('no broker registered on the name server');
  }
  const brokers: HousekeepingResult['brokers'] = [];
  for (const addr of addrs) {
    try {
      await admin.brokerHousekeeping(addr, op);
      brokers.push({ addr, ok: true });
    } catch (err) {
      brokers.push({ addr, ok: false, error: (err as Error).message });
    }
  }
  return { op, result: brokers.every((b) => b.ok), brokers };
}
