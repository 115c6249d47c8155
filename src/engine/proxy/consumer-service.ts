import type {
  handleServerStreamingCall,
  ServerWritableStream,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { popReceipt } from '../client/api/client-api.js';
import { ConsumeInitMode, parseNormalTopic } from '../protocol/pop-extra-info.js';
import { fromClassic } from './message-convert.js';
import { clientIdOf, type ServiceContext, unary } from './messaging-service.js';
import { decodeReceiptHandle, encodeReceiptHandle } from './receipt-handle.js';
import { okStatus, ProxyError, type Status, statusOf } from './status.js';
import { type Duration, type Resource, toMillis } from './v2-types.js';

/** Apache's ProxyConfig: long polls are held 5–20 s; leases of a receive last at least 10 s, at most 12 h. */
export const POLLING = { minMs: 5_000, maxMs: 20_000 };
export const INVISIBLE = { minMs: 10_000, maxMs: 12 * 3600 * 1000 };
const MAX_BATCH = 32;

// biome-ignore lint/suspicious/noExplicitAny: proto-loader requests are plain objects
type Req = any;

function validateGroup(g: Resource | undefined | null): string {
  const name = g?.name ?? '';
  if (!name || !/^[%|a-zA-Z0-9_-]+$/.test(name) || name.length > 255)
    throw new ProxyError('ILLEGAL_CONSUMER_GROUP', `consumer group ${JSON.stringify(name)} is illegal`);
  return name;
}

function validateInvisible(ms: number): void {
  if (ms < INVISIBLE.minMs || ms > INVISIBLE.maxMs)
    throw new ProxyError(
      'ILLEGAL_INVISIBLE_TIME',
      `the invisible time is illegal: ${ms} ms (between ${INVISIBLE.minMs} and ${INVISIBLE.maxMs} ms)`,
    );
}

/** ReceiveMessageActivity's polling time: the request's (or what the deadline leaves), clamped to 5–20 s. */
export function pollingTime(requested: Duration | null | undefined, remainingMs: number): number {
  let t = requested ? toMillis(requested) : remainingMs - 1500;
  t = Math.min(Math.max(t, POLLING.minMs), POLLING.maxMs);
  if (t > remainingMs) {
    if (remainingMs >= POLLING.minMs) return remainingMs;
    throw new ProxyError(
      'ILLEGAL_POLLING_TIME',
      'The deadline time remaining is not enough for polling, please check network condition',
    );
  }
  return t;
}

/** ReceiveMessage, AckMessage, ChangeInvisibleDuration and ForwardMessageToDeadLetterQueue over POP. */
export function consumerService(ctx: Omit<ServiceContext, 'extra'>): UntypedServiceImplementation {
  const { backend, clients, log } = ctx;
  const api = backend.api;

  const receiveMessage: handleServerStreamingCall<Req, Req> = (call: ServerWritableStream<Req, Req>) => {
    const finish = (status: Status) => {
      call.write({ status });
      call.end();
    };
    receive(call).catch((err: unknown) => finish(statusOf(err)));
  };

  async function receive(call: ServerWritableStream<Req, Req>): Promise<void> {
    const req = call.request;
    const deadline = call.getDeadline();
    const remaining =
      deadline instanceof Date
        ? deadline.getTime() - Date.now()
        : Number.isFinite(deadline)
          ? Number(deadline) - Date.now()
          : 30_000;
    const poll = pollingTime(req.long_polling_timeout, remaining);
    const group = validateGroup(req.group);
    const topic = req.message_queue?.topic?.name as string;
    if (!topic) throw new ProxyError('ILLEGAL_TOPIC', 'topic name cannot be empty');
    const invisible = toMillis(req.invisible_duration);
    validateInvisible(invisible);
    const batch = Math.min(Math.max(req.batch_size || MAX_BATCH, 1), MAX_BATCH);
    const filterType = req.filter_expression?.type === 'SQL' ? 'SQL92' : 'TAG';
    const exp = req.filter_expression?.expression || '*';
    const settings = clients.get(clientIdOf(call.metadata))?.settings;
    const fifo = (await backend.groupConfig(group, topic)).fifo || settings?.subscription?.fifo === true;
    // The broker named in the queue (1.0.8 names one of the route's); any broker of the topic otherwise.
    let brokerName: string = req.message_queue?.broker?.name ?? '';
    if (!brokerName) brokerName = (await backend.writeQueues(topic))[0]?.brokerName ?? '';
    const addr = await backend.masterAddr(brokerName, topic);
    const r = await api.popMessage(
      addr,
      {
        consumerGroup: group,
        topic,
        queueId: -1,
        maxMsgNums: batch,
        invisibleTime: invisible,
        pollTime: poll,
        bornTime: Date.now(),
        initMode: ConsumeInitMode.MAX,
        expType: filterType,
        exp,
        order: fifo,
        attemptId: req.attempt_id || undefined,
        brokerName,
      },
      poll + backend.timeout,
    );
    if (r.status === 'POLLING_FULL') {
      call.write({ status: { code: 'TOO_MANY_REQUESTS', message: 'polling full' } });
    } else if (r.status !== 'FOUND' || r.msgs.length === 0) {
      call.write({
        status: {
          code: 'MESSAGE_NOT_FOUND',
          message: r.status === 'FOUND' ? 'no match message' : 'no new message',
        },
      });
    } else {
      call.write({ status: okStatus() });
      for (const m of r.msgs) {
        const receiptHandle = encodeReceiptHandle(popReceipt(m), m.commitLogOffset);
        const message = fromClassic(m, {
          topic: parseNormalTopic(m.topic, group),
          receiptHandle,
          invisibleMs: invisible,
        });
        call.write({ message });
      }
    }
    call.end();
  }

  /** Settles the POP lease a receipt handle names (AckMessage, and after a forward to the DLQ). */
  const ackLease = (addr: string, group: string, topic: string, h: ReturnType<typeof decodeReceiptHandle>) =>
    api.ackMessage(
      addr,
      {
        consumerGroup: group,
        topic,
        queueId: h.info.queueId,
        extraInfo: h.popCk,
        offset: h.info.queueOffset!,
        brokerName: h.info.brokerName,
      },
      backend.timeout,
    );

  const ackMessage = unary(log, 'AckMessage', async (req) => {
    const group = validateGroup(req.group);
    const topic = req.topic?.name as string;
    const entries = (req.entries ?? []) as { message_id: string; receipt_handle: string }[];
    if (entries.length === 0) throw new ProxyError('BAD_REQUEST', 'no ack entry');
    const results = await Promise.all(
      entries.map(async (e) => {
        let status: Status;
        try {
          const h = decodeReceiptHandle(e.receipt_handle);
          await ackLease(await backend.masterAddr(h.info.brokerName, topic), group, topic, h);
          status = okStatus();
        } catch (err) {
          status = statusOf(err);
        }
        return { message_id: e.message_id, receipt_handle: e.receipt_handle, status };
      }),
    );
    const codes = new Set(results.map((r) => r.status.code));
    const status: Status =
      codes.size === 1
        ? { code: results[0]!.status.code, message: results[0]!.status.message }
        : { code: 'MULTIPLE_RESULTS', message: 'MULTIPLE_RESULTS' };
    return { status, entries: results };
  });

  const changeInvisibleDuration = unary(log, 'ChangeInvisibleDuration', async (req) => {
    const group = validateGroup(req.group);
    const topic = req.topic?.name as string;
    const ms = toMillis(req.invisible_duration);
    validateInvisible(ms);
    const h = decodeReceiptHandle(req.receipt_handle);
    const addr = await backend.masterAddr(h.info.brokerName, topic);
    const r = await api.changeInvisibleTime(
      addr,
      {
        consumerGroup: group,
        topic,
        queueId: h.info.queueId,
        extraInfo: h.popCk,
        offset: h.info.queueOffset!,
        invisibleTime: ms,
        brokerName: h.info.brokerName,
      },
      backend.timeout,
    );
    return { status: okStatus(), receipt_handle: encodeReceiptHandle(r.extraInfo, h.commitLogOffset) };
  });

  const forwardToDlq = unary(log, 'ForwardMessageToDeadLetterQueue', async (req) => {
    const group = validateGroup(req.group);
    const topic = req.topic?.name as string;
    const h = decodeReceiptHandle(req.receipt_handle);
    if (h.commitLogOffset < 0)
      throw new ProxyError('INVALID_RECEIPT_HANDLE', 'receipt handle carries no commit-log offset');
    const addr = await backend.masterAddr(h.info.brokerName, topic);
    // ProducerProcessor.forwardMessageToDeadLetterQueue: send it back with delay level -1 (straight to
    // %DLQ%group), then settle the lease so it does not come back.
    await api.consumerSendMessageBack(
      addr,
      {
        offset: h.commitLogOffset,
        group,
        delayLevel: -1,
        originMsgId: req.message_id,
        originTopic: topic,
        maxReconsumeTimes: 0,
        brokerName: h.info.brokerName,
      },
      backend.timeout,
    );
    await ackLease(addr, group, topic, h);
    return { status: okStatus() };
  });

  return {
    ReceiveMessage: receiveMessage,
    AckMessage: ackMessage,
    ChangeInvisibleDuration: changeInvisibleDuration,
    ForwardMessageToDeadLetterQueue: forwardToDlq,
  };
}
