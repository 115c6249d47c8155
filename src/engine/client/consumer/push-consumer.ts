import { randomUUID } from 'node:crypto';
import type { ConsumerData, SubscriptionData } from '../../protocol/bodies/heartbeat-data.js';
import { MASTER_ID } from '../../protocol/bodies/topic-route-data.js';
import { encodeProperties, MessageConst } from '../../protocol/message/index.js';
import { PullSysFlag } from '../../protocol/requests/pull-message.js';
import { type AllocateStrategy, allocateAveragely } from '../allocate.js';
import { type ClientConfig, checkGroup, checkTopic } from '../client-config.js';
import { CLIENT_INNER_PRODUCER_GROUP, type ConsumerInner, MQClientInstance } from '../client-instance.js';
import {
  decodeMessagesTolerant,
  type MessageExt,
  nextPullOffset,
  type PulledMessage,
  resetRetryTopic,
  type TolerantDecode,
} from '../message.js';
import { compareMq, type MessageQueue, mqKey } from '../message-queue.js';
import { ProcessQueue } from '../process-queue.js';
import { Producer } from '../producer/producer.js';
import { buildSubscription, type MessageSelector, matchesAllTags, tagMatches } from '../tag-expression.js';
import { TraceDispatcher } from '../trace/trace-dispatcher.js';
import { ConcurrentConsumeService } from './consume-concurrently.js';
import { OrderlyConsumeService } from './consume-orderly.js';
import { LocalFileOffsetStore, type OffsetStore, RemoteOffsetStore } from './offset-store.js';
import { encodeRunningInfo } from './running-info.js';
import {
  type ConcurrentListener,
  type ConsumeFromWhere,
  type MessageModel,
  type OrderlyListener,
  sleep,
} from './types.js';

export interface PushConsumerOptions extends ClientConfig {
  groupName: string;
  messageModel?: MessageModel;
  consumeFromWhere?: ConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP: ms since the epoch (Java default: half an hour ago). */
  consumeTimestamp?: number;
  /**
   * Start new queues at `consumeFromWhere` even when the group has a committed offset (tools like
   * `consumer tail` with a throw-away group want exactly what the user asked for).
   */
  ignoreCommittedOffset?: boolean;
  allocateStrategy?: AllocateStrategy;
  /** Listener calls in flight across all queues (Java consumeThreadMax, default 20). */
  consumeThreadMax?: number;
  /** Messages per pull (default 32). */
  pullBatchSize?: number;
  /** Messages per listener call (default 1). */
  consumeMessageBatchMaxSize?: number;
  /** Flow control: cached messages per queue (default 1000). */
  pullThresholdForQueue?: number;
  /** Flow control: cached MiB per queue (default 100). */
  pullThresholdSizeForQueue?: number;
  /** Flow control: offset span of cached messages in one queue, concurrent mode (default 2000). */
  consumeConcurrentlyMaxSpan?: number;
  /** Concurrent mode: retries before the dead-letter queue (default 16). */
  maxReconsumeTimes?: number;
  suspendCurrentQueueTimeMillis?: number;
  /** Long-poll hold asked of the broker (15000) and the socket timeout for it (30000). */
  brokerSuspendMaxTimeMillis?: number;
  consumerTimeoutMillisWhenSuspend?: number;
  pullTimeDelayMillsWhenException?: number;
  /**
   * When queues move between members, wait this long before reading their committed offsets so the
   * previous owner can commit first (avoids re-delivery on rebalance). Only applies with other members.
   */
  handoverDelayMs?: number;
  /** BROADCASTING offsets directory (default ~/.rocketmq_offsets). */
  offsetStoreDir?: string;
  /** Send trace records of every consumed message to the trace topic (Java's enableMsgTrace). */
  enableMsgTrace?: boolean;
  /** Where trace records go (Java's customizedTraceTopic); default RMQ_SYS_TRACE_TOPIC. */
  traceTopic?: string;
}

interface QueueEntry {
  mq: MessageQueue;
  pq: ProcessQueue;
}

const RETRY_PREFIX = '%RETRY%';

/** One inner producer per client instance (it goes away with the instance, which ignores it when idle). */
const innerProducers = new WeakMap<MQClientInstance, Promise<Producer>>();

/**
 * DefaultMQPushConsumer: subscribes, takes a share of the queues (or all of them when broadcasting),
 * long-polls each queue, hands messages to the listener and commits progress.
 */
