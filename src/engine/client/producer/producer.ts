import { deflateSync } from 'node:zlib';
import {
  encodeBatchBody,
  encodeProperties,
  parseProperties,
  SysFlag,
  UniqKeyGenerator,
} from '../../protocol/message/index.js';
import type { SendMessageRequestHeader } from '../../protocol/requests/send-message.js';
import { ResponseCode } from '../../protocol/response-code.js';
import { ResponseError } from '../../protocol/response-error.js';
import type { SendResult } from '../api/client-api.js';
import { type ClientConfig, checkGroup, localIp } from '../client-config.js';
import { MQClientInstance, type ProducerInner } from '../client-instance.js';
import { LatencyFaultTolerance } from '../fault-tolerance.js';
import type { Message } from '../message.js';
import type { MessageQueue } from '../message-queue.js';
import { type QueueSelector, selectByHash } from '../queue-selector.js';
import { AUTO_CREATE_TOPIC_KEY, type TopicPublishInfo, unwritableReason } from '../topic-route.js';
import { TraceDispatcher } from '../trace/trace-dispatcher.js';
import {
  bodyBuffer,
  checkMessage,
  checkPropertiesSize,
  DEFAULT_MAX_MESSAGE_SIZE,
  messageProperties,
} from './message-validator.js';

export type { SendResult };

export interface ProducerOptions extends ClientConfig {
  /** Producer group, default `DEFAULT_PRODUCER`. */
  groupName?: string;
  /** Per-send timeout in ms, covering retries (Java default 3000). */
  sendMsgTimeout?: number;
  /** Extra attempts on another broker after a failure (Java default 2). */
  retryTimesWhenSendFailed?: number;
  /** Bodies at least this large are zlib-compressed (Java default 4096). */
  compressMsgBodyOverHowmuch?: number;
  compressLevel?: number;
  maxMessageSize?: number;
  /** Queues per broker for an auto-created topic (Java default 4). */
  defaultTopicQueueNums?: number;
  /** Keep slow or failing brokers out of selection for a while (on by default here). */
  sendLatencyFaultEnable?: boolean;
  /** Send a trace record of every answered send to the trace topic (Java's enableMsgTrace). */
  enableMsgTrace?: boolean;
  /** Where trace records go (Java's customizedTraceTopic); default RMQ_SYS_TRACE_TOPIC. */
  traceTopic?: string;
}

export interface SendOptions {
  timeout?: number;
  /** Send to this exact queue (no retry on another broker). */
  queue?: MessageQueue;
}

/** Codes after which Java retries on another broker (DefaultMQProducer.retryResponseCodes). */
const RETRY_CODES = new Set<number>([
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
  ResponseCode.SYSTEM_BUSY,
]);

interface PreparedMessage {
  topic: string;
  body: Buffer;
  sysFlag: number;
  flag: number;
  properties: string;
  uniqKey: string;
  reconsumeTimes: number;
  maxReconsumeTimes?: number;
}

/**
 * DefaultMQProducer: sends to the queues of a topic round-robin, retrying on another broker and keeping
 * slow/failed brokers aside; compresses big bodies; tags every message with a UNIQ_KEY.
 */
export class Producer implements ProducerInner {
  readonly groupName: string;
  private readonly opts: ProducerOptions;
  private instance: MQClientInstance | null = null;
  private readonly publishInfo = new Map<string, TopicPublishInfo>();
  private readonly faults = new LatencyFaultTolerance();
  private sendWhichQueue = Math.floor(Math.random() * 1024);
  private readonly uniq: UniqKeyGenerator;
  private readonly sendTimeout: number;
  private readonly retries: number;
  private readonly compressOver: number;
  private readonly maxMessageSize: number;
  /** Message trace (enableMsgTrace): records of answered sends, sent in the background. */
  private readonly trace: TraceDispatcher | undefined;

