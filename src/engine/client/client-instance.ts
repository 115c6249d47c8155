import { createLogger, type Logger } from '../common/logger.js';
import { decodeResetOffsetBody } from '../protocol/bodies/consume-stats.js';
import type { ConsumerData, HeartbeatData, SubscriptionData } from '../protocol/bodies/heartbeat-data.js';
import { MASTER_ID, type TopicRouteData } from '../protocol/bodies/topic-route-data.js';
import { createResponse, extStr, type RemotingCommand } from '../protocol/remoting-command.js';
import { RequestCode } from '../protocol/request-code.js';
import { ResponseCode } from '../protocol/response-code.js';
import { ResponseError } from '../protocol/response-error.js';
import { aclClientHook, checkCredentials, clientTls, RemotingClient } from '../remoting/index.js';
import { MQClientAPI } from './api/client-api.js';
import { buildClientId, type ClientConfig, resolveNamesrvList } from './client-config.js';
import type { MessageQueue } from './message-queue.js';
import {
  AUTO_CREATE_TOPIC_KEY,
  defaultRouteFor,
  routeChanged,
  type TopicPublishInfo,
  toPublishInfo,
  toSubscribeQueues,
} from './topic-route.js';

/** What the instance needs from a producer it serves (MQProducerInner). */
export interface ProducerInner {
  readonly groupName: string;
  publishTopics(): string[];
  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void;
}

/** What the instance needs from a consumer it serves (MQConsumerInner). */
export interface ConsumerInner {
  readonly groupName: string;
  consumerData(): ConsumerData;
  subscriptions(): SubscriptionData[];
  updateTopicSubscribeInfo(topic: string, mqs: MessageQueue[]): void;
  doRebalance(): Promise<void>;
  persistConsumerOffset(): Promise<void>;
  resetOffset(topic: string, offsets: ReadonlyArray<[MessageQueue, number]>): Promise<void>;
  runningInfo(): Buffer;
}

/** Group of the producer every instance keeps for sending failed messages back to retry topics. */
export const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';

const instances = new Map<string, MQClientInstance>();

/**
 * One per client id per process (MQClientInstance + MQClientManager): shares the broker connections, the
 * route table and the heartbeat among every producer and consumer started with the same id.
 */
export class MQClientInstance {
  readonly clientId: string;
  readonly namesrvAddrs: string[];
  readonly remoting: RemotingClient;
  readonly api: MQClientAPI;
  readonly log: Logger;
  readonly timeoutMs: number;
  private readonly routes = new Map<string, TopicRouteData>();
  /** brokerName → brokerId text → address. */
  readonly brokerAddrs = new Map<string, Record<string, string>>();
  private readonly producers = new Map<string, ProducerInner>();
  private readonly consumers = new Map<string, ConsumerInner>();
  private readonly tools = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private started = false;
  private rebalanceRunning: Promise<void> | null = null;
  private rebalanceAgain = false;
  private routeRefreshes = new Map<string, Promise<boolean>>();

  private constructor(
    readonly config: ClientConfig,
    clientId: string,
  ) {
    this.clientId = clientId;
    this.namesrvAddrs = resolveNamesrvList(config);
    this.log = createLogger('rocketmq_client');
    this.remoting = new RemotingClient({ logger: this.log, tls: clientTls(config.useTLS) });
    const creds = checkCredentials(config.accessKey, config.secretKey);
    if (creds)
      this.remoting.registerRpcHook(aclClientHook({ ...creds, securityToken: config.securityToken }));
    this.api = new MQClientAPI(this.remoting);
    this.timeoutMs = config.mqClientApiTimeout ?? 3000;
  }

