import type { PlainAccessValidator } from '../acl/index.js';
import { createLogger, type Logger } from '../common/logger.js';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import { type TopicConfig, topicTableEntries } from '../protocol/bodies/topic-config.js';
import { type HostAddress, MAX_PROPERTIES_BYTES, parseHostAddress } from '../protocol/message/index.js';
import { createRequest, markOneway } from '../protocol/remoting-command.js';
import { RequestCode } from '../protocol/request-code.js';
import { ResponseCode } from '../protocol/response-code.js';
import {
  type Channel,
  clientTls,
  loadTlsSettings,
  RemotingClient,
  RemotingServer,
  ServerTls,
} from '../remoting/index.js';
import type { MessageStoreConfig } from '../store/message-store-config.js';
import type { MessageExtBatch, MessageExtBrokerInner, PutMessageResult } from '../store/types.js';
import { createBrokerAcl } from './broker-acl.js';
import type { BrokerStore } from './broker-store.js';
import { ConsumerManager } from './client/consumer-manager.js';
import { ProducerManager } from './client/producer-manager.js';
import { RebalanceLockManager } from './client/rebalance-lock-manager.js';
import type { BrokerConfig } from './config/broker-config.js';
import { Sql92Filters } from './filter/sql92-filters.js';
import { PullRequestHoldService } from './longpolling/pull-request-hold-service.js';
import { startMetricsExporter } from './metrics-exporter.js';
import { ConsumerOffsetManager } from './offset/consumer-offset-manager.js';
import { type BrokerIdentity, BrokerOuterAPI } from './out/broker-outer-api.js';
import { PopLongPolling } from './pop/pop-long-polling.js';
import { PopService } from './pop/pop-service.js';
import { processPull } from './processor/pull-message-processor.js';
import { registerProcessors } from './processor/register-processors.js';
import { fail } from './processor/responses.js';
import { ScheduleMessageService } from './schedule/schedule-message-service.js';
import { SendQueue } from './send-queue.js';
import { BrokerStats } from './stats/broker-stats.js';
import { toMessageStoreConfig } from './store-config-map.js';
import { SubscriptionGroupManager } from './subscription/subscription-group-manager.js';
import { TimerMessageService } from './timer/timer-message-service.js';
import { TIMER_TOPIC } from './timer/timer-send.js';
import { TopicConfigManager } from './topic/topic-config-manager.js';
import { toHalfMessage } from './transaction/transaction-bridge.js';
import { TransactionCheckService } from './transaction/transaction-check-service.js';

/** The seam replication plugs into: awaited after every successful put (SYNC_MASTER waits for a slave). */
export interface ReplicationHook {
  afterPut(
    endOffset: number,
    waitStoreMsgOK?: boolean,
  ): Promise<'PUT_OK' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'>;
  onRegisterResult?(r: { haServerAddr?: string; masterAddr?: string } | undefined): void;
  start?(host?: string): Promise<number>;
  shutdown?(): Promise<void>;
  runtimeInfo?(): Record<string, string>;
}

export interface BrokerControllerOptions {
  config: BrokerConfig;
  /** Keys set explicitly in broker.conf / on the command line. */
  explicit?: ReadonlySet<string>;
  /** Opens the message store for this config (the store module's MessageStore by default). */
  createStore: (
    storeConfig: MessageStoreConfig,
    brokerConfig: BrokerConfig,
    /** The broker's log: the store's warnings (disk transitions, recovery cuts) go there. */
    log: Logger,
  ) => BrokerStore | Promise<BrokerStore>;
  /** Replication (HA engineer): built once the store is open. */
  createReplication?: (ctl: BrokerController) => ReplicationHook | undefined;
  logger?: Logger;
  /** Interface to listen on (default 0.0.0.0). */
  host?: string;
  /** broker.conf path: UPDATE_BROKER_CONFIG writes changed keys back to it, as Java does. */
  configFile?: string;
}

/** Java clamps registerNameServerPeriod to 10–60 s. */
function registerPeriod(ms: number): number {
  return Math.max(10_000, Math.min(60_000, ms));
}

/**
 * One broker: the store, the managers (topics, groups, offsets, clients, locks), the request processors on
 * the main port and the VIP port (listenPort − 2), registration with the name servers, long polling, the
 * delay scheduler and the periodic housekeeping. HA replication plugs in through `replication`.
 */