  constructor(opts: ProducerOptions = {}) {
    this.opts = opts;
    this.groupName = opts.groupName ?? 'DEFAULT_PRODUCER';
    this.sendTimeout = opts.sendMsgTimeout ?? 3000;
    this.retries = opts.retryTimesWhenSendFailed ?? 2;
    this.compressOver = opts.compressMsgBodyOverHowmuch ?? 4096;
    this.maxMessageSize = opts.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.uniq = new UniqKeyGenerator(Uint8Array.from((opts.clientIP || localIp()).split('.').map(Number)));
    if (opts.enableMsgTrace) {
      this.trace = new TraceDispatcher(
        (m) => this.send(m),
        (err) => this.instance?.log.warn({ err: String(err) }, 'message trace not sent'),
        opts.traceTopic,
      );
    }
  }

  get clientId(): string | undefined {
    return this.instance?.clientId;
  }

  async start(): Promise<void> {
    if (this.instance) return;
    checkGroup(this.groupName);
    const inst = MQClientInstance.getOrCreate(this.opts);
    if (inst.namesrvAddrs.length === 0)
      throw new Error('no name server address set (use -n host:port or NAMESRV_ADDR)');
    inst.registerProducer(this);
    inst.start();
    this.instance = inst;
  }

  async shutdown(): Promise<void> {
    const inst = this.instance;
    if (!inst) return;
    await this.trace?.close();
    this.instance = null;
    await inst.unregisterProducer(this.groupName);
  }

  private get inst(): MQClientInstance {
    if (!this.instance) throw new Error('the producer is not started (call start() first)');
    return this.instance;
  }

  // ---- ProducerInner

  publishTopics(): string[] {
    return [...this.publishInfo.keys()];
  }

  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void {
    const cur = this.publishInfo.get(topic);
    // A real route always wins over the TBW102 template; the template never replaces a real route.
    if (!info.haveTopicRouterInfo && cur?.haveTopicRouterInfo) return;
    this.publishInfo.set(topic, info);
  }

  /** Route for `topic`, falling back to the TBW102 template so the broker auto-creates it. */
  async findPublishInfo(topic: string): Promise<TopicPublishInfo> {
    let info = this.publishInfo.get(topic);
    if (info && info.queues.length > 0) return info;
    const found = await this.inst.updateTopicRoute(topic);
    info = this.publishInfo.get(topic);
    if (info && info.queues.length > 0) return info;
    // The topic exists but nothing of it takes writes (no master online, perm): say so. As in Java, the
    // TBW102 template is only for topics the name server does not know (it would create the topic elsewhere).
    const route = found ? this.inst.getRoute(topic) : undefined;
    if (route) throw new Error(unwritableReason(topic, route));
    await this.inst.updateTopicRoute(topic, true, this.opts.defaultTopicQueueNums ?? 4);
    info = this.publishInfo.get(topic);
    if (info && info.queues.length > 0) return info;
    throw new Error(
      `no route info of topic ${topic}: it does not exist and the brokers do not auto-create topics`,
    );
  }

  /** Round-robin over queues, skipping `avoidBroker` (the one that just failed) and brokers in back-off. */
  selectQueue(info: TopicPublishInfo, avoidBroker?: string): MessageQueue {
    const qs = info.queues;
    const start = this.sendWhichQueue++;
    if (this.opts.sendLatencyFaultEnable !== false) {
      for (let i = 0; i < qs.length; i++) {
        const mq = qs[(start + i) % qs.length]!;
        if (mq.brokerName !== avoidBroker && this.faults.isAvailable(mq.brokerName)) return mq;
      }
      const best = this.faults.pickOneAtLeast(
        [...new Set(qs.map((q) => q.brokerName))].filter((b) => b !== avoidBroker),
      );
      if (best) {
        const onBest = qs.filter((q) => q.brokerName === best);
        return onBest[start % onBest.length]!;
      }
    } else if (avoidBroker) {
      for (let i = 0; i < qs.length; i++) {
        const mq = qs[(start + i) % qs.length]!;
        if (mq.brokerName !== avoidBroker) return mq;
      }
    }
    return qs[start % qs.length]!;
  }

  // ---- sending

