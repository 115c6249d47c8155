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

/**
 * `queryMsgById -i ID[,ID…] [-t TOPIC]`, as Java's mqadmin: each id is tried as an offset msgId (store host +
 * commit-log offset, what the broker calls offsetMsgId), else as the producer's unique key (the msgId that
 * `producer send` prints), looked up in the brokers' indexes — in TOPIC, or in every topic of the cluster.
 */
export async function queryMsgById(
  admin: AdminClient,
  msgIds: string[],
  opts: { topic?: string } = {},
): Promise<{ messages: TrackedMessage[] }> {
  const out: TrackedMessage[] = [];
  const ci = await admin.examineBrokerClusterInfo();
  for (const id of msgIds) {
    if (!/^[0-9A-Fa-f]{32}$|^[0-9A-Fa-f]{56}$/.test(id)) {
      throw new AdminError(
        `${id} is not a message id: expected the 32 (or, for IPv6 hosts, 56) hex digits that producer send ` +
          'prints as msgId (the unique key) or offsetMsgId',
      );
    }
    let byOffset: { view: MessageView } | { error: Error } | undefined;
    const decoded = decodeOffsetMsgId(id);
    // A unique key decodes too, as the client's IP with its pid in the port's high bytes: only a plausible
    // port is worth a request.
    if (decoded.port > 0 && decoded.port < 65536) {
      try {
        const rec = await admin.viewMessage(decoded.address, decoded.offset);
        const name =
          Object.values(ci.brokerAddrTable).find((b) =>
            Object.values(b.brokerAddrs).includes(decoded.address),
          )?.brokerName ?? '';
        const view = toView(rec, name);
        // A record at that offset is only the answer if the id is really its offset id.
        if (view.offsetMsgId.toUpperCase() === id.toUpperCase()) byOffset = { view };
      } catch (err) {
        byOffset = { error: err as Error };
      }
    }
    let view = byOffset && 'view' in byOffset ? byOffset.view : undefined;
    if (!view) {
      const found = await findByUniqueKey(admin, ci, id.toUpperCase(), opts.topic);
      view = found.view;
      if (!view) {
        const where = opts.topic ? `topic ${opts.topic}` : `${found.topics} topics`;
        const viewErr =
          byOffset && 'error' in byOffset ? ` (as an offset id: ${byOffset.error.message})` : '';
        const unreachable = found.failed.length
          ? `; could not ask ${found.failed.join(', ')}: start them or check the network, then retry`
          : '';
        throw new AdminError(
          `no message with id ${id}: not an offset id of a stored message${viewErr}, and no unique key ` +
            `${id} in ${where} on ${found.brokers} broker(s)${unreachable}`,
          22,
        );
      }
    }
    out.push({ ...view, tracks: await messageTrackDetail(admin, view) });
  }
  return { messages: out };
}

/**
 * The message whose UNIQ_KEY is `key`, through every broker group's index: in `topic`, or in every topic
 * of the cluster (the index is keyed by topic). User topics win over retry/system ones, then the oldest.
 */
async function findByUniqueKey(
  admin: AdminClient,
  ci: Awaited<ReturnType<AdminClient['examineBrokerClusterInfo']>>,
  key: string,
  topic: string | undefined,
): Promise<{ view?: MessageView; topics: number; brokers: number; failed: string[] }> {
  const brokers = Object.values(ci.brokerAddrTable)
    .map((b) => ({ brokerName: b.brokerName, addr: selectBrokerAddr(b) }))
    .filter((b): b is { brokerName: string; addr: string } => !!b.addr);
  const topics = topic ? [topic] : await admin.fetchAllTopicList();
  const jobs = topics.flatMap((t) => brokers.map((b) => ({ topic: t, ...b })));
  const found: MessageView[] = [];
  const failed = new Set<string>();
  // A few index queries in flight: a cluster may hold hundreds of topics.
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const j = jobs[next++]!;
      if (failed.has(`${j.brokerName} (${j.addr})`)) continue;
      try {
        for (const r of await admin.queryMessage(
          j.addr,
          j.topic,
          key,
          32,
          0,
          Number.MAX_SAFE_INTEGER,
          true,
        )) {
          const v = toView(r, j.brokerName);
          if (v.msgId === key) found.push(v);
        }
      } catch {
        failed.add(`${j.brokerName} (${j.addr})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, jobs.length) }, worker));
  const rank = (v: MessageView) =>
    /^(%RETRY%|%DLQ%|SCHEDULE_TOPIC|rmq_sys_|RMQ_SYS_)/.test(v.topic) ? 1 : 0;
  found.sort((a, b) => rank(a) - rank(b) || a.storeTimestamp - b.storeTimestamp);
  return { view: found[0], topics: topics.length, brokers: brokers.length, failed: [...failed] };
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
