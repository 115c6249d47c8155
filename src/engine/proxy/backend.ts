import { MQClientAPI, type SendResult } from '../client/api/client-api.js';
import { AUTO_CREATE_TOPIC_KEY, Perm } from '../client/topic-route.js';
import type { Logger } from '../common/logger.js';
import { parseBodyObject } from '../protocol/bodies/json-util.js';
import type { TopicRouteData } from '../protocol/bodies/topic-route-data.js';
import { decodeOffsetMsgId, encodeBatchBody, encodeProperties, SysFlag } from '../protocol/message/index.js';
import { createRequest, markOneway, type RemotingCommand } from '../protocol/remoting-command.js';
import { RequestCode } from '../protocol/request-code.js';
import { ResponseCode } from '../protocol/response-code.js';
import { expectCode, ResponseError } from '../protocol/response-error.js';
import { type TopicMessageType, topicMessageType } from '../protocol/topic-attributes.js';
import type { RemotingClient } from '../remoting/remoting-client.js';
import type { ClassicMessage } from './message-convert.js';
import { ProxyError } from './status.js';

/** How long a topic's route is reused before the name servers are asked again. */
const ROUTE_TTL_MS = 10_000;

/** What ends a half message: where it is (broker + commit-log offset + half queue offset). */
export interface TransactionRef {
  brokerName: string;
  commitLogOffset: number;
  tranStateTableOffset: number;
  /** The broker's transaction id (the unique key). */
  transactionId: string;
}

/** The v2 transaction_id handed to clients: the ref itself, so any proxy instance can end it (stateless). */
export function encodeTransactionId(ref: TransactionRef): string {
  const text = [ref.brokerName, ref.commitLogOffset, ref.tranStateTableOffset, ref.transactionId].join('\n');
  return Buffer.from(text).toString('base64url');
}

export function decodeTransactionId(id: string): TransactionRef {
  const parts = Buffer.from(id, 'base64url').toString().split('\n');
  const [brokerName, clo, tso, txId] = parts;
  const commitLogOffset = Number(clo);
  const tranStateTableOffset = Number(tso);
  if (
    parts.length !== 4 ||
    !brokerName ||
    !Number.isSafeInteger(commitLogOffset) ||
    !Number.isSafeInteger(tranStateTableOffset)
  )
    throw new ProxyError('INVALID_TRANSACTION_ID', `transaction id is invalid: ${id}`);
  return { brokerName, commitLogOffset, tranStateTableOffset, transactionId: txId ?? '' };
}

/** A CHECK_TRANSACTION_STATE a broker sent: the half message and where it lives. */
export interface TransactionCheck {
  brokerName: string;
  producerGroup: string;
  /** The half message as a stored record (the broker sends it encoded as one). */
  record: Buffer;
  ref: TransactionRef;
}

export interface BackendOptions {
  /** Talks to name servers and brokers: a RemotingClient (cluster mode) or a LocalRemotingClient. */
  remoting: RemotingClient;
  namesrvAddrs: () => string[];
  /** The proxy's identity toward brokers (heartbeats, producer channels). */
  clientId: string;
  log: Logger;
  timeoutMs?: number;
}

/**
 * Everything the gRPC service asks of the cluster, in classic terms. Both proxy modes use this one class;
 * they differ in the RemotingClient underneath (network vs. in-process to the broker the proxy runs in).
 */
export class ProxyBackend {
  readonly api: MQClientAPI;
  private readonly masters = new Map<string, string>();
  private readonly timeoutMs: number;
  private readonly routes = new Map<string, { at: number; route: TopicRouteData }>();
  private readonly groups = new Map<
    string,
    { at: number; value: { fifo: boolean; retryMaxTimes: number } }
  >();
  private checkHandler: ((c: TransactionCheck) => void) | undefined;

  constructor(private readonly o: BackendOptions) {
    this.api = new MQClientAPI(o.remoting);
    this.timeoutMs = o.timeoutMs ?? 3000;
    o.remoting.registerProcessor(RequestCode.CHECK_TRANSACTION_STATE, (req, ch) => {
      this.onCheck(req, ch.remoteAddress);
      return null;
    });
  }

  get remoting(): RemotingClient {
    return this.o.remoting;
  }