  /** Builds header inputs for one message: validation, properties, UNIQ_KEY, compression. */
  prepare(msg: Message, compress = true): PreparedMessage {
    let body = bodyBuffer(msg.body);
    checkMessage(msg, body, this.maxMessageSize);
    const uniqKey = msg.properties?.UNIQ_KEY ?? this.uniq.next();
    const properties = encodeProperties(messageProperties(msg, uniqKey));
    checkPropertiesSize(properties);
    let sysFlag = 0;
    if (compress && body.length >= this.compressOver) {
      body = deflateSync(body, { level: this.opts.compressLevel ?? 5 });
      sysFlag |= SysFlag.COMPRESSED | 0x300;
    }
    return { topic: msg.topic, body, sysFlag, flag: msg.flag ?? 0, properties, uniqKey, reconsumeTimes: 0 };
  }

  private header(p: PreparedMessage, mq: MessageQueue, batch: boolean): SendMessageRequestHeader {
    return {
      producerGroup: this.groupName,
      topic: p.topic,
      defaultTopic: AUTO_CREATE_TOPIC_KEY,
      defaultTopicQueueNums: this.opts.defaultTopicQueueNums ?? 4,
      queueId: mq.queueId,
      sysFlag: p.sysFlag,
      bornTimestamp: Date.now(),
      flag: p.flag,
      properties: p.properties,
      reconsumeTimes: p.reconsumeTimes,
      unitMode: false,
      maxReconsumeTimes: p.maxReconsumeTimes,
      batch,
      brokerName: mq.brokerName,
    };
  }

  private async brokerAddr(mq: MessageQueue): Promise<string> {
    let addr = this.inst.findBrokerAddressInPublish(mq.brokerName);
    if (!addr) {
      await this.inst.updateTopicRoute(mq.topic);
      addr = this.inst.findBrokerAddressInPublish(mq.brokerName);
    }
    if (!addr) throw new Error(`the broker ${mq.brokerName} does not exist (no master address known)`);
    return addr;
  }

  private async sendTo(
    mq: MessageQueue,
    p: PreparedMessage,
    timeoutMs: number,
    batch: boolean,
    oneway: boolean,
    v1 = false,
  ): Promise<SendResult | undefined> {
    const addr = await this.brokerAddr(mq);
    const begin = Date.now();
    const r = await this.inst.api.sendMessage(
      addr,
      mq.brokerName,
      this.header(p, mq, batch),
      p.body,
      timeoutMs,
      oneway ? 'oneway' : 'sync',
      v1,
    );
    if (r) {
      r.msgId = p.uniqKey;
      // As Java's trace hook: answered sends only, never the trace records themselves.
      if (this.trace && !batch && p.topic !== this.trace.traceTopic) this.tracePub(p, r, addr, begin);
    }
    return r;
  }

  private tracePub(p: PreparedMessage, r: SendResult, storeHost: string, begin: number): void {
    const props = parseProperties(p.properties);
    const delayed = Number(props.DELAY ?? 0) > 0;
    this.trace!.append({
      traceType: 'Pub',
      timeStamp: begin,
      regionId: r.regionId || 'DefaultRegion',
      groupName: this.groupName,
      topic: p.topic,
      msgId: p.uniqKey,
      tags: props.TAGS ?? '',
      keys: props.KEYS ?? '',
      storeHost,
      bodyLength: p.body.length,
      costTime: Date.now() - begin,
      msgType: delayed ? 3 : 0,
      offsetMsgId: r.offsetMsgId,
      success: r.sendStatus === 'SEND_OK',
    });
  }