export class BrokerController {
  readonly config: BrokerConfig;
  readonly storeConfig: MessageStoreConfig;
  readonly log: Logger;
  store!: BrokerStore;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly rebalanceLockManager = new RebalanceLockManager();
  readonly schedule: ScheduleMessageService;
  /** RocketMQ 5 timer messages (timer wheel + timer log under the store root). */
  readonly timer: TimerMessageService;
  readonly pullHold: PullRequestHoldService;
  /** RocketMQ 5 POP consumption: leases, check points, revive, FIFO leases; and its long polling. */
  readonly pop: PopService;
  readonly popPolling = new PopLongPolling();
  /** Compiled SQL92 selectors of consumers (enablePropertyFilter). */
  readonly sql92Filters = new Sql92Filters();
  readonly stats = new BrokerStats();
  readonly sendQueue: SendQueue;
  readonly server: RemotingServer;
  fastServer: RemotingServer | undefined;
  /** RocketMQ 5 metrics (metricsExporterType=PROM); the send and pull paths feed it when set. */
  metrics: BrokerMetrics | undefined;
  /** Port of the Prometheus /metrics endpoint, 0 when off. */
  metricsPort = 0;
  private closeMetrics: (() => Promise<void>) | undefined;
  readonly remotingClient: RemotingClient;
  private readonly serverTls: ServerTls;
  readonly outerApi: BrokerOuterAPI;
  replication: ReplicationHook | undefined;
  /** Plain ACL (aclEnable=true): checks every request on both ports before its processor runs. */
  acl: PlainAccessValidator | undefined;
  /** Set from the name server's REGISTER_BROKER reply (slaves). */
  masterAddr: string | undefined;
  listenPort = 0;
  haListenPort = 0;
  storeHost: HostAddress = { ip: Buffer.from([127, 0, 0, 1]), port: 0 };
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly hostCache = new Map<string, HostAddress>();
  private started = false;
  private shuttingDown = false;
  readonly transactions = { toHalf: toHalfMessage };
  readonly transactionCheck: TransactionCheckService;

  constructor(private readonly opts: BrokerControllerOptions) {
    const c = opts.config;
    this.config = c;
    this.stats.detail = c.enableDetailStat;
    this.storeConfig = toMessageStoreConfig(c);
    this.log = opts.logger ?? createLogger('broker');
    const explicit = opts.explicit ?? new Set<string>();
    const template = {
      read:
        explicit.has('defaultReadQueueNums') || !explicit.has('defaultTopicQueueNums')
          ? c.defaultReadQueueNums
          : c.defaultTopicQueueNums,
      write:
        explicit.has('defaultWriteQueueNums') || !explicit.has('defaultTopicQueueNums')
          ? c.defaultWriteQueueNums
          : c.defaultTopicQueueNums,
    };
    this.topicConfigManager = new TopicConfigManager(c, this.log, template);
    this.subscriptionGroupManager = new SubscriptionGroupManager(c, this.log);
    this.consumerOffsetManager = new ConsumerOffsetManager(c, this.log);
    this.consumerManager = new ConsumerManager(this.log);
    this.producerManager = new ProducerManager(this.log);
    this.schedule = new ScheduleMessageService(
      c,
      this.log,
      () => this.store,
      (m) => this.putMessage(m),
    );
    this.timer = new TimerMessageService(
      c,
      this.log,
      () => this.store,
      (m) => this.putMessage(m, false),
    );
    this.pullHold = new PullRequestHoldService(
      (t, q) => this.store.getMaxOffsetInQueue(t, q),
      (pr) => this.wakeUpPull(pr),
      c.longPollingEnable ? 5000 : c.shortPollingTimeMills,
    );
    this.transactionCheck = new TransactionCheckService(this, this.log);
    this.pop = new PopService(this);
    this.pop.onAvailable = (topic, queueId) => this.popPolling.notify(topic, queueId);
    this.sendQueue = new SendQueue(
      256,
      c.sendThreadPoolQueueCapacity,
      c.waitTimeMillsInSendQueue,
      c.brokerFastFailureEnable,
    );
    // TLS as RocketMQ reads it (tls.server.mode, tls.enable; see remoting/tls): both ports, and the
    // broker's own connections to name servers and its master.
    const tls = loadTlsSettings();
    this.serverTls = new ServerTls(tls, this.log);
    // Connections and frames go to remoting.log, as RocketMQ splits its logs (unless a logger was given).
    const remotingLog = opts.logger ?? createLogger('remoting');
    this.server = new RemotingServer({
      idleMs: c.serverChannelMaxIdleTimeSeconds * 1000,
      logger: remotingLog,
      tls: this.serverTls,
    });
    this.remotingClient = new RemotingClient({ logger: remotingLog, tls: clientTls(undefined, tls) });
    this.outerApi = new BrokerOuterAPI(
      this.remotingClient,
      this.log,
      c.namesrvAddr,
      registerPeriod(c.registerNameServerPeriod),
    );
    this.consumerManager.onIdsChanged = (group, channels) => this.notifyConsumerIdsChanged(group, channels);
    this.topicConfigManager.onChange = (_tc, viaSend) => {
      if (viaSend && this.started) this.registerInBackground(true);
    };
  }