export class PushConsumer implements ConsumerInner {
  readonly groupName: string;
  readonly opts: PushConsumerOptions;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  private readonly subs = new Map<string, SubscriptionData>();
  private readonly subscribeInfo = new Map<string, MessageQueue[]>();
  private readonly table = new Map<string, QueueEntry>();
  private readonly suggestedBroker = new Map<string, number>();
  private instance: MQClientInstance | null = null;
  private offsetStore!: OffsetStore;
  private concurrentListener?: ConcurrentListener;
  private orderlyListener?: OrderlyListener;
  private concurrent?: ConcurrentConsumeService;
  private orderly?: OrderlyConsumeService;
  private running = false;
  private startTime = 0;
  private timers: NodeJS.Timeout[] = [];
  /** Consume stats for running info. */
  readonly stats = { pulled: 0, ok: 0, failed: 0 };
  /** Message trace (enableMsgTrace): SubBefore/SubAfter records, sent by the instance's inner producer. */
  private readonly trace: TraceDispatcher | undefined;

  constructor(opts: PushConsumerOptions) {
    this.opts = opts;
    this.groupName = opts.groupName;
    this.messageModel = opts.messageModel ?? 'CLUSTERING';
    this.consumeFromWhere = opts.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    if (opts.enableMsgTrace) {
      this.trace = new TraceDispatcher(
        async (m) => (await this.getInnerProducer()).send(m),
        (err) => this.instance?.log.warn({ err: String(err) }, 'message trace not sent'),
        opts.traceTopic,
      );
    }
  }

  /** Trace records before a listener call (ConsumeMessageTraceHookImpl.consumeMessageBefore). */
  traceBefore(msgs: readonly MessageExt[]): { requestId: string; begin: number } | undefined {
    if (!this.trace) return undefined;
    const requestId = randomUUID();
    const begin = Date.now();
    for (const m of msgs) {
      this.trace.append({
        traceType: 'SubBefore',
        timeStamp: begin,
        regionId: m.properties.MSG_REGION || 'DefaultRegion',
        groupName: this.groupName,
        requestId,
        msgId: m.msgId,
        retryTimes: m.reconsumeTimes,
        keys: m.keys ?? '',
        costTime: 0,
        success: true,
      });
    }
    return { requestId, begin };
  }

  /**
   * Trace records after it: each message gets the call's time divided among the batch, and the outcome
   * (contextCode as Java's ConsumeReturnType: 0 success, 2 exception, 4 failed).
   */
  traceAfter(
    before: { requestId: string; begin: number } | undefined,
    msgs: readonly MessageExt[],
    success: boolean,
    threw: boolean,
  ): void {
    if (!this.trace || !before) return;
    const now = Date.now();
    const costTime = Math.floor((now - before.begin) / Math.max(1, msgs.length));
    for (const m of msgs) {
      this.trace.append({
        traceType: 'SubAfter',
        timeStamp: now,
        regionId: m.properties.MSG_REGION || 'DefaultRegion',
        groupName: this.groupName,
        requestId: before.requestId,
        msgId: m.msgId,
        keys: m.keys ?? '',
        costTime,
        success,
        contextCode: success ? 0 : threw ? 2 : 4,
      });
    }
  }

  get clientId(): string | undefined {
    return this.instance?.clientId;
  }

  get isOrderly(): boolean {
    return this.orderlyListener !== undefined;
  }

  get client(): MQClientInstance {
    if (!this.instance) throw new Error('the consumer is not started (call start() first)');
    return this.instance;
  }

  /**
   * `expression`: `*`, `TagA || TagB`, or `MessageSelector.bySql('a > 5')`. Throws TagExpressionError or
   * Sql92SyntaxError for a bad one.
   */
  subscribe(topic: string, expression: string | MessageSelector = '*'): this {
    checkTopic(topic);
    this.subs.set(topic, buildSubscription(topic, expression));
    if (this.running) {
      void this.client
        .updateTopicRoute(topic)
        .then(() => this.client.sendHeartbeatToAllBrokers())
        .catch((err) =>
          this.instance?.log.warn({ topic, err: String(err) }, 'subscribe: route refresh failed'),
        );
    }
    return this;
  }

  unsubscribe(topic: string): void {
    this.subs.delete(topic);
  }

  registerMessageListener(listener: ConcurrentListener): this {
    this.concurrentListener = listener;
    this.orderlyListener = undefined;
    return this;
  }

  registerOrderlyListener(listener: OrderlyListener): this {
    this.orderlyListener = listener;
    this.concurrentListener = undefined;
    return this;
  }

