import { MASTER_ID, type TopicRouteData } from '../protocol/bodies/topic-route-data.js';
import type { MessageQueue } from './message-queue.js';

/** Perm bits (PermName.java). */
export const Perm = { INHERIT: 1, WRITE: 2, READ: 4, PRIORITY: 8 } as const;

/** Topic template the broker auto-creates unknown topics from. */
export const AUTO_CREATE_TOPIC_KEY = 'TBW102';

/** Where a producer may send for one topic (TopicPublishInfo). */
export interface TopicPublishInfo {
  orderTopic: boolean;
  /** False when built from the TBW102 template because the topic has no route yet. */
  haveTopicRouterInfo: boolean;
  queues: MessageQueue[];
  route: TopicRouteData;
}

/**
 * Writable queues, broker by broker in broker-name order (topicRouteData2TopicPublishInfo). Brokers without
 * a master are skipped: a producer only writes to masters.
 */
export function toPublishInfo(topic: string, route: TopicRouteData): TopicPublishInfo {
  const queues: MessageQueue[] = [];
  let orderTopic = false;
  if (route.orderTopicConf) {
    orderTopic = true;
    for (const item of route.orderTopicConf.split(';')) {
      const [brokerName, nums] = item.split(':');
      if (!brokerName) continue;
      for (let i = 0; i < Number(nums); i++) queues.push({ topic, brokerName, queueId: i });
    }
  } else {
    const qds = [...route.queueDatas].sort((a, b) =>
      a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0,
    );
    for (const qd of qds) {
      if ((qd.perm & Perm.WRITE) === 0) continue;
      const bd = route.brokerDatas.find((b) => b.brokerName === qd.brokerName);
      if (!bd?.brokerAddrs[String(MASTER_ID)]) continue;
      for (let i = 0; i < qd.writeQueueNums; i++)
        queues.push({ topic, brokerName: qd.brokerName, queueId: i });
    }
  }
  return { orderTopic, haveTopicRouterInfo: true, queues, route };
}

/**
 * Why a topic's route gives a producer no queue to write to, in words that name the broker group and the
 * next step: broker groups whose master is offline (their slaves are read-only), or no writable queue.
 */
export function unwritableReason(topic: string, route: TopicRouteData): string {
  const headless: string[] = [];
  const names: string[] = [];
  for (const qd of route.queueDatas) {
    if ((qd.perm & Perm.WRITE) === 0) continue;
    const bd = route.brokerDatas.find((b) => b.brokerName === qd.brokerName);
    if (bd?.brokerAddrs[String(MASTER_ID)]) continue;
    const slaves = Object.entries(bd?.brokerAddrs ?? {})
      .filter(([id]) => id !== String(MASTER_ID))
      .map(([, addr]) => addr);
    names.push(qd.brokerName);
    headless.push(
      slaves.length
        ? `${qd.brokerName} has no master online; its slave${slaves.length > 1 ? 's' : ''} ${slaves.join(', ')} ${slaves.length > 1 ? 'are' : 'is'} read-only`
        : `${qd.brokerName} has no broker online`,
    );
  }
  if (headless.length) {
    return (
      `cannot send to topic ${topic}: ${headless.join('; ')}. Start the master (brokerId=0) of ` +
      `${names.join(', ')} again (mqadmin clusterList shows who is online), or send to a topic on another broker group`
    );
  }
  return (
    `cannot send to topic ${topic}: none of its queues is writable (perm). Give it write permission ` +
    `(mqadmin updateTopicPerm -t ${topic} -p 6 -b <broker>) or check mqadmin wipeWritePerm/addWritePerm`
  );
}

/** Readable queues (topicRouteData2TopicSubscribeInfo). */
export function toSubscribeQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = [];
  for (const qd of route.queueDatas) {
    if ((qd.perm & Perm.READ) === 0) continue;
    for (let i = 0; i < qd.readQueueNums; i++) out.push({ topic, brokerName: qd.brokerName, queueId: i });
  }
  return out;
}

/** Template route for a topic with none yet: TBW102's brokers with at most `queueNums` queues each. */
export function defaultRouteFor(template: TopicRouteData, queueNums: number): TopicRouteData {
  return {
    ...template,
    queueDatas: template.queueDatas.map((q) => ({
      ...q,
      readQueueNums: Math.min(queueNums, q.readQueueNums),
      writeQueueNums: Math.min(queueNums, q.writeQueueNums),
    })),
  };
}

/** Whether two routes differ in anything that changes queue layout or addresses. */
export function routeChanged(a: TopicRouteData | undefined, b: TopicRouteData): boolean {
  if (!a) return true;
  const norm = (r: TopicRouteData) =>
    JSON.stringify({
      q: [...r.queueDatas].sort((x, y) => (x.brokerName < y.brokerName ? -1 : 1)),
      b: [...r.brokerDatas]
        .sort((x, y) => (x.brokerName < y.brokerName ? -1 : 1))
        .map((d) => ({ n: d.brokerName, a: Object.entries(d.brokerAddrs).sort() })),
      o: r.orderTopicConf ?? '',
    });
  return norm(a) !== norm(b);
}