  /** broker.conf this broker was started from (UPDATE_BROKER_CONFIG persists there). */
  get configFile(): string | undefined {
    return this.opts.configFile;
  }

  /** Name servers this broker could not register with (address → reason), empty once all answer. */
  get unreachableNamesrvs(): ReadonlyMap<string, string> {
    return this.outerApi.unreachable;
  }

  /** How often the broker registers with its name servers (registerNameServerPeriod, clamped as Java does). */
  get registerPeriodMs(): number {
    return registerPeriod(this.config.registerNameServerPeriod);
  }

  get brokerAddr(): string {
    return `${this.config.brokerIP1}:${this.listenPort}`;
  }

  get haServerAddr(): string {
    return `${this.config.brokerIP2 || this.config.brokerIP1}:${this.haListenPort}`;
  }

  identity(): BrokerIdentity {
    return {
      clusterName: this.config.brokerClusterName,
      brokerName: this.config.brokerName,
      brokerAddr: this.brokerAddr,
      haServerAddr: this.haServerAddr,
      brokerId: this.config.brokerId,
    };
  }

  /** Opens the store, loads config/*.json, listens, registers, starts the background services. */
  async start(): Promise<void> {
    const c = this.config;
    this.acl = createBrokerAcl(c, this.log);
    for (const m of [
      this.topicConfigManager,
      this.subscriptionGroupManager,
      this.consumerOffsetManager,
      this.schedule,
      this.pop,
    ]) {
      if (!m.load()) throw new Error(`cannot load ${m.configFilePath()} (and no usable .bak next to it)`);
    }
    this.store = await this.opts.createStore(this.storeConfig, c, this.log);
    await this.store.start();
    this.store.onMessageArrive((topic, queueId, logicOffset, tagsCode) => {
      if (topic === TIMER_TOPIC) this.timer.notifyArrived();
      this.pullHold.notifyMessageArriving(topic, queueId, logicOffset + 1, tagsCode);
    });
    this.store.onMessageArrive((topic, queueId) => this.popPolling.notify(topic, queueId));

    const host = this.opts.host ?? '0.0.0.0';
    registerProcessors(this, this.server, false);
    if (this.acl) this.server.registerRpcHook(this.acl.rpcHook());
    this.listenPort = await this.server.listen(c.listenPort, host);
    this.storeHost = parseHostAddress(`${c.brokerIP1}:${this.listenPort}`);
    if (c.listenPort >= 3) {
      const fast = new RemotingServer({
        idleMs: c.serverChannelMaxIdleTimeSeconds * 1000,
        logger: this.server.log,
        tls: this.serverTls,
      });
      registerProcessors(this, fast, true);
      if (this.acl) fast.registerRpcHook(this.acl.rpcHook());
      try {
        await fast.listen(c.listenPort - 2, host);
        this.fastServer = fast;
      } catch (e) {
        this.log.warn({ port: c.listenPort - 2, err: (e as Error).message }, 'VIP channel port unavailable');
      }
    }
    for (const s of [this.server, this.fastServer]) s?.on('channelClose', (ch) => this.onChannelClose(ch));
    const exporter = await startMetricsExporter(this, [this.server, this.fastServer]);
    if (exporter) {
      this.metrics = exporter.metrics;
      this.metricsPort = exporter.port;
      this.closeMetrics = exporter.close;
      this.log.info({ port: exporter.port }, 'Prometheus metrics served on /metrics');
    }

    this.replication = this.opts.createReplication?.(this);
    this.haListenPort = c.listenPort === 0 ? 0 : c.listenPort + 1;
    if (this.replication?.start) {
      const port = await this.replication.start(host);
      if (port > 0) this.haListenPort = port;
    }

    this.pullHold.start();
    this.popPolling.start();
    if (c.brokerRole !== 'SLAVE') {
      await this.pop.start();
      this.schedule.start();
      this.timer.start();
      this.transactionCheck.start();
    }
    this.every(c.flushConsumerOffsetInterval, () => this.consumerOffsetManager.persistIfDirty());
    this.every(10_000, () => this.scanNotActiveChannels());
    this.every(60_000, () => this.stats.roll());
    this.every(50, () => this.sendQueue.sweep());
    this.started = true;
    if ((await this.registerBrokerAll(false)) === 0 && c.namesrvAddr) this.retryFirstRegistration(20, 0);
    const period = registerPeriod(c.registerNameServerPeriod);
    const first = setTimeout(
      () => {
        this.registerInBackground(false);
        this.every(period, () => this.registerInBackground(false));
      },
      Math.min(10_000, period),
    );
    first.unref();
    this.timers.push(first);
    this.log.info({ addr: this.brokerAddr, namesrv: c.namesrvAddr }, 'broker started');
  }

