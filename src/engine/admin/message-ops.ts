import { type MessageExt, toMessageExt } from '../client/message.js';
import { Producer } from '../client/producer/producer.js';
import type { MessageQueueData } from '../protocol/bodies/message-queue-key.js';
import type { TopicRouteData } from '../protocol/bodies/topic-route-data.js';
import { decodeOffsetMsgId } from '../protocol/message/message-id.js';
import type { DecodedRecord } from '../protocol/message/record.js';
import { type AdminClient, selectBrokerAddr } from './admin-client.js';
import { AdminError } from './errors.js';
import { type MessageTrack, messageTrackDetail } from './message-track.js';

/** A message as the admin commands show it: MessageExt with the body as text and base64. */
export interface MessageView extends Omit<MessageExt, 'body'> {
  /** UTF-8 text of the body (lossy for binary bodies; use bodyBase64 then). */
  body: string;
  bodyBase64: string;
  bodyLength: number;
}

/** A message with what each consumer group did with it (queryMsgById, queryMsgByUniqueKey). */
export interface TrackedMessage extends MessageView {
  tracks: MessageTrack[];
}

export function toView(r: DecodedRecord, brokerName: string): MessageView {
  const m = toMessageExt(r, brokerName);
  return {
    ...m,
    body: m.body.toString('utf8'),
    bodyBase64: m.body.toString('base64'),
    bodyLength: m.body.length,
  };
}

function brokerNameOf(route: TopicRouteData | undefined, addr: string): string {
  return route?.brokerDatas.find((b) => Object.values(b.brokerAddrs).includes(addr))?.brokerName ?? '';
}

/** `queryMsgById -i ID[,ID…]`: offset msgIds name the broker (store host) and the commit-log offset. */
export async function queryMsgById(
  admin: AdminClient,
  msgIds: string[],
): Promise<{ messages: TrackedMessage[] }> {
  const out: TrackedMessage[] = [];
  const ci = await admin.examineBrokerClusterInfo();
  for (const id of msgIds) {
    let decoded: ReturnType<typeof decodeOffsetMsgId>;
    try {
      decoded = decodeOffsetMsgId(id);
    } catch {
      throw new AdminError(
        `${id} is not an offset message id (use queryMsgByUniqueKey -t TOPIC for client ids)`,
      );
    }
    const rec = await admin.viewMessage(decoded.address, decoded.offset);
    const name =
      Object.values(ci.brokerAddrTable).find((b) => Object.values(b.brokerAddrs).includes(decoded.address))
        ?.brokerName ?? '';
    const view = toView(rec, name);
    out.push({ ...view, tracks: await messageTrackDetail(admin, view) });
  }
  return { messages: out };
}

/** Every distinct broker address to ask for an index query (one per broker group). */
export function queryAddrs(route: TopicRouteData): Array<{ addr: string; brokerName: string }> {
  const out: Array<{ addr: string; brokerName: string }> = [];
  for (const b of route.brokerDatas) {
    const addr = selectBrokerAddr(b);
    if (addr) out.push({ addr, brokerName: b.brokerName });
  }
  return out;
}

/** `queryMsgByKey -t TOPIC -k KEY`: index lookup on every broker of the topic (up to 64 each). */
export async function queryMsgByKey(
  admin: AdminClient,
  topic: string,
  key: string,
  maxNum = 64,
): Promise<{ topic: string; key: string; messages: MessageView[] }> {
  const route = await admin.examineTopicRouteInfo(topic);
  const out: MessageView[] = [];
  for (const { addr, brokerName } of queryAddrs(route)) {
    for (const r of await admin.queryMessage(addr, topic, key, maxNum, 0, Number.MAX_SAFE_INTEGER, false)) {
      const v = toView(r, brokerName);
      // The index matches hashes: keep only messages that really carry the key (as MQAdminImpl does).
      if (v.topic === topic && (v.keys ?? '').split(' ').includes(key)) out.push(v);
    }
  }
  return { topic, key, messages: out };
}

/** `queryMsgByUniqueKey -t TOPIC -i UNIQ_KEY [-a]`: oldest first; only the first unless `all`. */
export async function queryMsgByUniqueKey(
  admin: AdminClient,
  topic: string,
  msgId: string,
  all = false,
): Promise<{ topic: string; msgId: string; messages: TrackedMessage[] }> {
  const route = await admin.examineTopicRouteInfo(topic);
  const found: MessageView[] = [];
  for (const { addr, brokerName } of queryAddrs(route)) {
    for (const r of await admin.queryMessage(addr, topic, msgId, 32, 0, Number.MAX_SAFE_INTEGER, true)) {
      const v = toView(r, brokerName);
      if (v.topic === topic && v.msgId === msgId) found.push(v);
    }
  }
  if (found.length === 0) throw new AdminError(`no message with unique key ${msgId} in topic ${topic}`, 22);
  found.sort((a, b) => a.storeTimestamp - b.storeTimestamp);
  const messages: TrackedMessage[] = [];
  for (const m of all ? found : found.slice(0, 1))
    messages.push({ ...m, tracks: await messageTrackDetail(admin, m) });
  return { topic, msgId, messages };
}