  /**
   * The topic's route; TOPIC_NOT_FOUND when the name servers do not know it. Found routes are cached for
   * ROUTE_TTL_MS (Apache's proxy caches them too): a send must not cost a name-server round trip.
   */
  async route(topic: string): Promise<TopicRouteData> {
    const hit = this.routes.get(topic);
    if (hit && Date.now() - hit.at < ROUTE_TTL_MS) return hit.route;
    const route = await this.api.getTopicRoute(this.o.namesrvAddrs(), topic, this.timeoutMs);
    if (!route || route.queueDatas.length === 0 || topic === AUTO_CREATE_TOPIC_KEY)
      throw new ProxyError('TOPIC_NOT_FOUND', `topic ${topic} not found`);
    for (const b of route.brokerDatas) {
      const master = b.brokerAddrs['0'];
      if (master) this.masters.set(b.brokerName, master);
    }
    this.routes.set(topic, { at: Date.now(), route });
    return route;
  }

  /** A broker's master address (from the last route that named it, else from `topic`'s route). */
  async masterAddr(brokerName: string, topic: string): Promise<string> {
    let addr = this.masters.get(brokerName);
    if (!addr) {
      await this.route(topic);
      addr = this.masters.get(brokerName);
    }
    if (!addr)
      throw new ProxyError('NOT_FOUND', `broker ${brokerName} has no master in the route of ${topic}`);
    return addr;
  }

  /** Write queues of a topic in route order: [brokerName, queueId]. */
  async writeQueues(topic: string): Promise<{ brokerName: string; queueId: number }[]> {
    const route = await this.route(topic);
    const out: { brokerName: string; queueId: number }[] = [];
    for (const q of [...route.queueDatas].sort((a, b) => a.brokerName.localeCompare(b.brokerName))) {
      if (!(q.perm & Perm.WRITE) || !this.masters.has(q.brokerName)) continue;
      for (let i = 0; i < q.writeQueueNums; i++) out.push({ brokerName: q.brokerName, queueId: i });
    }
    return out;
  }

  /** Sends one message, or several as one batch, to one queue. */
  async send(
    topic: string,
    brokerName: string,
    queueId: number,
    producerGroup: string,
    msgs: readonly ClassicMessage[],
  ): Promise<SendResult> {
    const addr = await this.masterAddr(brokerName, topic);
    const batch = msgs.length > 1;
    const first = msgs[0]!;
    const body = batch
      ? encodeBatchBody(
          msgs.map((m) => ({ flag: 0, body: m.body, properties: encodeProperties(m.properties) })),
        )
      : first.body;
    const result = await this.api.sendMessage(
      addr,
      brokerName,
      {
        producerGroup,
        topic,
        defaultTopic: AUTO_CREATE_TOPIC_KEY,
        defaultTopicQueueNums: 4,
        queueId,
        sysFlag: first.sysFlag,
        bornTimestamp: Date.now(),
        flag: 0,
        properties: batch ? undefined : encodeProperties(first.properties),
        reconsumeTimes: 0,
        unitMode: false,
        batch,
        brokerName,
      },
      body,
      this.timeoutMs,
    );
    if (!result) throw new Error('no send result');
    return result;
  }

  /** END_TRANSACTION for a half message (commit or rollback). */
  async endTransaction(
    ref: TransactionRef,
    producerGroup: string,
    messageId: string,
    commit: boolean,
    fromCheck: boolean,
    topic: string,
  ): Promise<void> {
    const addr = await this.masterAddr(ref.brokerName, topic);
    const req = createRequest(RequestCode.END_TRANSACTION, {
      producerGroup,
      tranStateTableOffset: ref.tranStateTableOffset,
      commitLogOffset: ref.commitLogOffset,
      commitOrRollback: commit ? SysFlag.TRANSACTION_COMMIT_TYPE : SysFlag.TRANSACTION_ROLLBACK_TYPE,
      fromTransactionCheck: fromCheck,
      msgId: messageId,
      transactionId: ref.transactionId,
    });
    // Java's producer sends it oneway; the proxy waits, so the client learns of a failure.
    expectCode(
      await this.o.remoting.invoke(addr, req, this.timeoutMs),
      `end transaction on ${ref.brokerName}`,
    );
  }

  /** The transaction ref of a half message a send just stored. */
  transactionRef(result: SendResult, brokerName: string): TransactionRef {
    return {
      brokerName,
      commitLogOffset: decodeOffsetMsgId(result.offsetMsgId).offset,
      tranStateTableOffset: result.queueOffset,
      transactionId: result.transactionId ?? '',
    };
  }

