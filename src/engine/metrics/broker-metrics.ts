import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * RocketMQ 5's broker metrics (BrokerMetricsConstant, RemotingMetricsConstant, DefaultStoreMetricsConstant
 * names and labels) in one prom-client registry, plus Node's process metrics. Counters and histograms are fed
 * by the broker's send, pull and request paths; gauges are read from `BrokerMetricsSource` at scrape time,
 * so an idle broker spends nothing on them.
 */

/** What the gauges read, answered by the broker at scrape time (metrics never imports the broker). */
export interface BrokerMetricsSource {
  topicCount(): number;
  groupCount(): number;
  /** brokerPermission: 6 read/write, 4 read-only, 2 write-only. */
  permission(): number;
  /** Used bytes of the store's disk (Java: total - free of storePathRootDir). */
  storageSizeBytes(): number;
  flushBehindBytes(): number;
  dispatchBehindBytes(): number;
  /** Oldest stored message's store time, 0 when none. */
  earliestMessageTime(): number;
  processorQueues(): Array<{ processor: string; size: number }>;
  producerConnections(): Array<{ language: string; version: string; count: number }>;
  consumerConnections(): Array<{
    group: string;
    language: string;
    version: string;
    consumeMode: string;
    count: number;
  }>;
  /** Per group and topic: messages behind, and how old the oldest unconsumed message is (ms). */
  consumerLag(): Array<{ group: string; topic: string; isRetry: boolean; lag: number; lagLatencyMs: number }>;
  halfMessages(): number;
}

export interface BrokerMetricsLabels {
  cluster: string;
  /** The broker name (Java's node_id). */
  nodeId: string;
  /** broker.conf metricsLabel: `k1:v1,k2:v2` added to every series. */
  metricsLabel?: string;
}

/** System topics and groups as RocketMQ 5 flags them (is_system). */
function isSystemTopic(topic: string): boolean {
  return (
    topic.startsWith('rmq_sys_') ||
    topic.startsWith('RMQ_SYS_') ||
    topic === 'TBW102' ||
    topic === 'SCHEDULE_TOPIC_XXXX' ||
    topic === 'OFFSET_MOVED_EVENT' ||
    topic === 'SELF_TEST_TOPIC' ||
    topic.startsWith('%SYS%')
  );
}

function isSystemGroup(group: string): boolean {
  return group.startsWith('CID_RMQ_SYS_') || group.startsWith('CID_ONSAPI_') || group === 'TOOLS_CONSUMER';
}

