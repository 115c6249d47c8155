import type {
  handleBidiStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  Metadata,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { type MessageExt, toMessageExt } from '../client/message.js';
import { Perm } from '../client/topic-route.js';
import type { Logger } from '../common/logger.js';
import { decodeRecord, MessageConst } from '../protocol/message/index.js';
import {
  decodeTransactionId,
  encodeTransactionId,
  type ProxyBackend,
  type TransactionCheck,
} from './backend.js';
import type { ClientRegistry, ClientSettings, TelemetryStream } from './client-registry.js';
import { queueOfGroup } from './consistent-hash.js';
import { type ClassicMessage, fromClassic, LIMITS, toClassic } from './message-convert.js';
import { okStatus, ProxyError, type Status, statusOf } from './status.js';
import { duration, type Endpoints, type Message, type MessageQueue, type Resource } from './v2-types.js';

export interface ServiceContext {
  backend: ProxyBackend;
  clients: ClientRegistry;
  log: Logger;
  /** host:port clients reach this proxy at, when a request names no endpoints. */
  advertised: () => { host: string; port: number };
  /** Accepted message types of a topic (from its message.type attribute; untyped = NORMAL). */
  topicMessageTypes: (topic: string) => Promise<string[]>;
  /** ACL check of a Telemetry settings command (throws AclError); absent without ACL. */
  authorizeSettings?: (cmd: Req, md: Metadata, peer: string) => void;
  /** Extra handlers (the consumer RPCs) merged into the service. */
  extra?: UntypedServiceImplementation;
}

// biome-ignore lint/suspicious/noExplicitAny: proto-loader requests are plain objects
type Req = any;

export function clientIdOf(md: Metadata): string {
  const v = md.get('x-mq-client-id')[0];
  return v === undefined ? '' : String(v);
}

/** "ipv4:1.2.3.4:5" / "1.2.3.4:5" → "1.2.3.4:5". */
export function peerAddr(peer: string): string {
  return peer.replace(/^ipv[46]:/, '');
}

function validateTopic(t: Resource | undefined | null): string {
  const name = t?.name ?? '';
  if (!name) throw new ProxyError('ILLEGAL_TOPIC', 'topic name cannot be empty');
  if (!/^[%|a-zA-Z0-9_-]+$/.test(name) || name.length > 127)
    throw new ProxyError('ILLEGAL_TOPIC', `topic name ${JSON.stringify(name)} is illegal`);
  return name;
}

/** A unary handler answering errors in the response's status, as Apache's proxy does (gRPC status stays OK). */
export function unary(
  log: Logger,
  name: string,
  fn: (req: Req, md: Metadata, peer: string) => Promise<Record<string, unknown>>,
): handleUnaryCall<Req, Req> {
  return (call, cb) => {
    fn(call.request, call.metadata, call.getPeer()).then(
      (resp) => cb(null, resp),
      (err: unknown) => {
        const status = statusOf(err);
        if (!(err instanceof ProxyError)) log.warn({ rpc: name, err: status.message }, 'rpc failed');
        cb(null, { status });
      },
    );
  };
}

const PERMISSION = (perm: number): string =>
  perm & Perm.READ && perm & Perm.WRITE
    ? 'READ_WRITE'
    : perm & Perm.WRITE
      ? 'WRITE'
      : perm & Perm.READ
        ? 'READ'
        : 'NONE';

/** The Telemetry settings reply for a client (GrpcClientSettingsManager's merge, with Apache's defaults). */
export function mergeSettings(
  s: ClientSettings,
  group?: { fifo: boolean; retryMaxTimes: number },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  if (s.client_type === 'PRODUCER' || s.publishing) {
    out.backoff_policy = {
      max_attempts: 3,
      exponential_backoff: { initial: duration(10), max: duration(1000), multiplier: 2 },
    };
    out.publishing = {
      topics: s.publishing?.topics ?? [],
      max_body_size: LIMITS.maxMessageSize,
      validate_message_type: true,
    };
  } else if (s.subscription) {
    const levels = [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200];
    out.backoff_policy = {
      max_attempts: (group?.retryMaxTimes ?? 16) + 1,
      customized_backoff: { next: levels.map((sec) => duration(sec * 1000)) },
    };
    out.subscription = {
      ...s.subscription,
      receive_batch_size: 32,
      long_polling_timeout: duration(20_000),
      fifo: group?.fifo ?? false,
    };
  }
  out.metric = { on: false };
  return out;
}

/**
 * The RocketMQ 5 MessagingService over a ProxyBackend: routes name this proxy, sends become classic sends,
 * transactions and their checks go through the producer's Telemetry stream.
 */
export function messagingService(ctx: ServiceContext): UntypedServiceImplementation {
  const { backend, clients, log } = ctx;

  const queryRoute = unary(log, 'QueryRoute', async (req) => {
    const topic = validateTopic(req.topic);
    const route = await backend.route(topic);
    const types = await ctx.topicMessageTypes(topic);
    const endpoints: Endpoints = req.endpoints?.addresses?.length
      ? req.endpoints
      : { scheme: 'IPv4', addresses: [ctx.advertised()] };
    const queues: MessageQueue[] = [];
    const masters = new Set(route.brokerDatas.filter((b) => b.brokerAddrs['0']).map((b) => b.brokerName));
    for (const q of [...route.queueDatas].sort((a, b) => a.brokerName.localeCompare(b.brokerName))) {
      if (!masters.has(q.brokerName)) continue;
      const broker = { name: q.brokerName, id: 0, endpoints };
      const n = Math.max(q.readQueueNums, q.writeQueueNums);
      for (let i = 0; i < n; i++) {
        // RouteActivity's split of read-only / write-only / read-write queues, simplified to per-queue perms.
        let perm = q.perm;
        if (i >= q.readQueueNums) perm &= ~Perm.READ;
        if (i >= q.writeQueueNums) perm &= ~Perm.WRITE;
        queues.push({
          topic: { name: topic, resource_namespace: req.topic.resource_namespace ?? '' },
          id: i,
          permission: PERMISSION(perm),
          broker,
          accept_message_types: types,
        });
      }
    }
    return { status: okStatus(), message_queues: queues };
  });

  const heartbeat = unary(log, 'Heartbeat', async (_req, md) => {
    const id = clientIdOf(md);
    if (!id) throw new ProxyError('CLIENT_ID_REQUIRED', 'x-mq-client-id is required');
    clients.touch(id);
    return { status: okStatus() };
  });

  const sendMessage = unary(log, 'SendMessage', async (req, _md, peer) => {
    const messages: Message[] = req.messages ?? [];
    if (messages.length === 0) throw new ProxyError('MESSAGE_CORRUPTED', 'no message to send');
    const topic = validateTopic(messages[0]!.topic);
    const host = peerAddr(peer);
    const classic: ClassicMessage[] = messages.map((m) => {
      if (m.topic?.name !== topic) throw new ProxyError('MESSAGE_CORRUPTED', 'topic in message is not same');
      // The topic is the producer group: how the broker's transaction check finds a producer (Apache does so).
      return toClassic(m, topic, host);
    });
    const queues = await backend.writeQueues(topic);
    if (queues.length === 0) throw new ProxyError('FORBIDDEN', `topic ${topic} has no writable queue`);
    const group = messages.length === 1 ? classic[0]!.messageGroup : undefined;
    let target: { brokerName: string; queueId: number };
    if (group) {
      target = queues[queueOfGroup(group, queues.length)]!;
    } else {
      // selectOneByPipeline: rotate over the write queues.
      sendIndex = (sendIndex + 1) % queues.length;
      target = queues[sendIndex]!;
    }
    const r = await backend.send(topic, target.brokerName, target.queueId, topic, classic);
    if (r.sendStatus !== 'SEND_OK') {
      const code = {
        FLUSH_DISK_TIMEOUT: 'MASTER_PERSISTENCE_TIMEOUT',
        FLUSH_SLAVE_TIMEOUT: 'SLAVE_PERSISTENCE_TIMEOUT',
        SLAVE_NOT_AVAILABLE: 'HA_NOT_AVAILABLE',
      }[r.sendStatus];
      const status: Status = { code, message: `send message failed, sendStatus=${r.sendStatus}` };
      return { status, entries: messages.map(() => ({ status })) };
    }
    const txId = classic[0]!.transactional
      ? encodeTransactionId(backend.transactionRef(r, target.brokerName))
      : '';
    const entries = messages.map((m, i) => ({
      status: okStatus(),
      message_id: m.system_properties.message_id,
      transaction_id: txId,
      offset: r.queueOffset + i,
      recall_handle: '',
    }));
    return { status: okStatus(), entries };
  });
  let sendIndex = -1;

  const endTransaction = unary(log, 'EndTransaction', async (req) => {
    const topic = validateTopic(req.topic);
    if (!req.transaction_id) throw new ProxyError('INVALID_TRANSACTION_ID', 'transaction id cannot be empty');
    const ref = decodeTransactionId(req.transaction_id);
    const resolution = req.resolution as string;
    if (resolution !== 'COMMIT' && resolution !== 'ROLLBACK')
      throw new ProxyError('BAD_REQUEST', `transaction resolution ${resolution} is not COMMIT or ROLLBACK`);
    await backend.endTransaction(
      ref,
      topic,
      req.message_id,
      resolution === 'COMMIT',
      req.source === 'SOURCE_SERVER_CHECK',
      topic,
    );
    return { status: okStatus() };
  });

  const notifyClientTermination = unary(log, 'NotifyClientTermination', async (_req, md) => {
    const id = clientIdOf(md);
    if (!id) throw new ProxyError('CLIENT_ID_REQUIRED', 'x-mq-client-id is required');
    const c = clients.remove(id);
    for (const s of c?.streams ?? []) s.end();
    return { status: okStatus() };
  });

  const queryAssignment = unary(log, 'QueryAssignment', async (req) => {
    const topic = validateTopic(req.topic);
    const route = await backend.route(topic);
    const types = await ctx.topicMessageTypes(topic);
    const endpoints: Endpoints = req.endpoints?.addresses?.length
      ? req.endpoints
      : { scheme: 'IPv4', addresses: [ctx.advertised()] };
    const assignments = [];
    const masters = new Set(route.brokerDatas.filter((b) => b.brokerAddrs['0']).map((b) => b.brokerName));
    for (const q of route.queueDatas) {
      if (!masters.has(q.brokerName) || !(q.perm & Perm.READ) || q.readQueueNums === 0) continue;
      // One assignment per broker with queue id -1: POP reads all of its queues (as Apache's proxy assigns).
      assignments.push({
        message_queue: {
          topic: req.topic,
          id: -1,
          permission: PERMISSION(q.perm),
          broker: { name: q.brokerName, id: 0, endpoints },
          accept_message_types: types,
        },
      });
    }
    return { status: okStatus(), assignments };
  });

  const telemetry: handleBidiStreamingCall<Req, Req> = (call: TelemetryStream) => {
    const id = clientIdOf(call.metadata);
    if (!id) {
      call.write({ status: { code: 'CLIENT_ID_REQUIRED', message: 'x-mq-client-id is required' } });
      call.end();
      return;
    }
    const entry = clients.touch(id);
    entry.streams.add(call);
    const gone = () => entry.streams.delete(call);
    call.on('end', () => {
      gone();
      call.end();
    });
    call.on('error', gone);
    call.on('cancelled', gone);
    call.on('data', (cmd: Req) => {
      clients.touch(id);
      if (cmd.settings) {
        try {
          ctx.authorizeSettings?.(cmd, call.metadata, call.getPeer());
        } catch (err) {
          call.write({ status: statusOf(err) });
          return;
        }
        void onSettings(entry.settings, cmd.settings as ClientSettings).then(
          (reply) => call.write(reply),
          (err: unknown) => call.write({ status: statusOf(err) }),
        );
      }
      // thread_stack_trace / verify_message_result: answers to commands mq never sends; nothing to do.
    });
  };

  async function onSettings(
    current: ClientSettings,
    incoming: ClientSettings,
  ): Promise<Record<string, unknown>> {
    if (!incoming.pub_sub && !incoming.publishing && !incoming.subscription)
      return { status: { code: 'BAD_REQUEST', message: 'settings has neither publishing nor subscription' } };
    Object.assign(current, incoming);
    if (incoming.client_type === 'PRODUCER') {
      // Learn the brokers of its topics, then tell them this proxy produces for those groups.
      for (const t of incoming.publishing?.topics ?? []) await backend.route(t.name).catch(() => undefined);
      await backend.heartbeatProducers(clients.producerGroups());
    }
    let group: { fifo: boolean; retryMaxTimes: number } | undefined;
    const g = incoming.subscription?.group?.name;
    if (g)
      group = await backend
        .groupConfig(g, incoming.subscription?.subscriptions?.[0]?.topic.name)
        .catch(() => undefined);
    return { status: okStatus(), settings: mergeSettings(current, group) };
  }

  // A broker's CHECK_TRANSACTION_STATE: ask a producer of the half message's topic over its Telemetry stream.
  backend.onTransactionCheck((c: TransactionCheck) => {
    let rec: MessageExt;
    try {
      rec = toMessageExt(decodeRecord(c.record), c.brokerName);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'undecodable transaction check');
      return;
    }
    const topic = rec.properties[MessageConst.REAL_TOPIC] ?? rec.topic;
    const stream = clients.streamForTopic(topic);
    if (!stream) {
      log.info({ topic }, 'transaction check: no producer of the topic is connected');
      return;
    }
    const message = fromClassic(rec, { topic });
    stream.write({
      recover_orphaned_transaction_command: { message, transaction_id: encodeTransactionId(c.ref) },
    });
  });

  const notImplemented =
    (name: string): handleUnaryCall<Req, Req> =>
    (_call, cb) =>
      cb(null, { status: { code: 'NOT_IMPLEMENTED', message: `${name} is not implemented by mq` } });
  const notImplementedStream =
    (name: string): handleServerStreamingCall<Req, Req> =>
    (call) => {
      call.write({ status: { code: 'NOT_IMPLEMENTED', message: `${name} is not implemented by mq` } });
      call.end();
    };

  return {
    QueryRoute: queryRoute,
    Heartbeat: heartbeat,
    SendMessage: sendMessage,
    QueryAssignment: queryAssignment,
    EndTransaction: endTransaction,
    Telemetry: telemetry,
    NotifyClientTermination: notifyClientTermination,
    ReceiveMessage: notImplementedStream('ReceiveMessage'),
    AckMessage: notImplemented('AckMessage'),
    ChangeInvisibleDuration: notImplemented('ChangeInvisibleDuration'),
    ForwardMessageToDeadLetterQueue: notImplemented('ForwardMessageToDeadLetterQueue'),
    PullMessage: notImplementedStream('PullMessage'),
    UpdateOffset: notImplemented('UpdateOffset'),
    GetOffset: notImplemented('GetOffset'),
    QueryOffset: notImplemented('QueryOffset'),
    RecallMessage: notImplemented('RecallMessage'),
    ...ctx.extra,
  };
}