async function queueAddr(_admin: AdminClient, route: TopicRouteData, brokerName: string): Promise<string> {
  const b = route.brokerDatas.find((x) => x.brokerName === brokerName);
  const addr = b && selectBrokerAddr(b);
  if (!addr)
    throw new AdminError(
      `broker ${brokerName} does not serve topic ${route.brokerDatas.length ? 'this topic' : ''}`,
    );
  return addr;
}

/** `queryMsgByOffset -t T -b BROKER -i QUEUE -o OFFSET`: the message at one consume-queue offset. */
export async function queryMsgByOffset(
  admin: AdminClient,
  mq: MessageQueueData,
  offset: number,
): Promise<{ message: MessageView }> {
  const route = await admin.examineTopicRouteInfo(mq.topic);
  const addr = await queueAddr(admin, route, mq.brokerName);
  const pr = await admin.pull(addr, mq, '*', offset, 1);
  const rec = pr.messages[0];
  if (pr.status !== 'FOUND' || !rec) {
    throw new AdminError(
      `no message at offset ${offset} of ${mq.topic}/${mq.brokerName}/${mq.queueId} (${pr.status}, queue holds ${pr.minOffset}..${pr.maxOffset})`,
      22,
    );
  }
  return { message: toView(rec, brokerNameOf(route, addr) || mq.brokerName) };
}

export interface PrintedQueue {
  topic: string;
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  messages: MessageView[];
  /** How the walk over the queue ended (PullStatus of the last pull, or RANGE_DONE). */
  endStatus: string;
}

/**
 * `printMsg -t TOPIC [-s TAGS] [-b BEGIN] [-e END]`: walks every readable queue of the topic between the
 * offsets of the two timestamps (default: the whole queue), 32 messages per pull.
 */
export async function printMsg(
  admin: AdminClient,
  o: { topic: string; subExpression?: string; begin?: number; end?: number; limitPerQueue?: number },
): Promise<{ topic: string; queues: PrintedQueue[] }> {
  const route = await admin.examineTopicRouteInfo(o.topic);
  const out: PrintedQueue[] = [];
  const sub = o.subExpression ?? '*';
  for (const q of [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : 1))) {
    const addr = await queueAddr(admin, route, q.brokerName);
    for (let queueId = 0; queueId < q.readQueueNums; queueId++) {
      const mq = { topic: o.topic, brokerName: q.brokerName, queueId };
      let minOffset = await admin.getMinOffset(addr, mq);
      let maxOffset = await admin.getMaxOffset(addr, mq);
      if (o.begin !== undefined) minOffset = await admin.searchOffset(addr, mq, o.begin);
      if (o.end !== undefined) maxOffset = await admin.searchOffset(addr, mq, o.end);
      const pq: PrintedQueue = { ...mq, minOffset, maxOffset, messages: [], endStatus: 'RANGE_DONE' };
      for (let offset = minOffset; offset < maxOffset; ) {
        const pr = await admin.pull(addr, mq, sub, offset, 32);
        offset = pr.nextBeginOffset;
        if (pr.status === 'FOUND') {
          for (const r of pr.messages)
            if (r.queueOffset < maxOffset) pq.messages.push(toView(r, q.brokerName));
        } else if (pr.status !== 'NO_MATCHED_MSG') {
          pq.endStatus = pr.status;
          break;
        }
        if (o.limitPerQueue && pq.messages.length >= o.limitPerQueue) break;
      }
      out.push(pq);
    }
  }
  return { topic: o.topic, queues: out };
}

export interface SendMessageResult {
  brokerName: string;
  queueId: number;
  sendStatus: string;
  msgId: string;
  offsetMsgId: string;
  queueOffset: number;
}

/** `sendMessage -t T -p BODY [-k KEYS] [-c TAGS] [-b BROKER [-i QUEUE]]` through a short-lived producer. */
export async function sendMessage(
  namesrvAddr: string,
  o: { topic: string; body: string; keys?: string; tags?: string; brokerName?: string; queueId?: number },
): Promise<SendMessageResult> {
  if (o.queueId !== undefined && !o.brokerName)
    throw new AdminError('Broker name must be set if the queue is chosen!');
  const producer = new Producer({
    namesrvAddr,
    groupName: `mqadmin_${Date.now()}`,
    instanceName: `mqadmin_${process.pid}_${Date.now()}`,
  });
  await producer.start();
  try {
    const queue =
      o.brokerName && o.queueId !== undefined
        ? { topic: o.topic, brokerName: o.brokerName, queueId: o.queueId }
        : undefined;
    const r = await producer.send(
      { topic: o.topic, body: Buffer.from(o.body, 'utf8'), keys: o.keys, tags: o.tags },
      queue ? { queue } : {},
    );
    return {
      brokerName: r.messageQueue.brokerName,
      queueId: r.messageQueue.queueId,
      sendStatus: r.sendStatus,
      msgId: r.msgId,
      offsetMsgId: r.offsetMsgId,
      queueOffset: r.queueOffset,
    };
  } finally {
    await producer.shutdown();
  }
}