/** `k1:v1,k2:v2` → labels, as BrokerMetricsManager reads metricsLabel. */
export function parseMetricsLabel(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const i = pair.indexOf(':');
    if (i > 0) out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

const KB = 1024;
const MESSAGE_SIZE_BUCKETS = [1 * KB, 4 * KB, 512 * KB, 1024 * KB, 2048 * KB, 4096 * KB];
const RPC_LATENCY_BUCKETS_MS = [1, 3, 5, 7, 10, 100, 1000, 2000, 3000];

export class BrokerMetrics {
  readonly registry = new Registry();
  private readonly messagesIn: Counter;
  private readonly messagesOut: Counter;
  private readonly throughputIn: Counter;
  private readonly throughputOut: Counter;
  private readonly messageSize: Histogram;
  private readonly rpcLatency: Histogram;
  private readonly sendToDlq: Counter;

  constructor(labels: BrokerMetricsLabels, source: BrokerMetricsSource) {
    const r = this.registry;
    r.setDefaultLabels({
      ...parseMetricsLabel(labels.metricsLabel),
      cluster: labels.cluster,
      node_type: 'broker',
      node_id: labels.nodeId,
    });
    collectDefaultMetrics({ register: r });
    const inLabels = ['topic', 'message_type', 'is_system'];
    const outLabels = ['topic', 'consumer_group', 'is_retry', 'is_system'];
    this.messagesIn = new Counter({
      name: 'rocketmq_messages_in_total',
      help: 'Total number of incoming messages',
      labelNames: inLabels,
      registers: [r],
    });
    this.messagesOut = new Counter({
      name: 'rocketmq_messages_out_total',
      help: 'Total number of outgoing messages',
      labelNames: outLabels,
      registers: [r],
    });
    this.throughputIn = new Counter({
      name: 'rocketmq_throughput_in_total',
      help: 'Total traffic of incoming messages (bytes)',
      labelNames: inLabels,
      registers: [r],
    });
    this.throughputOut = new Counter({
      name: 'rocketmq_throughput_out_total',
      help: 'Total traffic of outgoing messages (bytes)',
      labelNames: outLabels,
      registers: [r],
    });
    this.messageSize = new Histogram({
      name: 'rocketmq_message_size',
      help: 'Incoming messages size (bytes)',
      labelNames: ['topic', 'message_type'],
      buckets: MESSAGE_SIZE_BUCKETS,
      registers: [r],
    });
    this.rpcLatency = new Histogram({
      name: 'rocketmq_rpc_latency',
      help: 'Remoting request latency (milliseconds)',
      labelNames: ['protocol_type', 'request_code', 'response_code', 'is_long_polling', 'result'],
      buckets: RPC_LATENCY_BUCKETS_MS,
      registers: [r],
    });
    this.sendToDlq = new Counter({
      name: 'rocketmq_send_to_dlq_messages_total',
      help: 'Consumer send to DLQ messages',
      labelNames: ['consumer_group', 'topic', 'is_system'],
      registers: [r],
    });
    this.gauges(source);
  }

  /** Messages stored by a send (a batch counts each message; `bytes` is what the store wrote). */
  messagesStored(topic: string, messageType: string, count: number, bytes: number): void {
    const l = { topic, message_type: messageType, is_system: String(isSystemTopic(topic)) };
    this.messagesIn.inc(l, count);
    this.throughputIn.inc(l, bytes);
    const avg = bytes / Math.max(1, count);
    for (let i = 0; i < count; i++) this.messageSize.observe({ topic, message_type: messageType }, avg);
  }

  /** Messages handed to a consumer group by a pull. */
  messagesPulled(topic: string, group: string, count: number, bytes: number): void {
    const l = {
      topic,
      consumer_group: group,
      is_retry: String(topic.startsWith('%RETRY%')),
      is_system: String(isSystemTopic(topic) || isSystemGroup(group)),
    };
    this.messagesOut.inc(l, count);
    this.throughputOut.inc(l, bytes);
  }

  deadLettered(topic: string, group: string): void {
    this.sendToDlq.inc({ consumer_group: group, topic, is_system: String(isSystemGroup(group)) });
  }

  /** One remoting request answered (or one-way), with its time in ms. */
  rpc(requestCode: number, responseCode: number | null, ms: number, longPolling = false): void {
    this.rpcLatency.observe(
      {
        protocol_type: 'remoting',
        request_code: String(requestCode),
        response_code: responseCode === null ? '' : String(responseCode),
        is_long_polling: String(longPolling),
        result: responseCode === null ? 'oneway' : 'success',
      },
      ms,
    );
  }

  /** Prometheus text exposition of everything registered. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  private gauges(s: BrokerMetricsSource): void {
    const r = [this.registry];
    const simple = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: r,
        collect() {
          this.set(read());
        },
      });
    simple('rocketmq_topic_number', 'Active topic number', () => s.topicCount());
    simple('rocketmq_consumer_group_number', 'Active subscription group number', () => s.groupCount());
    simple('rocketmq_broker_permission', 'Broker permission', () => s.permission());
    simple('rocketmq_storage_size', 'Broker storage size (bytes)', () => s.storageSizeBytes());
    simple('rocketmq_storage_flush_behind_bytes', 'Broker flush behind bytes', () => s.flushBehindBytes());
    simple('rocketmq_storage_dispatch_behind_bytes', 'Broker dispatch behind bytes', () =>
      s.dispatchBehindBytes(),
    );
    simple('rocketmq_storage_message_reserve_time', 'Broker message reserve time (milliseconds)', () => {
      const t = s.earliestMessageTime();
      return t > 0 ? Date.now() - t : 0;
    });
    simple('rocketmq_half_messages', 'Half messages of all topics', () => s.halfMessages());
    new Gauge({
      name: 'rocketmq_processor_watermark',
      help: 'Request processor watermark',
      labelNames: ['processor'],
      registers: r,
      collect() {
        this.reset();
        for (const q of s.processorQueues()) this.set({ processor: q.processor }, q.size);
      },
    });
    new Gauge({
      name: 'rocketmq_producer_connections',
      help: 'Producer connections',
      labelNames: ['language', 'version', 'protocol_type'],
      registers: r,
      collect() {
        this.reset();
        for (const c of s.producerConnections())
          this.inc({ language: c.language, version: c.version, protocol_type: 'remoting' }, c.count);
      },
    });
    new Gauge({
      name: 'rocketmq_consumer_connections',
      help: 'Consumer connections',
      labelNames: ['consumer_group', 'language', 'version', 'consume_mode', 'protocol_type', 'is_system'],
      registers: r,
      collect() {
        this.reset();
        for (const c of s.consumerConnections())
          this.inc(
            {
              consumer_group: c.group,
              language: c.language,
              version: c.version,
              consume_mode: c.consumeMode,
              protocol_type: 'remoting',
              is_system: String(isSystemGroup(c.group)),
            },
            c.count,
          );
      },
    });
    // One scrape reads the lag once for both gauges.
    let lagRows: ReturnType<BrokerMetricsSource['consumerLag']> = [];
    const lagLabels = (g: { group: string; topic: string; isRetry: boolean }) => ({
      consumer_group: g.group,
      topic: g.topic,
      is_retry: String(g.isRetry),
      is_system: String(isSystemGroup(g.group) || isSystemTopic(g.topic)),
    });
    const lagNames = ['consumer_group', 'topic', 'is_retry', 'is_system'];
    new Gauge({
      name: 'rocketmq_consumer_lag_messages',
      help: 'Consumer lag messages',
      labelNames: lagNames,
      registers: r,
      collect() {
        this.reset();
        lagRows = s.consumerLag();
        for (const g of lagRows) this.set(lagLabels(g), g.lag);
      },
    });
    new Gauge({
      name: 'rocketmq_consumer_lag_latency',
      help: 'Consumer lag time (milliseconds)',
      labelNames: lagNames,
      registers: r,
      collect() {
        this.reset();
        for (const g of lagRows) this.set(lagLabels(g), g.lagLatencyMs);
      },
    });
  }
}
