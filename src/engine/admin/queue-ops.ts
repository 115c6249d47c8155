import { allocateAveragely } from '../client/allocate.js';
import type { MessageQueueData } from '../protocol/bodies/message-queue-key.js';
import type { QueryConsumeQueueBody } from '../protocol/bodies/query-consume-queue.js';
import type { TopicRouteData } from '../protocol/bodies/topic-route-data.js';
import { javaHashMapHash, javaHashOrder } from '../protocol/java-hashmap-order.js';
import { javaHashCode } from '../protocol/message/index.js';
import { type AdminClient, selectBrokerAddr } from './admin-client.js';
import { AdminError } from './errors.js';
import { type MessageView, toView } from './message-ops.js';

function addrOfBrokerName(route: TopicRouteData, topic: string, brokerName: string): string {
  const b = route.brokerDatas.find((x) => x.brokerName === brokerName);
  const addr = b && selectBrokerAddr(b);
  if (!addr) throw new AdminError(`broker ${brokerName} does not serve topic ${topic}`);
  return addr;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface PrintedQueueRange {
  topic: string;
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  /** Messages read in the range (matching the subscription expression). */
  messageCount: number;
  /** Per tag, most frequent first (messages without a tag are not counted, as in mqadmin). */
  tagCounts: TagCount[];
  /** Only when asked for (`-p true`). */
  messages?: MessageView[];
}

/**
 * `printMsgByQueue -t T -a BROKER -i QUEUE [-s EXPR] [-b BEGIN] [-e END]`: pulls the queue from the offset
 * of BEGIN (else its min) up to that of END (else its max), 32 at a time, counting tags.
 */
export async function printMsgByQueue(
  admin: AdminClient,
  o: {
    mq: MessageQueueData;
    subExpression?: string;
    begin?: number;
    end?: number;
    keepMessages: boolean;
  },
): Promise<PrintedQueueRange> {
  const { mq } = o;
  const route = await admin.examineTopicRouteInfo(mq.topic);
  const addr = addrOfBrokerName(route, mq.topic, mq.brokerName);
  const qd = route.queueDatas.find((q) => q.brokerName === mq.brokerName);
  const queues = qd ? Math.max(qd.readQueueNums, qd.writeQueueNums) : 0;
  if (mq.queueId < 0 || mq.queueId >= queues)
    throw new AdminError(
      `queue ${mq.queueId} does not exist: ${mq.topic} has ${queues} queues on ${mq.brokerName}`,
    );
  let minOffset = await admin.getMinOffset(addr, mq);
  let maxOffset = await admin.getMaxOffset(addr, mq);
  if (o.begin !== undefined) minOffset = await admin.searchOffset(addr, mq, o.begin);
  if (o.end !== undefined) maxOffset = await admin.searchOffset(addr, mq, o.end);
  const counts = new Map<string, number>();
  const messages: MessageView[] = [];
  let messageCount = 0;
  for (let offset = minOffset; offset < maxOffset; ) {
    const pr = await admin.pull(addr, mq, o.subExpression ?? '*', offset, 32);
    offset = pr.nextBeginOffset;
    if (pr.status !== 'FOUND') break;
    for (const r of pr.messages) {
      messageCount++;
      const tag = r.properties.TAGS;
      if (tag && tag.trim() !== '') counts.set(tag, (counts.get(tag) ?? 0) + 1);
      if (o.keepMessages) messages.push(toView(r, mq.brokerName));
    }
  }
  // mqadmin sorts a HashMap's entries by count (stable): ties keep the map's iteration order.
  const tags = javaHashOrder([...counts.keys()], javaHashMapHash);
  const tagCounts = tags.map((tag) => ({ tag, count: counts.get(tag)! })).sort((a, b) => b.count - a.count);
  return {
    ...mq,
    minOffset,
    maxOffset,
    messageCount,
    tagCounts,
    ...(o.keepMessages ? { messages } : {}),
  };
}

/** `queryCq -t T -q QUEUE -i INDEX [-c COUNT] [-b ADDR] [-g GROUP]`. */
export async function queryCq(
  admin: AdminClient,
  o: { topic: string; queueId: number; index: number; count: number; brokerAddr?: string; group?: string },
): Promise<QueryConsumeQueueBody & { brokerAddr: string; index: number }> {
  let addr = o.brokerAddr;
  if (!addr) {
    const route = await admin.examineTopicRouteInfo(o.topic);
    addr = route.brokerDatas[0]?.brokerAddrs['0'];
    if (!addr) throw new AdminError(`No topic route data! (no master broker serves ${o.topic})`);
  }
  const body = await admin.queryConsumeQueue(addr, o.topic, o.queueId, o.index, o.count, o.group);
  return { brokerAddr: addr, index: o.index, ...body };
}

export interface ClonedOffset extends MessageQueueData {
  offset: number;
}

/**
 * `cloneGroupOffset -s SRC -d DEST -t TOPIC`: the source group's committed offsets on the topic's queues
 * written for the destination group (UPDATE_CONSUMER_OFFSET per queue, as mqadmin does). Unlike mqadmin,
 * only the named topic's queues are copied, and a source without offsets there is an error.
 */
export async function cloneGroupOffset(
  admin: AdminClient,
  o: { srcGroup: string; destGroup: string; topic: string },
): Promise<{ srcGroup: string; destGroup: string; topic: string; queues: ClonedOffset[] }> {
  const stats = await admin.examineConsumeStats(o.srcGroup);
  const route = await admin.examineTopicRouteInfo(o.topic);
  const mine = stats.offsetTable.filter(([mq, w]) => mq.topic === o.topic && w.consumerOffset >= 0);
  if (mine.length === 0)
    throw new AdminError(`consumer group ${o.srcGroup} has no committed offsets on topic ${o.topic}`);
  const queues: ClonedOffset[] = [];
  for (const [mq, w] of mine.sort((a, b) =>
    a[0].brokerName < b[0].brokerName
      ? -1
      : a[0].brokerName > b[0].brokerName
        ? 1
        : a[0].queueId - b[0].queueId,
  )) {
    const addr = addrOfBrokerName(route, o.topic, mq.brokerName);
    await admin.updateConsumerOffset(addr, o.destGroup, mq, w.consumerOffset);
    queues.push({ ...mq, offset: w.consumerOffset });
  }
  return { ...o, queues };
}

/** MessageQueue.hashCode, spread as HashMap/HashSet do. */
export function messageQueueHash(mq: MessageQueueData): number {
  let h = 31 + javaHashCode(mq.brokerName);
  h = (Math.imul(31, h) + mq.queueId) | 0;
  h = (Math.imul(31, h) + javaHashCode(mq.topic)) | 0;
  return h ^ (h >>> 16);
}

/**
 * `allocateMQ -t TOPIC -i ip1,ip2`: how AllocateMessageQueueAveragely would share the topic's readable
 * queues among these client ids. The queues come in Java HashSet order and the ids as given (mqadmin
 * sorts neither, unlike a real rebalance); `result` keys iterate as Java's HashMap would.
 */
export async function allocateMQ(
  admin: AdminClient,
  topic: string,
  ips: string[],
): Promise<{ result: Record<string, MessageQueueData[]> }> {
  if (ips.length === 0 || ips.some((ip) => ip === ''))
    throw new AdminError('-i needs a comma-separated list of client ids');
  const route = await admin.examineTopicRouteInfo(topic);
  const inserted: MessageQueueData[] = [];
  const seen = new Set<string>();
  for (const qd of route.queueDatas) {
    if ((qd.perm & 4) === 0) continue;
    for (let q = 0; q < qd.readQueueNums; q++) {
      const k = `${qd.brokerName}\u0000${q}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inserted.push({ topic, brokerName: qd.brokerName, queueId: q });
    }
  }
  const mqAll = javaHashOrder(inserted, messageQueueHash);
  const byIp = new Map<string, MessageQueueData[]>();
  for (const ip of ips) byIp.set(ip, allocateAveragely.allocate('', ip, mqAll, ips));
  const order = javaHashOrder([...byIp.keys()], javaHashMapHash);
  return { result: Object.fromEntries(order.map((ip) => [ip, byIp.get(ip)!])) };
}