  async start(): Promise<void> {
    if (this.running) return;
    checkGroup(this.groupName);
    if (!this.concurrentListener && !this.orderlyListener) throw new Error('no message listener registered');
    if (this.subs.size === 0) throw new Error('no subscription (call subscribe(topic, expression) first)');
    const inst = MQClientInstance.getOrCreate(this.opts);
    if (inst.namesrvAddrs.length === 0)
      throw new Error('no name server address set (use -n host:port or NAMESRV_ADDR)');
    if (this.messageModel === 'CLUSTERING') {
      const retry = RETRY_PREFIX + this.groupName;
      this.subs.set(retry, buildSubscription(retry, '*'));
    }
    inst.registerConsumer(this);
    this.instance = inst;
    this.offsetStore =
      this.messageModel === 'BROADCASTING'
        ? new LocalFileOffsetStore(inst.clientId, this.groupName, this.opts.offsetStoreDir)
        : new RemoteOffsetStore(this.groupName, {
            queryConsumerOffset: (group, mq) =>
              this.withReadBroker(mq, (addr) =>
                inst.api.queryConsumerOffset(addr, group, mq, inst.timeoutMs),
              ),
            updateConsumerOffsetOneway: (group, mq, offset) =>
              this.withReadBroker(mq, (addr) => inst.api.updateConsumerOffset(addr, group, mq, offset, true)),
          });
    try {
      await this.offsetStore.load();
      if (this.orderlyListener)
        this.orderly = new OrderlyConsumeService(this, this.orderlyListener, this.offsetStore);
      else this.concurrent = new ConcurrentConsumeService(this, this.concurrentListener!, this.offsetStore);
      inst.start();
      this.running = true;
      this.startTime = Date.now();
      // Routes first (they give the broker addresses), then the heartbeat that registers the group (and
      // makes the broker create %RETRY%group), then the routes the heartbeat made exist, then rebalance.
      await inst.updateAllTopicRoutes();
      await this.checkClientInBroker();
      // Every broker refusing the group (e.g. an ACL broker without our keys) would leave the consumer
      // waiting forever for queues: fail start() with the broker's reason instead.
      const hb = await inst.sendHeartbeatToAllBrokers();
      if (hb.sent > 0 && hb.refused.length === hb.sent) throw hb.refused[0]!;
      await this.refreshMissingRoutes();
      // A listener may already have called shutdown() (messages flow from the first rebalance, which a
      // broker's consumer-ids-changed notice can start before here): no timers for a stopped consumer.
      if (!this.running) return;
      void inst.rebalanceImmediately();
      // Unref'd like every client timer: a tool that forgot shutdown() still exits.
      const missing = setInterval(() => void this.refreshMissingRoutes(), 2000);
      missing.unref();
      this.timers.push(missing);
      if (this.orderly) {
        const t = setInterval(() => void this.orderly?.lockAll(), 20000);
        t.unref();
        this.timers.push(t);
      }
    } catch (err) {
      this.running = false;
      this.instance = null;
      await inst.unregisterConsumer(this.groupName);
      throw err;
    }
  }

  /**
   * SQL92 subscriptions are checked by a broker of their topic before the consumer starts (Java's
   * checkClientInBroker): a broker without enablePropertyFilter, or a selector it can't compile, fails
   * start() with the broker's reason instead of pulls that never match.
   */
  private async checkClientInBroker(): Promise<void> {
    const inst = this.client;
    for (const sub of this.subs.values()) {
      if (sub.expressionType === 'TAG') continue;
      const addr = inst.findBrokerAddrByTopic(sub.topic);
      if (!addr) continue; // no route yet: the pulls will report it
      await inst.api.checkClientConfig(addr, inst.clientId, this.groupName, sub, inst.timeoutMs);
    }
  }

  /** Topics whose route was unknown (e.g. %RETRY% before the first heartbeat): retry until found. */
  private async refreshMissingRoutes(): Promise<void> {
    const inst = this.instance;
    if (!inst || !this.running) return;
    let found = false;
    for (const topic of this.subs.keys()) {
      if (this.subscribeInfo.has(topic)) continue;
      try {
        if (await inst.updateTopicRoute(topic)) found = true;
      } catch {
        // retried on the next tick
      }
    }
    if (found) void inst.rebalanceImmediately();
  }