  /**
   * A name server started at the same moment may not listen yet: retry every 20 ms for its first second (a
   * refused loopback connect costs next to nothing, and start-to-ready is what scripts wait on), then back
   * off to 500 ms, instead of staying unknown to clients until the first periodic registration. After a
   * minute only the periodic registration retries (what the log's "retrying every 30 s" says).
   */
  private retryFirstRegistration(delayMs: number, attempt: number, until = Date.now() + 60_000): void {
    const t = setTimeout(async () => {
      if (this.shuttingDown || Date.now() > until) return;
      if ((await this.registerBrokerAll(false)) === 0)
        this.retryFirstRegistration(attempt < 50 ? 20 : Math.min(delayMs * 2, 500), attempt + 1, until);
    }, delayMs);
    t.unref();
    this.timers.push(t);
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      try {
        fn();
      } catch (e) {
        this.log.error({ err: (e as Error).message }, 'periodic task failed');
      }
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Registers the full topic table with every name server (sync unless `oneway`). */
  async registerBrokerAll(oneway: boolean): Promise<number> {
    if (!this.config.namesrvAddr || this.shuttingDown) return 0;
    const wrapper = this.topicConfigManager.wrapper();
    if ((this.config.brokerPermission & 6) !== 6) {
      const table = new Map<string, TopicConfig>();
      for (const [k, v] of topicTableEntries(wrapper.topicConfigTable))
        table.set(k, { ...v, perm: this.config.brokerPermission });
      wrapper.topicConfigTable = table;
    }
    const results = await this.outerApi.registerBrokerAll(this.identity(), wrapper, {
      oneway,
      timeoutMs: this.config.registerBrokerTimeoutMills,
      compressed: this.config.compressedRegister,
      enableSplitRegistration: this.config.enableSplitRegistration,
      splitRegistrationSize: this.config.splitRegistrationSize,
    });
    const first = results[0];
    if (first) {
      if (first.masterAddr) this.masterAddr = first.masterAddr;
      this.replication?.onRegisterResult?.(first);
    }
    return results.length;
  }

  private registerInBackground(oneway: boolean): void {
    this.registerBrokerAll(oneway).catch((e) =>
      this.log.error({ err: (e as Error).message }, 'register broker failed'),
    );
  }

  /**
   * The store put plus the replication wait (SYNC_MASTER). waitStoreMsgOK false (WAIT=false) waits for
   * neither the SYNC_FLUSH fdatasync nor the slave.
   */
  putMessage(msg: MessageExtBrokerInner, waitStoreMsgOK = true): Promise<PutMessageResult> {
    const begin = Date.now();
    // One .then instead of async/await + an async afterPut: fewer promises per send when there is no slave.
    let put: Promise<PutMessageResult>;
    try {
      put = this.store.putMessage(msg, waitStoreMsgOK);
    } catch (e) {
      return Promise.reject(e);
    }
    return put.then((r) => {
      this.stats.putLatency.record(Date.now() - begin);
      return this.replication ? this.afterPut(r, waitStoreMsgOK) : r;
    });
  }

  async putMessages(batch: MessageExtBatch, waitStoreMsgOK = true): Promise<PutMessageResult> {
    const begin = Date.now();
    const r = await this.store.putMessages(batch, waitStoreMsgOK);
    this.stats.putLatency.record(Date.now() - begin);
    return this.afterPut(r, waitStoreMsgOK);
  }

  private async afterPut(r: PutMessageResult, waitStoreMsgOK = true): Promise<PutMessageResult> {
    if (!this.replication || !r.appendResult || (r.status !== 'PUT_OK' && r.status !== 'FLUSH_DISK_TIMEOUT'))
      return r;
    const end = r.appendResult.wroteOffset + r.appendResult.wroteBytes;
    const status = await this.replication.afterPut(end, waitStoreMsgOK);
    return status === 'PUT_OK' ? r : { ...r, status };
  }

  /** Empty string when the message fits, else the MESSAGE_ILLEGAL remark naming the limit. */
  checkSize(bodyLength: number, properties: string | undefined): string | undefined {
    const max = this.config.maxMessageSize;
    if (bodyLength > max) {
      return `message body size ${bodyLength} bytes exceeds the broker limit maxMessageSize=${max} bytes (broker.conf)`;
    }
    const propsLen = properties ? Buffer.byteLength(properties) : 0;
    if (propsLen > MAX_PROPERTIES_BYTES) {
      return `message properties size ${propsLen} bytes exceeds the limit of ${MAX_PROPERTIES_BYTES} bytes`;
    }
    return undefined;
  }

  /** A channel's remote "ip:port" as a record host (IPv4; ali-ons cannot read IPv6 hosts). */
  hostOf(addr: string): HostAddress {
    let h = this.hostCache.get(addr);
    if (!h) {
      const i = addr.lastIndexOf(':');
      let ip = addr.slice(0, i).replace(/^\[|\]$/g, '');
      if (ip.startsWith('::ffff:')) ip = ip.slice(7);
      try {
        h = parseHostAddress(`${ip}:${addr.slice(i + 1)}`);
      } catch {
        h = { ip: Buffer.from([127, 0, 0, 1]), port: Number(addr.slice(i + 1)) || 0 };
      }
      if (this.hostCache.size > 10_000) this.hostCache.clear();
      this.hostCache.set(addr, h);
    }
    return h;
  }

  private wakeUpPull(pr: Parameters<PullRequestHoldService['suspend']>[2]): void {
    processPull(this, pr.request, pr.channel, false).then(
      (resp) => {
        if (resp) pr.channel.send(resp);
      },
      (e) => {
        // Answer anyway: a held pull left unanswered costs the consumer its whole 30 s request timeout.
        this.log.error({ err: (e as Error).message }, 'held pull failed');
        pr.channel.send(fail(pr.request, ResponseCode.SYSTEM_ERROR, `pull failed: ${(e as Error).message}`));
      },
    );
  }

  notifyConsumerIdsChanged(group: string, channels: Channel[]): void {
    if (!this.config.notifyConsumerIdsChangedEnable) return;
    for (const ch of channels) {
      ch.invokeOneway(
        markOneway(createRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: group })),
      );
    }
  }

  private onChannelClose(ch: Channel): void {
    this.consumerManager.channelClosed(ch);
    this.producerManager.channelClosed(ch);
  }

  private scanNotActiveChannels(): void {
    for (const ch of [...this.consumerManager.scanNotActive(), ...this.producerManager.scanNotActive()])
      ch.close();
  }

  /** Stop accepting, persist offsets, flush the store, unregister from the name servers. */
  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const t of this.timers) clearInterval(t);
    this.acl?.close();
    this.pullHold.shutdown();
    this.popPolling.shutdown();
    this.transactionCheck.shutdown();
    await this.server.close();
    await this.fastServer?.close();
    await this.closeMetrics?.();
    this.schedule.shutdown();
    if (this.started && this.config.brokerRole !== 'SLAVE') this.pop.shutdown();
    await this.timer.shutdown();
    this.consumerOffsetManager.persist();
    this.topicConfigManager.persist();
    this.subscriptionGroupManager.persist();
    await this.replication?.shutdown?.();
    if (this.started && this.config.namesrvAddr) await this.outerApi.unregisterBrokerAll(this.identity());
    await this.remotingClient.close();
    await this.store?.shutdown();
    this.log.info({ addr: this.brokerAddr }, 'broker shut down');
  }
}
