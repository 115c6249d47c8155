// Shared by tests and the fixture recorder: an ali-ons 3.12.0 producer pointed at a name server.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface AliOnsRoute {
  brokerDatas: Array<{ brokerName: string; brokerAddrs: Record<string, string>; cluster?: string }>;
  queueDatas: Array<{ brokerName: string; perm: number; readQueueNums: number; writeQueueNums: number }>;
  filterServerTable: Record<string, string[]>;
}

export interface AliOnsProducer {
  ready(): Promise<void>;
  close(): Promise<void>;
  on(ev: string, fn: (e: Error) => void): void;
  _mqClient: {
    getTopicRouteInfoFromNameServer(topic: string, timeout: number): Promise<AliOnsRoute>;
    getDefaultTopicRouteInfoFromNameServer(topic: string, timeout: number): Promise<AliOnsRoute>;
    updateTopicRouteInfoFromNameServer(topic: string): Promise<void>;
    _brokerAddrTable: Map<string, Record<string, string>>;
  };
}

/** A started ali-ons Producer using `namesrv`; its errors are collected instead of thrown. */
export async function startAliOnsProducer(namesrv: string, errors: string[] = []): Promise<AliOnsProducer> {
  const { Producer } = require('ali-ons') as { Producer: new (o: object) => AliOnsProducer };
  const keep = (...a: unknown[]) => errors.push(a.map(String).join(' '));
  const logger = { info() {}, debug() {}, warn: keep, error: keep };
  const httpclient = {
    async request() {
      throw new Error('httpclient unused: nameSrv is set');
    },
  };
  const producer = new Producer({
    nameSrv: namesrv,
    httpclient,
    logger,
    clientIP: '127.0.0.1',
    instanceName: `t${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`,
    producerGroup: `PG_${Date.now()}`,
    sendMsgTimeout: 1000,
    // ali-ons' scheduled loops sleep for these intervals and only notice close() when they wake up:
    // short intervals let the test process exit promptly.
    pollNameServerInteval: 500,
    heartbeatBrokerInterval: 500,
    rebalanceInterval: 500,
    persistConsumerOffsetInterval: 500,
    retryTimesWhenSendFailed: 0,
  });
  producer.on('error', (e) => keep(e.message));
  await producer.ready();
  // ali-ons' process-wide inner producer reports errors too (e.g. heartbeats to a dead broker address)
  const inner = (require('ali-ons') as { Producer: { defaultProducer?: AliOnsProducer | null } }).Producer
    .defaultProducer;
  inner?.on('error', (e) => keep(e.message));
  return producer;
}

/**
 * Closes the producer and ali-ons' process-wide inner producer (CLIENT_INNER_PRODUCER), which otherwise
 * keeps the shared MQClient and its 30 s timers alive. Bounded: unregister calls to dead brokers may hang.
 */
export async function closeAliOnsProducer(producer: AliOnsProducer): Promise<void> {
  const { Producer } = require('ali-ons') as { Producer: { defaultProducer?: AliOnsProducer | null } };
  const bounded = (p: Promise<unknown>) =>
    Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
  await bounded(producer.close());
  const inner = Producer.defaultProducer;
  if (inner) {
    Producer.defaultProducer = null;
    await bounded(inner.close());
  }
  // close() skips the shared client when an unregister call to a dead broker failed first: force it.
  const mq = producer._mqClient as unknown as {
    _producerTable: Map<string, unknown>;
    close(): Promise<void>;
  };
  mq._producerTable.clear();
  await bounded(mq.close());
}