  /** Stops pulling, lets in-flight listener calls finish, commits offsets, and leaves the group. */
  async shutdown(): Promise<void> {
    const inst = this.instance;
    if (!inst || !this.running) return;
    this.running = false;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const entries = [...this.table.values()];
    for (const e of entries) e.pq.dropped = true;
    await this.waitIdle(
      entries.map((e) => e.pq),
      10000,
    );
    for (const e of entries) e.pq.finalized = true;
    await this.persistSync(entries.map((e) => e.mq));
    if (this.orderly) await this.orderly.unlockAll(entries.map((e) => e.mq));
    this.table.clear();
    await this.trace?.close();
    this.instance = null;
    await inst.unregisterConsumer(this.groupName);
  }

  // ---- ConsumerInner

  consumerData(): ConsumerData {
    return {
      groupName: this.groupName,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: this.messageModel,
      consumeFromWhere: this.consumeFromWhere,
      subscriptionDataSet: [...this.subs.values()],
      unitMode: false,
    };
  }

  subscriptions(): SubscriptionData[] {
    return [...this.subs.values()];
  }

  updateTopicSubscribeInfo(topic: string, mqs: MessageQueue[]): void {
    if (this.subs.has(topic)) this.subscribeInfo.set(topic, mqs);
  }

  /**
   * One rebalance pass (RebalanceImpl.doRebalance), in three phases so a membership change is acted on
   * quickly: allocate every topic, release what is no longer ours (final commit), then take new queues.
   * Taking queues that another member may still hold waits `handoverDelayMs` first, and gives up if a
   * newer membership change arrived meanwhile (the next pass redoes it with fresh data).
   */
  async doRebalance(): Promise<void> {
    if (!this.running) return;
    const plans: Array<{ topic: string; mine: MessageQueue[]; members: number; cids: string }> = [];
    // Our own heartbeat not seen yet, or a queue's start offset not read: try again in a second rather than
    // at the 20 s rebalance tick (on a busy machine either happens right after start).
    let retrySoon = false;
    for (const sub of this.subs.values()) {
      const mqs = this.subscribeInfo.get(sub.topic);
      if (!mqs) continue;
      if (this.messageModel === 'BROADCASTING') {
        plans.push({ topic: sub.topic, mine: mqs, members: 1, cids: '' });
        continue;
      }
      let cids: string[];
      try {
        cids = await this.client.findConsumerIdList(sub.topic, this.groupName);
      } catch (err) {
        // E.g. "no consumer for this group" from a broker that has not processed our heartbeat yet, or a
        // request timeout on a busy machine: the other topics still rebalance, this one soon again.
        this.client.log.warn(
          { group: this.groupName, topic: sub.topic, err: String(err) },
          'consumer id list',
        );
        if (Date.now() - this.startTime < 60_000) retrySoon = true;
        continue;
      }
      if (!this.running) return;
      // Only in the first minute: later the 20 s tick is the pace, as in Java.
      if (!cids.includes(this.client.clientId) && Date.now() - this.startTime < 60_000) retrySoon = true;
      if (cids.length === 0) continue;
      const mqAll = [...mqs].sort(compareMq);
      const cidAll = [...cids].sort();
      const strategy = this.opts.allocateStrategy ?? allocateAveragely;
      const mine = strategy.allocate(this.groupName, this.client.clientId, mqAll, cidAll);
      const before = [...this.table.values()].filter((e) => e.mq.topic === sub.topic).length;
      if (before !== mine.length || mine.some((mq) => !this.table.has(mqKey(mq)))) {
        this.client.log.info(
          {
            group: this.groupName,
            topic: sub.topic,
            clientId: this.client.clientId,
            cidAll,
            queues: mine.map((q) => q.queueId),
          },
          'rebalance result changed',
        );
      }
      plans.push({ topic: sub.topic, mine, members: cidAll.length, cids: cidAll.join(',') });
    }
    // Release first.
    const planned = new Map(plans.map((p) => [p.topic, new Set(p.mine.map(mqKey))]));
    for (const [k, e] of this.table) {
      const want = planned.get(e.mq.topic);
      const keep = this.subs.has(e.mq.topic) ? (want ? want.has(k) : true) : false;
      if (!keep || e.pq.dropped || e.pq.isPullExpired()) {
        this.table.delete(k);
        await this.dropQueue(e);
      }
    }
    // Then take.
    let lockFailed = false;
    let handover = false;
    const ready: MessageQueue[] = [];
    for (const p of plans) {
      for (const mq of p.mine) {
        if (this.table.has(mqKey(mq))) continue;
        if (this.orderly && this.messageModel === 'CLUSTERING' && !(await this.orderly.lock(mq))) {
          lockFailed = true;
          continue;
        }
        if (p.members > 1) handover = true;
        ready.push(mq);
      }
    }
    if (lockFailed || retrySoon) setTimeout(() => void this.instance?.rebalanceImmediately(), 1000).unref();
    if (ready.length === 0) return;
    if (handover) {
      await sleep(this.opts.handoverDelayMs ?? 1000);
      if (!this.running) return;
      // Membership changed while we waited: this allocation is stale, the next pass redoes it.
      for (const p of plans) {
        if (!p.cids) continue; // broadcasting
        const now = (await this.client.findConsumerIdList(p.topic, this.groupName).catch(() => []))
          .sort()
          .join(',');
        if (now !== p.cids) {
          void this.client.rebalanceImmediately();
          return;
        }
      }
    }
    for (const mq of ready) {
      const k = mqKey(mq);
      if (this.table.has(k) || !this.running) continue;
      let offset: number;
      try {
        offset = await this.computePullFromWhere(mq);
      } catch (err) {
        this.client.log.warn({ mq, err: String(err) }, 'cannot compute where to pull from; retrying in 1 s');
        if (!retrySoon) setTimeout(() => void this.instance?.rebalanceImmediately(), 1000).unref();
        retrySoon = true;
        continue;
      }
      if (!this.running) return;
      const pq = new ProcessQueue();
      if (this.orderly && this.messageModel === 'CLUSTERING') {
        pq.locked = true;
        pq.lastLockTimestamp = Date.now();
      }
      this.client.log.info({ group: this.groupName, mq, offset }, 'queue assigned, pulling');
      this.offsetStore.update(mq, offset, false);
      this.table.set(k, { mq, pq });
      void this.pullLoop(mq, pq, offset);
    }
  }

