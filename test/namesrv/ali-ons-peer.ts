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
    retryTimesWhenSendFailed: 0,
  });
  producer.on('error', (e) => keep(e.message));
  await producer.ready();
  return producer;
}