  /** The retry loop of sendDefaultImpl: up to 1 + retries attempts, each on a freshly selected queue. */
  private async sendWithRetry(
    p: PreparedMessage,
    opts: SendOptions,
    batch: boolean,
    oneway: boolean,
    v1 = false,
  ): Promise<SendResult | undefined> {
    const timeout = opts.timeout ?? this.sendTimeout;
    const begin = Date.now();
    if (opts.queue) return this.sendTo(opts.queue, p, timeout, batch, oneway, v1);
    const info = await this.findPublishInfo(p.topic);
    const attempts = oneway ? 1 : 1 + this.retries;
    let lastBroker: string | undefined;
    let lastErr: unknown;
    for (let i = 0; i < attempts; i++) {
      const left = timeout - (Date.now() - begin);
      if (left <= 0) break;
      const mq = this.selectQueue(info, lastBroker);
      lastBroker = mq.brokerName;
      const t0 = Date.now();
      try {
        const r = await this.sendTo(mq, p, left, batch, oneway, v1);
        this.faults.update(mq.brokerName, Date.now() - t0, false);
        return r;
      } catch (err) {
        this.faults.update(mq.brokerName, Date.now() - t0, true);
        lastErr = err;
        if (err instanceof ResponseError && !RETRY_CODES.has(err.code)) throw err;
        this.inst.log.warn(
          { topic: p.topic, broker: mq.brokerName, err: String(err) },
          'send failed, retrying',
        );
      }
    }
    if (lastErr instanceof ResponseError || !(lastErr instanceof Error)) {
      if (lastErr) throw lastErr;
      throw new Error(`send to ${p.topic} timed out after ${timeout} ms`);
    }
    // A network failure: name the broker group and the next step (the cause stays in the text).
    throw Object.assign(
      new Error(
        `send to topic ${p.topic} failed on broker ${lastBroker}: ${lastErr.message}. Check that its master is ` +
          'running and reachable (mqadmin clusterList), then retry',
      ),
      { cause: lastErr },
    );
  }

  /** Sends one message and waits for the broker's answer. */
  async send(msg: Message, opts: SendOptions = {}): Promise<SendResult> {
    const p = this.prepare(msg);
    return (await this.sendWithRetry(p, opts, false, false))!;
  }

  /** Fire and forget: no answer, no retry. */
  async sendOneway(msg: Message, opts: SendOptions = {}): Promise<void> {
    await this.sendWithRetry(this.prepare(msg), opts, false, true);
  }

  /** Sends with a selector choosing the queue; used for ordered messages. No retry on another queue. */
  async sendWithSelector<A>(
    msg: Message,
    selector: QueueSelector<A>,
    arg: A,
    opts: SendOptions = {},
  ): Promise<SendResult> {
    const p = this.prepare(msg);
    const info = await this.findPublishInfo(msg.topic);
    const mq = selector(info.queues, msg, arg);
    if (!mq) throw new Error('the queue selector returned no queue');
    return (await this.sendTo(mq, p, opts.timeout ?? this.sendTimeout, false, false))!;
  }

  /** Messages with the same sharding key go to the same queue, in order. */
  sendOrderly(msg: Message, shardingKey: string, opts: SendOptions = {}): Promise<SendResult> {
    return this.sendWithSelector(msg, selectByHash, shardingKey, opts);
  }

  /** One request for many messages of one topic (no delay, no retry topics, never compressed). */
  async sendBatch(msgs: readonly Message[], opts: SendOptions = {}): Promise<SendResult> {
    if (msgs.length === 0) throw new Error('the batch is empty');
    const topic = msgs[0]!.topic;
    const items = msgs.map((m) => {
      if (m.topic !== topic) throw new Error('every message of a batch must have the same topic');
      if (m.delayLevel) throw new Error('a batch cannot carry delayed messages');
      if (topic.startsWith('%RETRY%')) throw new Error('a batch cannot be sent to a retry topic');
      return this.prepare(m, false);
    });
    const body = encodeBatchBody(
      items.map((p) => ({ flag: p.flag, body: p.body, properties: p.properties })),
    );
    if (body.length > this.maxMessageSize)
      throw new Error(`the batch size ${body.length} is over the limit of ${this.maxMessageSize} bytes`);
    const p: PreparedMessage = {
      topic,
      body,
      sysFlag: 0,
      flag: 0,
      properties: encodeProperties({ WAIT: 'true' }),
      uniqKey: items.map((i) => i.uniqKey).join(','),
      reconsumeTimes: 0,
    };
    return (await this.sendWithRetry(p, opts, true, false))!;
  }

  /** Re-sends a consumed message to a retry topic (the consumer's fallback when send-back fails). */
  async sendRetryMessage(p: PreparedMessage, timeoutMs: number): Promise<SendResult> {
    return (await this.sendWithRetry(p, { timeout: timeoutMs }, false, false, true))!;
  }

  /** Queues a topic can be sent to (fetching the route if needed). */
  async fetchPublishMessageQueues(topic: string): Promise<MessageQueue[]> {
    return [...(await this.findPublishInfo(topic)).queues];
  }
}

export type { PreparedMessage };