  private async dropQueue(e: QueueEntry): Promise<void> {
    e.pq.dropped = true;
    await this.waitIdle([e.pq], 5000);
    e.pq.finalized = true;
    if (this.messageModel === 'CLUSTERING') await this.persistSync([e.mq]);
    else await this.offsetStore.persistAll([...this.table.values()].map((x) => x.mq).concat(e.mq));
    this.offsetStore.remove(e.mq);
    if (this.orderly && this.messageModel === 'CLUSTERING') await this.orderly.unlockAll([e.mq]);
  }

  /** Waits (bounded) until no listener call is running for these queues. */
  private async waitIdle(pqs: ProcessQueue[], maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    while (pqs.some((pq) => pq.inflight > 0) && Date.now() < until) await sleep(5);
  }

  /** Synchronous commit of these queues' offsets (rebalance hand-over and shutdown). */
  private async persistSync(mqs: MessageQueue[]): Promise<void> {
    if (this.messageModel === 'BROADCASTING') {
      await this.offsetStore.persistAll(mqs);
      return;
    }
    const inst = this.instance;
    if (!inst) return;
    await Promise.all(
      mqs.map(async (mq) => {
        const off = await this.offsetStore.read(mq, 'memory');
        inst.log.info({ group: this.groupName, mq, offset: off }, 'final commit of a released queue');
        if (off < 0) return;
        await this.withReadBroker(mq, (addr) =>
          inst.api.updateConsumerOffset(addr, this.groupName, mq, off, false, inst.timeoutMs),
        ).catch((err) => inst.log.warn({ mq, err: String(err) }, 'commit offset failed'));
      }),
    );
  }

  async persistConsumerOffset(): Promise<void> {
    if (!this.running) return;
    await this.offsetStore.persistAll([...this.table.values()].filter((e) => !e.pq.dropped).map((e) => e.mq));
  }

  /** Where a newly assigned queue starts (RebalancePushImpl.computePullFromWhere). */
  async computePullFromWhere(mq: MessageQueue): Promise<number> {
    const isRetry = mq.topic.startsWith(RETRY_PREFIX);
    const stored =
      this.opts.ignoreCommittedOffset && !isRetry ? -1 : await this.offsetStore.read(mq, 'store');
    if (stored >= 0) return stored;
    switch (this.consumeFromWhere) {
      case 'CONSUME_FROM_FIRST_OFFSET':
        return isRetry || !this.opts.ignoreCommittedOffset ? 0 : this.minOffset(mq);
      case 'CONSUME_FROM_TIMESTAMP':
        if (isRetry) return this.maxOffset(mq);
        return this.searchOffset(mq, this.opts.consumeTimestamp ?? Date.now() - 30 * 60 * 1000);
      default:
        return isRetry ? 0 : this.maxOffset(mq);
    }
  }

