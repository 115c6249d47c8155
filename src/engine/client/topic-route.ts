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