  /**
   * Registers the proxy as a producer of `groups` on every broker it knows, so the brokers' transaction
   * checks for those groups come to it (Apache's proxy does the same for its gRPC producers).
   */
  async heartbeatProducers(groups: readonly string[]): Promise<void> {
    if (groups.length === 0) return;
    const data = {
      clientID: this.o.clientId,
      consumerDataSet: [],
      producerDataSet: groups.map((groupName) => ({ groupName })),
    };
    await Promise.all(
      [...new Set(this.masters.values())].map((addr) =>
        this.api.heartbeat(addr, data, this.timeoutMs).catch((err: Error) => {
          this.o.log.warn({ addr, err: err.message }, 'proxy heartbeat to broker failed');
        }),
      ),
    );
  }

  onTransactionCheck(handler: (c: TransactionCheck) => void): void {
    this.checkHandler = handler;
  }

  private onCheck(req: RemotingCommand, remote: string): void {
    const ext = req.extFields ?? {};
    let brokerName = '';
    for (const [name, addr] of this.masters) if (addr === remote) brokerName = name;
    if (!brokerName && this.masters.size === 1) brokerName = [...this.masters.keys()][0]!;
    const body = req.body;
    if (!body || !this.checkHandler) return;
    this.checkHandler({
      brokerName,
      producerGroup: '',
      record: body,
      ref: {
        brokerName,
        commitLogOffset: Number(ext.commitLogOffset),
        tranStateTableOffset: Number(ext.tranStateTableOffset),
        transactionId: ext.transactionId ?? '',
      },
    });
  }

  /**
   * A consumer group's FIFO flag and retry count, from a broker of `topic` (GET_ALL_SUBSCRIPTIONGROUP_CONFIG;
   * a group the broker has no config for gets the defaults, as auto-created groups do). Cached 30 s.
   */
  async groupConfig(
    group: string,
    topic: string | undefined,
  ): Promise<{ fifo: boolean; retryMaxTimes: number }> {
    const hit = this.groups.get(group);
    if (hit && Date.now() - hit.at < 30_000) return hit.value;
    let value = { fifo: false, retryMaxTimes: 16 };
    if (topic) await this.route(topic);
    const addr = [...this.masters.values()][0];
    if (addr) {
      const resp = await this.o.remoting.invoke(
        addr,
        createRequest(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG),
        this.timeoutMs,
      );
      expectCode(resp, 'get subscription group configs');
      const table = (parseBodyObject(resp.body, 'SubscriptionGroupWrapper').subscriptionGroupTable ??
        {}) as Record<string, Record<string, unknown>>;
      const c = table[group];
      if (c)
        value = {
          fifo: c.consumeMessageOrderly === true,
          retryMaxTimes: typeof c.retryMaxTimes === 'number' ? c.retryMaxTimes : 16,
        };
    }
    this.groups.set(group, { at: Date.now(), value });
    return value;
  }

  /** Accepted v2 message types of a topic: its `message.type` attribute; untyped topics are NORMAL. */
  async topicMessageTypes(topic: string): Promise<string[]> {
    const route = await this.route(topic);
    const broker = route.queueDatas.map((q) => q.brokerName).find((b) => this.masters.has(b));
    if (!broker) return ['NORMAL'];
    let type: TopicMessageType;
    try {
      const config = await this.api.getTopicConfig(this.masters.get(broker)!, topic, this.timeoutMs);
      type = topicMessageType(config.attributes);
    } catch (err) {
      // A 4.9 broker has no GET_TOPIC_CONFIG: its topics are untyped, i.e. NORMAL.
      if (err instanceof ResponseError && err.code === ResponseCode.REQUEST_CODE_NOT_SUPPORTED)
        return ['NORMAL'];
      throw err;
    }
    // RouteActivity.parseTopicMessageType
    if (type === 'MIXED') return ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'];
    if (type === 'UNSPECIFIED') return ['MESSAGE_TYPE_UNSPECIFIED'];
    return [type];
  }

  /** One-way request to a broker (used for acks that need no answer). */
  async oneway(addr: string, req: RemotingCommand): Promise<void> {
    await this.o.remoting.invokeOneway(addr, markOneway(req));
  }

  get timeout(): number {
    return this.timeoutMs;
  }
}
