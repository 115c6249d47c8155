import { FastjsonMap, toFastjson } from '../fastjson.js';
import { asArray, asNumber, asObject, asString, parseBodyObject, utf8 } from './json-util.js';

/** Per-broker queue layout of a topic (`QueueData`). */
export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicSysFlag: number;
}

/** A broker group (`BrokerData`): brokerAddrs keyed by brokerId as decimal text, "0" = master. */
export interface BrokerData {
  cluster: string;
  brokerName: string;
  brokerAddrs: Record<string, string>;
}

/** GET_ROUTEINFO_BY_TOPIC reply body (protocol.md §7.3). */
export interface TopicRouteData {
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
  filterServerTable: Record<string, string[]>;
}

export const MASTER_ID = 0;

export function queueDataBean(q: QueueData): Record<string, unknown> {
  return {
    brokerName: q.brokerName,
    perm: q.perm,
    readQueueNums: q.readQueueNums,
    topicSysFlag: q.topicSysFlag,
    writeQueueNums: q.writeQueueNums,
  };
}

/** BrokerData bean; brokerAddrs is a HashMap<Long,String>, so its keys are written bare in the legacy form. */
export function brokerDataBean(b: BrokerData): Record<string, unknown> {
  return {
    brokerAddrs: FastjsonMap.java(b.brokerAddrs, { numericKeys: true }),
    brokerName: b.brokerName,
    cluster: b.cluster,
  };
}

export interface RouteEncodeOptions {
  /** 4.9.4+ standard JSON (quoted, sorted keys); false = legacy fastjson form with bare keys. Default true. */
  standard?: boolean;
}

export function topicRouteDataToJson(r: TopicRouteData, opts: RouteEncodeOptions = {}): string {
  return toFastjson(
    {
      brokerDatas: r.brokerDatas.map(brokerDataBean),
      filterServerTable: FastjsonMap.java(r.filterServerTable),
      orderTopicConf: r.orderTopicConf,
      queueDatas: r.queueDatas.map(queueDataBean),
    },
    { standard: opts.standard !== false },
  );
}

export function encodeTopicRouteData(r: TopicRouteData, opts: RouteEncodeOptions = {}): Buffer {
  return utf8(topicRouteDataToJson(r, opts));
}

export function brokerDataFromObject(o: unknown, what = 'BrokerData'): BrokerData {
  const obj = asObject(o, what);
  const addrs: Record<string, string> = {};
  for (const [id, addr] of Object.entries(asObject(obj.brokerAddrs, `${what}.brokerAddrs`))) {
    addrs[id] = asString(addr, `${what}.brokerAddrs[${id}]`);
  }
  return {
    cluster: asString(obj.cluster, `${what}.cluster`, ''),
    brokerName: asString(obj.brokerName, `${what}.brokerName`),
    brokerAddrs: addrs,
  };
}

export function queueDataFromObject(o: unknown, what = 'QueueData'): QueueData {
  const obj = asObject(o, what);
  return {
    brokerName: asString(obj.brokerName, `${what}.brokerName`),
    readQueueNums: asNumber(obj.readQueueNums, `${what}.readQueueNums`, 0),
    writeQueueNums: asNumber(obj.writeQueueNums, `${what}.writeQueueNums`, 0),
    perm: asNumber(obj.perm, `${what}.perm`, 0),
    // very old name servers spelled it topicSynFlag
    topicSysFlag: asNumber(obj.topicSysFlag ?? obj.topicSynFlag, `${what}.topicSysFlag`, 0),
  };
}

/** Decodes either form (bare or quoted brokerId keys). */
export function decodeTopicRouteData(body: Buffer | string): TopicRouteData {
  const obj = parseBodyObject(body, 'TopicRouteData');
  const filters: Record<string, string[]> = {};
  for (const [addr, list] of Object.entries(asObject(obj.filterServerTable, 'filterServerTable'))) {
    filters[addr] = asArray(list, `filterServerTable[${addr}]`).map((s, i) =>
      asString(s, `filterServer[${i}]`),
    );
  }
  const route: TopicRouteData = {
    queueDatas: asArray(obj.queueDatas, 'queueDatas').map((q, i) =>
      queueDataFromObject(q, `queueDatas[${i}]`),
    ),
    brokerDatas: asArray(obj.brokerDatas, 'brokerDatas').map((b, i) =>
      brokerDataFromObject(b, `brokerDatas[${i}]`),
    ),
    filterServerTable: filters,
  };
  if (obj.orderTopicConf !== undefined && obj.orderTopicConf !== null) {
    route.orderTopicConf = asString(obj.orderTopicConf, 'orderTopicConf');
  }
  return route;
}

/** The master address of a broker group, if it has one. */
export function masterAddr(b: BrokerData): string | undefined {
  return b.brokerAddrs[String(MASTER_ID)];
}