  /** The instance for this config's client id, created on first use. */
  static getOrCreate(config: ClientConfig): MQClientInstance {
    const id = buildClientId(config);
    let inst = instances.get(id);
    if (!inst) {
      inst = new MQClientInstance(config, id);
      instances.set(id, inst);
    }
    return inst;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.remoting.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (req) => {
      this.log.info({ group: req.extFields?.consumerGroup }, 'consumer ids changed, rebalancing');
      this.rebalanceImmediately();
      return null;
    });
    this.remoting.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, (req) =>
      this.onResetOffset(req),
    );
    this.remoting.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, (req) => this.onRunningInfo(req));
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => {
        fn().catch((err) => this.log.warn({ err: String(err) }, 'periodic task failed'));
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.config.pollNameServerInterval ?? 30000, () => this.updateAllTopicRoutes());
    every(this.config.heartbeatBrokerInterval ?? 30000, () => this.sendHeartbeatToAllBrokers());
    every(this.config.persistConsumerOffsetInterval ?? 5000, () => this.persistAllConsumerOffsets());
    every(20000, async () => this.rebalanceImmediately());
  }

  registerProducer(p: ProducerInner): void {
    if (this.producers.has(p.groupName))
      throw new Error(`the producer group "${p.groupName}" has been created before in ${this.clientId}`);
    this.producers.set(p.groupName, p);
  }

  registerConsumer(c: ConsumerInner): void {
    if (this.consumers.has(c.groupName))
      throw new Error(
        `the consumer group "${c.groupName}" has been created before in ${this.clientId} (use another instanceName)`,
      );
    this.consumers.set(c.groupName, c);
  }

  /** A user that needs routes and connections but takes no part in heartbeats (pull consumers, tools). */
  registerTool(name: string): void {
    this.tools.add(name);
  }

  async unregisterTool(name: string): Promise<void> {
    if (this.tools.delete(name)) await this.closeIfIdle();
  }

  hasProducer(group: string): boolean {
    return this.producers.has(group);
  }

  /** Removes a producer, tells every broker, and closes the instance when nothing is left. */
  async unregisterProducer(group: string): Promise<void> {
    if (!this.producers.delete(group)) return;
    await this.unregisterFromBrokers(group, undefined);
    await this.closeIfIdle();
  }

  async unregisterConsumer(group: string): Promise<void> {
    if (!this.consumers.delete(group)) return;
    await this.unregisterFromBrokers(undefined, group);
    await this.closeIfIdle();
  }

  private async unregisterFromBrokers(
    producerGroup: string | undefined,
    consumerGroup: string | undefined,
  ): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const addrs of this.brokerAddrs.values()) {
      for (const addr of Object.values(addrs)) {
        jobs.push(
          this.api
            .unregisterClient(addr, this.clientId, producerGroup, consumerGroup, this.timeoutMs)
            .catch((err) => {
              this.log.warn({ addr, err: String(err) }, 'unregister client failed');
            }),
        );
      }
    }
    await Promise.all(jobs);
  }

  private async closeIfIdle(): Promise<void> {
    const onlyInner = [...this.producers.keys()].every((g) => g === CLIENT_INNER_PRODUCER_GROUP);
    if (this.consumers.size > 0 || this.tools.size > 0 || !onlyInner) return;
    this.producers.clear();
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    this.started = false;
    if (instances.get(this.clientId) === this) instances.delete(this.clientId);
    await this.remoting.close();
  }

  // ---- routes

  getRoute(topic: string): TopicRouteData | undefined {
    return this.routes.get(topic);
  }

  /**
   * Fetches `topic`'s route and pushes it to producers and consumers when it changed. With `useDefault`,
   * a topic with no route gets TBW102's brokers (at most `defaultQueueNums` queues each), so the first send
   * reaches a broker that auto-creates it. Returns whether a route is now known. Concurrent calls for one
   * topic share a request.
   */
  updateTopicRoute(topic: string, useDefault = false, defaultQueueNums = 4): Promise<boolean> {
    const key = `${topic}|${useDefault}`;
    let p = this.routeRefreshes.get(key);
    if (!p) {
      p = this.fetchRoute(topic, useDefault, defaultQueueNums).finally(() => this.routeRefreshes.delete(key));
      this.routeRefreshes.set(key, p);
    }
    return p;
  }

  private async fetchRoute(topic: string, useDefault: boolean, defaultQueueNums: number): Promise<boolean> {
    let route: TopicRouteData | undefined;
    if (useDefault) {
      const tpl = await this.api.getTopicRoute(this.namesrvAddrs, AUTO_CREATE_TOPIC_KEY, this.timeoutMs);
      if (tpl) route = defaultRouteFor(tpl, defaultQueueNums);
    } else {
      route = await this.api.getTopicRoute(this.namesrvAddrs, topic, this.timeoutMs);
    }
    if (!route) return false;
    for (const bd of route.brokerDatas) this.brokerAddrs.set(bd.brokerName, { ...bd.brokerAddrs });
    if (useDefault) {
      const info = toPublishInfo(topic, route);
      info.haveTopicRouterInfo = false;
      for (const p of this.producers.values()) p.updateTopicPublishInfo(topic, info);
      return info.queues.length > 0;
    }
    const old = this.routes.get(topic);
    if (routeChanged(old, route)) this.log.info({ topic, route }, 'topic route changed');
    this.routes.set(topic, route);
    // Pushed every time (cheap): a producer or consumer started after the last change needs it too.
    const info = toPublishInfo(topic, route);
    for (const p of this.producers.values()) p.updateTopicPublishInfo(topic, info);
    const subQueues = toSubscribeQueues(topic, route);
    for (const c of this.consumers.values()) c.updateTopicSubscribeInfo(topic, subQueues);
    return true;
  }

  /** Refreshes the route of every topic any producer or consumer uses. */
  async updateAllTopicRoutes(): Promise<void> {
    const topics = new Set<string>();
    for (const p of this.producers.values()) for (const t of p.publishTopics()) topics.add(t);
    for (const c of this.consumers.values()) for (const s of c.subscriptions()) topics.add(s.topic);
    await Promise.all(
      [...topics].map((t) =>
        this.updateTopicRoute(t).catch((err) =>
          this.log.warn({ topic: t, err: String(err) }, 'route refresh failed'),
        ),
      ),
    );
  }

  findBrokerAddressInPublish(brokerName: string): string | undefined {
    return this.brokerAddrs.get(brokerName)?.[String(MASTER_ID)];
  }

  /** Address to read from: the suggested broker id if present, else the master, else any slave. */
  findBrokerAddressInSubscribe(
    brokerName: string,
    brokerId = MASTER_ID,
  ): { addr: string; slave: boolean } | undefined {
    const addrs = this.brokerAddrs.get(brokerName);
    if (!addrs) return undefined;
    const exact = addrs[String(brokerId)];
    if (exact) return { addr: exact, slave: brokerId !== MASTER_ID };
    const master = addrs[String(MASTER_ID)];
    if (master) return { addr: master, slave: false };
    const any = Object.entries(addrs)[0];
    return any ? { addr: any[1], slave: true } : undefined;
  }

  /** One broker address serving `topic` (any broker knows a group's members). */
  findBrokerAddrByTopic(topic: string): string | undefined {
    const route = this.routes.get(topic);
    if (!route || route.brokerDatas.length === 0) return undefined;
    const bd = route.brokerDatas[Math.floor(Math.random() * route.brokerDatas.length)]!;
    return bd.brokerAddrs[String(MASTER_ID)] ?? Object.values(bd.brokerAddrs)[0];
  }

  async findConsumerIdList(topic: string, group: string): Promise<string[]> {
    let addr = this.findBrokerAddrByTopic(topic);
    if (!addr) {
      await this.updateTopicRoute(topic);
      addr = this.findBrokerAddrByTopic(topic);
    }
    if (!addr) return [];
    return this.api.getConsumerIdList(addr, group, this.timeoutMs);
  }

  // ---- heartbeat and rebalance

  heartbeatData(): HeartbeatData {
    return {
      clientID: this.clientId,
      producerDataSet: [...this.producers.keys()].map((groupName) => ({ groupName })),
      consumerDataSet: [...this.consumers.values()].map((c) => c.consumerData()),
    };
  }

  /** HEART_BEAT to every known broker address (masters and slaves). */
  /**
   * Heartbeat to every known broker. Failures are logged, as Java does; the result says how many were
   * sent and which brokers refused them with a reply (an ACL refusal, say), for callers that want to
   * fail loudly instead of waiting for messages that will never come.
   */
  async sendHeartbeatToAllBrokers(): Promise<{ sent: number; refused: ResponseError[] }> {
    const refused: ResponseError[] = [];
    if (this.producers.size === 0 && this.consumers.size === 0) return { sent: 0, refused };
    const data = this.heartbeatData();
    const jobs: Promise<unknown>[] = [];
    for (const [name, addrs] of this.brokerAddrs) {
      for (const [id, addr] of Object.entries(addrs)) {
        // Slaves only matter to consumers.
        if (id !== String(MASTER_ID) && data.consumerDataSet.length === 0) continue;
        jobs.push(
          this.api.heartbeat(addr, data, this.timeoutMs).catch((err) => {
            if (err instanceof ResponseError) refused.push(err);
            this.log.warn({ broker: name, addr, err: String(err) }, 'heartbeat failed');
          }),
        );
      }
    }
    await Promise.all(jobs);
    return { sent: jobs.length, refused };
  }

  /** Runs every consumer's rebalance now; calls while one runs coalesce into one more pass. */
  rebalanceImmediately(): Promise<void> {
    if (this.rebalanceRunning) {
      this.rebalanceAgain = true;
      return this.rebalanceRunning;
    }
    this.rebalanceRunning = (async () => {
      do {
        this.rebalanceAgain = false;
        for (const c of this.consumers.values()) {
          try {
            await c.doRebalance();
          } catch (err) {
            this.log.warn({ group: c.groupName, err: String(err) }, 'rebalance failed');
          }
        }
      } while (this.rebalanceAgain);
    })().finally(() => {
      this.rebalanceRunning = null;
    });
    return this.rebalanceRunning;
  }

  /** A membership change arrived while a rebalance pass runs (it will run again right after). */
  rebalancePending(): boolean {
    return this.rebalanceAgain;
  }

  async persistAllConsumerOffsets(): Promise<void> {
    for (const c of this.consumers.values()) await c.persistConsumerOffset();
  }

  // ---- broker → client requests

  private async onResetOffset(req: RemotingCommand): Promise<null> {
    const topic = extStr(req, 'topic');
    const group = extStr(req, 'group');
    const consumer = this.consumers.get(group);
    if (consumer && req.body) await consumer.resetOffset(topic, decodeResetOffsetBody(req.body).offsetTable);
    return null;
  }

  private onRunningInfo(req: RemotingCommand): RemotingCommand {
    const group = extStr(req, 'consumerGroup');
    const consumer = this.consumers.get(group);
    if (!consumer)
      return createResponse(
        req,
        ResponseCode.SYSTEM_ERROR,
        `The Consumer Group <${group}> not exist in this consumer`,
      );
    return createResponse(req, ResponseCode.SUCCESS, undefined, undefined, consumer.runningInfo());
  }
}
