import type { MessageQueueData } from '../protocol/bodies/message-queue-key.js';
import { javaHashOrder } from '../protocol/java-hashmap-order.js';
import { type AdminClient, selectBrokerAddr, TOOLS_CONSUMER_GROUP } from './admin-client.js';
import { AdminError } from './errors.js';
import { type MessageView, toView } from './message-ops.js';
import { messageQueueHash } from './queue-ops.js';

/** What `consumeMessage` did, step by step, in the order mqadmin prints it. */
export type ConsumeStep =
  | { type: 'limit'; queueId?: number; count: number }
  | { type: 'found'; messages: MessageView[] }
  | { type: 'noMatched' | 'finished'; mq: MessageQueueData; status: string; offset: number }
  | { type: 'offsetPastEnd'; mq: MessageQueueData; offset: number };

export interface ConsumeMessageOptions {
  topic: string;
  brokerName?: string;
  queueId?: number;
  offset?: number;
  group?: string;
  begin?: number;
  end?: number;
  count: number;
}

/**
 * `consumeMessage -t T [-b BROKER [-i QUEUE [-o OFFSET]]] [-s BEGIN] [-e END] [-c N] [-g GROUP]`: pulls (no
 * offset commit) up to N messages: from every readable queue (in Java HashSet order) or from one queue,
 * from its min offset, BEGIN's offset or OFFSET, as mqadmin's consumeMessage does.
 */
export async function consumeMessage(
  admin: AdminClient,
  o: ConsumeMessageOptions,
): Promise<{ steps: ConsumeStep[] }> {
  if (o.count <= 0) throw new AdminError('Please input a positive messageNumber!');
  if (o.queueId !== undefined && !o.brokerName)
    throw new AdminError('Please set the brokerName before queueId!');
  if (o.offset !== undefined && o.queueId === undefined)
    throw new AdminError('Please set queueId before offset!');
  const now = Date.now();
  if (o.begin !== undefined && o.begin > now)
    throw new AdminError('Please set the beginTimestamp before now!');
  if (o.end !== undefined && o.end > now) throw new AdminError('Please set the endTimestamp before now!');
  if (o.begin !== undefined && o.end !== undefined && o.begin > o.end)
    throw new AdminError(
      'Please make sure that the beginTimestamp is less than or equal to the endTimestamp',
    );
  const route = await admin.examineTopicRouteInfo(o.topic);
  const group = o.group || TOOLS_CONSUMER_GROUP;
  const steps: ConsumeStep[] = [];
  const addrOf = (brokerName: string) => {
    const b = route.brokerDatas.find((x) => x.brokerName === brokerName);
    const addr = b && selectBrokerAddr(b);
    if (!addr) throw new AdminError(`broker ${brokerName} does not serve topic ${o.topic}`);
    return addr;
  };
  const bounds = async (mq: MessageQueueData, addr: string) => {
    let min = await admin.getMinOffset(addr, mq);
    let max = await admin.getMaxOffset(addr, mq);
    if (o.begin !== undefined && o.begin > 0) min = await admin.searchOffset(addr, mq, o.begin);
    if (o.end !== undefined && o.end > 0) max = await admin.searchOffset(addr, mq, o.end);
    return [min, max] as const;
  };
  // mqadmin's loop: max is inclusive, so the last pull finds nothing new and reports the end.
  const pullQueue = async (mq: MessageQueueData, addr: string, min: number, max: number) => {
    for (let offset = min; offset <= max; ) {
      const pr = await admin.pull(addr, mq, '*', offset, Math.min(32, max - offset + 1), group);
      offset = pr.nextBeginOffset;
      if (pr.status === 'FOUND')
        steps.push({ type: 'found', messages: pr.messages.map((r) => toView(r, mq.brokerName)) });
      else if (pr.status === 'NO_MATCHED_MSG')
        steps.push({ type: 'noMatched', mq, status: pr.status, offset });
      else {
        steps.push({ type: 'finished', mq, status: pr.status, offset });
        break;
      }
    }
  };
  if (o.brokerName && o.queueId !== undefined) {
    const mq = { topic: o.topic, brokerName: o.brokerName, queueId: o.queueId };
    const addr = addrOf(o.brokerName);
    let [min, max] = await bounds(mq, addr);
    const offset = o.offset ?? 0;
    if (offset > max) {
      steps.push({ type: 'offsetPastEnd', mq, offset });
      return { steps };
    }
    min = Math.max(min, offset);
    if (max - min > o.count) {
      steps.push({ type: 'limit', count: o.count });
      max = min + o.count - 1;
    }
    await pullQueue(mq, addr, min, max);
    return { steps };
  }
  const all: MessageQueueData[] = [];
  for (const qd of route.queueDatas) {
    if ((qd.perm & 4) === 0) continue;
    for (let q = 0; q < qd.readQueueNums; q++)
      all.push({ topic: o.topic, brokerName: qd.brokerName, queueId: q });
  }
  let left = o.count;
  for (const mq of javaHashOrder(all, messageQueueHash)) {
    if (left <= 0) break;
    const addr = addrOf(mq.brokerName);
    let [min, max] = await bounds(mq, addr);
    if (max - min > left) {
      steps.push({ type: 'limit', queueId: mq.queueId, count: left });
      max = min + left - 1;
      left = 0;
    } else {
      left = left - (max - min) - 1;
    }
    await pullQueue(mq, addr, min, max);
  }
  return { steps };
}