  /**
   * HA failover: reads (committed offset, queue bounds) and offset commits go to the master, or to a slave
   * while the master is gone (RemoteBrokerOffsetStore's findBrokerAddressInSubscribe): a slave holds the
   * master's offsets as of its last metadata sync, keeps what is committed to it, and hands those back to
   * the master when it returns.
   */
  async withReadBroker<T>(mq: MessageQueue, fn: (addr: string) => Promise<T>): Promise<T> {
    const inst = this.client;
    let found = inst.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID);
    if (!found) {
      await inst.updateTopicRoute(mq.topic);
      found = inst.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID);
    }
    if (!found) throw new Error(`the broker ${mq.brokerName} does not exist`);
    return fn(found.addr);
  }

  maxOffset(mq: MessageQueue): Promise<number> {
    return this.withReadBroker(mq, (a) => this.client.api.getMaxOffset(a, mq, this.client.timeoutMs));
  }

  minOffset(mq: MessageQueue): Promise<number> {
    return this.withReadBroker(mq, (a) => this.client.api.getMinOffset(a, mq, this.client.timeoutMs));
  }

  searchOffset(mq: MessageQueue, timestamp: number): Promise<number> {
    return this.withReadBroker(mq, (a) =>
      this.client.api.searchOffset(a, mq, timestamp, this.client.timeoutMs),
    );
  }

  // ---- pulling

  private async pullLoop(mq: MessageQueue, pq: ProcessQueue, nextOffset: number): Promise<void> {
    try {
      await this.pullUntilDropped(mq, pq, nextOffset);
    } catch (err) {
      // Only reachable through a bug or a shutdown race; never leave a rejected promise behind.
      if (this.running && !pq.dropped)
        this.instance?.log.error({ mq, err: String(err) }, 'pull loop stopped');
      pq.dropped = true;
    }
  }

  private async pullUntilDropped(mq: MessageQueue, pq: ProcessQueue, nextOffset: number): Promise<void> {
    const inst = this.client;
    const o = this.opts;
    const maxCount = o.pullThresholdForQueue ?? 1000;
    const maxBytes = (o.pullThresholdSizeForQueue ?? 100) * 1024 * 1024;
    const maxSpan = o.consumeConcurrentlyMaxSpan ?? 2000;
    const errDelay = o.pullTimeDelayMillsWhenException ?? 3000;
    const key = mqKey(mq);
    while (this.running && !pq.dropped) {
      if (pq.count >= maxCount || pq.bytes >= maxBytes || (!this.orderly && pq.maxSpan() > maxSpan)) {
        await sleep(50);
        continue;
      }
      if (this.orderly && this.messageModel === 'CLUSTERING' && !pq.locked) {
        await sleep(1000);
        continue;
      }
      const sub = this.subs.get(mq.topic);
      if (!sub) {
        await sleep(errDelay);
        continue;
      }
      const target = inst.findBrokerAddressInSubscribe(
        mq.brokerName,
        this.suggestedBroker.get(key) ?? MASTER_ID,
      );
      if (!target) {
        await inst.updateTopicRoute(mq.topic).catch(() => false);
        await sleep(errDelay);
        continue;
      }
      // No COMMIT_OFFSET piggy-backing (Java sets it): a pull the broker is still reading for when the
      // queue is handed over would store a stale offset after our final commit, and the next owner would
      // re-deliver. Offsets go in UPDATE_CONSUMER_OFFSET only (every 5 s, and synchronously on hand-over).
      const sysFlag = PullSysFlag.SUSPEND | PullSysFlag.SUBSCRIPTION;
      pq.lastPullTimestamp = Date.now();
      let r: Awaited<ReturnType<typeof inst.api.pullMessage>>;
      try {
        r = await inst.api.pullMessage(
          target.addr,
          {
            consumerGroup: this.groupName,
            topic: mq.topic,
            queueId: mq.queueId,
            queueOffset: nextOffset,
            maxMsgNums: o.pullBatchSize ?? 32,
            sysFlag,
            commitOffset: 0,
            suspendTimeoutMillis: o.brokerSuspendMaxTimeMillis ?? 15000,
            subscription: sub.subString,
            subVersion: sub.subVersion,
            expressionType: sub.expressionType,
            brokerName: mq.brokerName,
          },
          o.consumerTimeoutMillisWhenSuspend ?? 30000,
        );
      } catch (err) {
        if (!this.running || pq.dropped) return;
        inst.log.warn({ mq, err: String(err) }, 'pull failed');
        await sleep(errDelay);
        continue;
      }
      if (!this.running || pq.dropped) return;
      this.suggestedBroker.set(key, r.suggestWhichBrokerId);
      switch (r.status) {
        case 'FOUND': {
          const decoded = r.body ? decodeMessagesTolerant(r.body, mq.brokerName) : undefined;
          nextOffset = decoded
            ? this.skipUndecodable(mq, nextOffset, r.nextBeginOffset, decoded)
            : r.nextBeginOffset;
          const msgs = decoded ? this.filter(decoded.messages, sub, r.minOffset, r.maxOffset) : [];
          this.stats.pulled += msgs.length;
          if (msgs.length === 0) {
            if (pq.count === 0) this.offsetStore.update(mq, nextOffset, true);
            break;
          }
          const wasIdle = pq.put(msgs);
          if (this.orderly) this.orderly.dispatch(mq, pq, wasIdle);
          else this.concurrent!.submit(mq, pq, msgs);
          break;
        }
        case 'NO_NEW_MSG':
        case 'NO_MATCHED_MSG':
          nextOffset = r.nextBeginOffset;
          if (pq.count === 0 && !pq.consumingNow) this.offsetStore.update(mq, nextOffset, true);
          break;
        case 'OFFSET_ILLEGAL': {
          // Like Java: drop the queue, store the broker's suggested offset, and let rebalance re-create it
          // (a fresh ProcessQueue, since the offset may move backwards).
          inst.log.warn({ mq, from: nextOffset, to: r.nextBeginOffset }, 'pull offset illegal, moving');
          pq.dropped = true;
          await this.waitIdle([pq], 5000);
          pq.finalized = true;
          this.offsetStore.update(mq, r.nextBeginOffset, false);
          await this.persistSync([mq]);
          if (this.table.get(key)?.pq === pq) this.table.delete(key);
          void inst.rebalanceImmediately();
          return;
        }
      }
    }
  }

  /**
   * Logs each record of a pull that failed to decode (once: it is skipped, so never pulled again by this
   * consumer) and returns where the next pull starts. When a bad size field cut the body short, that is
   * just past the bad record; otherwise the broker's next offset.
   */
  private skipUndecodable(mq: MessageQueue, from: number, next: number, d: TolerantDecode): number {
    for (const b of d.bad)
      this.instance?.log.warn(
        { mq, queueOffset: b.queueOffset, commitLogOffset: b.commitLogOffset, err: b.error },
        'undecodable message skipped',
      );
    return nextPullOffset(d, from, next);
  }

  /** Client-side tag filter by string (hash collisions), plus MIN/MAX_OFFSET like PullAPIWrapper. */
  private filter(msgs: PulledMessage[], sub: SubscriptionData, min: number, max: number): MessageExt[] {
    const pull = { min: String(min), max: String(max) };
    // Reading tags parses a message's properties: skipped when every tag matches.
    if (matchesAllTags(sub)) {
      for (const m of msgs) m.putPullOffsets(pull);
      return msgs;
    }
    const out: MessageExt[] = [];
    for (const m of msgs) {
      if (!tagMatches(sub, m.tags)) continue;
      m.putPullOffsets(pull);
      out.push(m);
    }
    return out;
  }

  /** Gives retry messages back their original topic before the listener sees them. */
  prepareForListener(msgs: MessageExt[]): void {
    for (const m of msgs) resetRetryTopic(m, this.groupName);
  }

  isRunning(): boolean {
    return this.running;
  }

  // ---- failed messages

  /**
   * RECONSUME_LATER in clustering mode: CONSUMER_SEND_MSG_BACK to the broker that stored the message;
   * if that fails, re-send it to %RETRY%group ourselves (as Java does). Returns false when both failed.
   */
  async sendMessageBack(m: MessageExt, delayLevel: number): Promise<boolean> {
    const inst = this.client;
    const maxReconsume = this.opts.maxReconsumeTimes ?? 16;
    try {
      const addr = inst.findBrokerAddressInPublish(m.brokerName) ?? m.storeHost;
      await inst.api.consumerSendMessageBack(
        addr,
        {
          offset: m.commitLogOffset,
          group: this.groupName,
          delayLevel,
          originMsgId: m.properties[MessageConst.ORIGIN_MESSAGE_ID] ?? m.msgId,
          originTopic: m.topic,
          maxReconsumeTimes: maxReconsume,
          brokerName: m.brokerName,
        },
        inst.timeoutMs,
      );
      return true;
    } catch (err) {
      inst.log.warn({ msgId: m.msgId, err: String(err) }, 'send back failed, re-sending to the retry topic');
    }
    try {
      const producer = await this.getInnerProducer();
      const props: Record<string, string> = { ...m.properties };
      delete props[MessageConst.MIN_OFFSET];
      delete props[MessageConst.MAX_OFFSET];
      props[MessageConst.RETRY_TOPIC] ??= m.topic;
      props[MessageConst.ORIGIN_MESSAGE_ID] ??= m.msgId;
      // Java always uses 3 + reconsumeTimes here; we honour a level the listener asked for.
      props[MessageConst.DELAY_TIME_LEVEL] = String(delayLevel > 0 ? delayLevel : 3 + m.reconsumeTimes);
      props[MessageConst.WAIT_STORE_MSG_OK] = 'true';
      await producer.sendRetryMessage(
        {
          topic: RETRY_PREFIX + this.groupName,
          body: m.body,
          sysFlag: 0,
          flag: m.flag,
          properties: encodeProperties(props),
          uniqKey: m.msgId,
          reconsumeTimes: m.reconsumeTimes + 1,
          maxReconsumeTimes: maxReconsume,
        },
        inst.timeoutMs,
      );
      return true;
    } catch (err) {
      inst.log.warn({ msgId: m.msgId, err: String(err) }, 're-send to retry topic failed');
      return false;
    }
  }

  /** The instance's CLIENT_INNER_PRODUCER, shared by every consumer of the instance. */
  private getInnerProducer(): Promise<Producer> {
    const inst = this.client;
    let p = innerProducers.get(inst);
    if (!p) {
      const producer = new Producer({
        ...this.opts,
        groupName: CLIENT_INNER_PRODUCER_GROUP,
        enableMsgTrace: false,
      });
      p = producer.start().then(() => producer);
      p.catch(() => innerProducers.delete(inst));
      innerProducers.set(inst, p);
    }
    return p;
  }

  // ---- broker → client

  async resetOffset(topic: string, offsets: ReadonlyArray<[MessageQueue, number]>): Promise<void> {
    // Drop the affected queues, set the new offsets, and let the next rebalance re-create them.
    const targets = new Map(offsets.map(([mq, off]) => [mqKey(mq), { mq, off }]));
    const dropped: ProcessQueue[] = [];
    for (const [k, e] of this.table) {
      if (e.mq.topic !== topic || !targets.has(k)) continue;
      e.pq.dropped = true;
      dropped.push(e.pq);
      this.table.delete(k);
    }
    await this.waitIdle(dropped, 5000);
    for (const pq of dropped) pq.finalized = true;
    for (const { mq, off } of targets.values()) {
      this.offsetStore.update(mq, off, false);
      await this.persistSync([mq]);
    }
    void this.client.rebalanceImmediately();
  }

  runningInfo(): Buffer {
    const elapsed = Math.max(1, (Date.now() - this.startTime) / 1000);
    const status: Record<
      string,
      { pullTPS: number; consumeOKTPS: number; consumeFailedTPS: number; consumeFailedMsgs: number }
    > = {};
    for (const t of this.subs.keys())
      status[t] = {
        pullTPS: this.stats.pulled / elapsed,
        consumeOKTPS: this.stats.ok / elapsed,
        consumeFailedTPS: this.stats.failed / elapsed,
        consumeFailedMsgs: this.stats.failed,
      };
    const queues = [...this.table.values()].map((e) => ({
      mq: e.mq,
      pq: e.pq,
      commitOffset: this.offsetStore.table().get(mqKey(e.mq))?.offset ?? -1,
    }));
    return encodeRunningInfo({
      properties: {
        PROP_CONSUME_TYPE: 'CONSUME_PASSIVELY',
        PROP_CONSUMEORDERLY: String(this.isOrderly),
        PROP_THREADPOOL_CORE_SIZE: String(this.opts.consumeThreadMax ?? 20),
        PROP_CONSUMER_START_TIMESTAMP: String(this.startTime),
        PROP_NAMESERVER_ADDR: this.client.namesrvAddrs.join(';'),
        messageModel: this.messageModel,
        consumeFromWhere: this.consumeFromWhere,
        consumerGroup: this.groupName,
      },
      subscriptions: this.subscriptions(),
      queues,
      status,
    });
  }

  processQueue(mq: MessageQueue): ProcessQueue | undefined {
    return this.table.get(mqKey(mq))?.pq;
  }

  /** Queues currently assigned to this consumer. */
  assignedQueues(): MessageQueue[] {
    return [...this.table.values()].map((e) => e.mq);
  }
}
