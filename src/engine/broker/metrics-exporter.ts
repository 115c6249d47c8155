import { statfsSync } from 'node:fs';
import type { BrokerMetrics, BrokerMetricsSource } from '../metrics/broker-metrics.js';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../protocol/message/index.js';
import { versionDesc } from '../protocol/mq-version.js';
import type { RemotingServer } from '../remoting/index.js';
import type { BrokerController } from './broker-controller.js';
import { earliestMessageTime } from './processor/admin-broker-processor.js';

/** Java's ConsumeType.getTypeCN, lower-cased as RocketMQ 5 labels consume_mode. */
const CONSUME_MODE: Record<string, string> = {
  CONSUME_PASSIVELY: 'push',
  CONSUME_ACTIVELY: 'pull',
  CONSUME_POP: 'pop',
};

/** The broker's answers to the gauges, read at scrape time. */
function metricsSource(ctl: BrokerController): BrokerMetricsSource {
  return {
    topicCount: () => ctl.topicConfigManager.table.size,
    groupCount: () => ctl.subscriptionGroupManager.table.size,
    permission: () => ctl.config.brokerPermission,
    storageSizeBytes: () => {
      try {
        const fs = statfsSync(ctl.config.storePathRootDir);
        return (fs.blocks - fs.bfree) * fs.bsize;
      } catch {
        return 0;
      }
    },
    flushBehindBytes: () => {
      const rs = ctl.store.getRuntimeStats();
      return Math.max(0, rs.commitLogMaxOffset - (rs.commitLogFlushedOffset ?? rs.commitLogMaxOffset));
    },
    dispatchBehindBytes: () => 0, // consume queues are dispatched in the put path
    earliestMessageTime: () => earliestMessageTime(ctl),
    processorQueues: () => [{ processor: 'send', size: ctl.sendQueue.size }],
    producerConnections: () => {
      const byKey = new Map<string, { language: string; version: string; count: number }>();
      for (const channels of ctl.producerManager.groups.values()) {
        for (const info of channels.values()) {
          const language = info.language.toLowerCase();
          const version = versionDesc(info.version).toLowerCase();
          const key = `${language}/${version}`;
          const row = byKey.get(key) ?? { language, version, count: 0 };
          row.count++;
          byKey.set(key, row);
        }
      }
      return [...byKey.values()];
    },
    consumerConnections: () => {
      const rows = new Map<
        string,
        { group: string; language: string; version: string; consumeMode: string; count: number }
      >();
      for (const [group, g] of ctl.consumerManager.groups) {
        const consumeMode = CONSUME_MODE[g.consumeType] ?? g.consumeType.toLowerCase();
        for (const info of g.channels.values()) {
          const language = info.language.toLowerCase();
          const version = versionDesc(info.version).toLowerCase();
          const key = `${group}/${language}/${version}`;
          const row = rows.get(key) ?? { group, language, version, consumeMode, count: 0 };
          row.count++;
          rows.set(key, row);
        }
      }
      return [...rows.values()];
    },
    consumerLag: () => {
      const now = Date.now();
      const out: ReturnType<BrokerMetricsSource['consumerLag']> = [];
      for (const [key, queues] of ctl.consumerOffsetManager.table) {
        const at = key.lastIndexOf('@');
        const topic = key.slice(0, at);
        const group = key.slice(at + 1);
        let lag = 0;
        let oldest = 0;
        for (const [queueId, committed] of queues) {
          const max = ctl.store.getMaxOffsetInQueue(topic, queueId);
          if (max <= committed) continue;
          lag += max - committed;
          const t = ctl.store.getMessageStoreTimeStamp(topic, queueId, Math.max(committed, 0));
          if (t > 0 && (oldest === 0 || t < oldest)) oldest = t;
        }
        out.push({
          group,
          topic,
          isRetry: topic.startsWith('%RETRY%'),
          lag,
          lagLatencyMs: oldest > 0 ? now - oldest : 0,
        });
      }
      return out;
    },
    halfMessages: () =>
      Math.max(
        0,
        ctl.store.getMaxOffsetInQueue(RMQ_SYS_TRANS_HALF_TOPIC, 0) -
          ctl.store.getMinOffsetInQueue(RMQ_SYS_TRANS_HALF_TOPIC, 0),
      ),
  };
}

/** rpc latency per request code, measured between the RPC hook's before and after calls. */
function timeRequests(metrics: BrokerMetrics, servers: Array<RemotingServer | undefined>): void {
  const started = new WeakMap<object, number>();
  for (const s of servers) {
    s?.registerRpcHook({
      doBeforeRequest: (_addr, req) => {
        started.set(req, performance.now());
      },
      doAfterResponse: (_addr, req, resp) => {
        const t = started.get(req);
        // A null reply without one-way is a suspended pull: its answer is written later, not timed here.
        if (t === undefined || (resp === null && (req.flag & 2) === 0)) return;
        metrics.rpc(req.code, resp ? resp.code : null, performance.now() - t);
      },
    });
  }
}

/**
 * RocketMQ 5's metrics exporter: with `metricsExporterType=PROM`, `/metrics` on
 * metricsPromExporterHost:metricsPromExporterPort. prom-client loads only then (off by default, as in
 * RocketMQ). Other exporter types are refused: mq has no OTLP or log exporter.
 */
export async function startMetricsExporter(
  ctl: BrokerController,
  servers: Array<RemotingServer | undefined>,
): Promise<{ metrics: BrokerMetrics; port: number; close(): Promise<void> } | undefined> {
  const c = ctl.config;
  if (c.metricsExporterType === 'DISABLE') return undefined;
  if (c.metricsExporterType !== 'PROM') {
    throw new Error(
      `metricsExporterType=${c.metricsExporterType} is not supported by mq: use PROM (Prometheus /metrics) or DISABLE`,
    );
  }
  const { BrokerMetrics } = await import('../metrics/broker-metrics.js');
  const { startPromServer } = await import('../metrics/prom-server.js');
  const metrics = new BrokerMetrics(
    { cluster: c.brokerClusterName, nodeId: c.brokerName, metricsLabel: c.metricsLabel },
    metricsSource(ctl),
  );
  timeRequests(metrics, servers);
  const server = await startPromServer(
    { text: () => metrics.text(), contentType: metrics.registry.contentType },
    c.metricsPromExporterHost,
    c.metricsPromExporterPort,
  );
  return { metrics, port: server.port, close: server.close };
}
