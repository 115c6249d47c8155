import { FastjsonMap, FastjsonSet, toFastjson } from '../fastjson.js';
import { asArray, asObject, asString, parseBodyObject, utf8 } from './json-util.js';
import { type BrokerData, brokerDataBean, brokerDataFromObject } from './topic-route-data.js';

/** GET_BROKER_CLUSTER_INFO body (protocol.md §7.5). */
export interface ClusterInfo {
  brokerAddrTable: Record<string, BrokerData>;
  clusterAddrTable: Record<string, string[]>;
}

/**
 * Always the legacy fastjson form with bare brokerId keys, as the Java name server writes it; its
 * HashMaps and HashSets come out in Java iteration order.
 */
export function encodeClusterInfo(c: ClusterInfo): Buffer {
  const table: Record<string, unknown> = {};
  for (const [name, b] of Object.entries(c.brokerAddrTable)) table[name] = brokerDataBean(b);
  const clusters: Record<string, unknown> = {};
  for (const [name, brokers] of Object.entries(c.clusterAddrTable)) clusters[name] = new FastjsonSet(brokers);
  return utf8(
    toFastjson({ brokerAddrTable: FastjsonMap.java(table), clusterAddrTable: FastjsonMap.java(clusters) }),
  );
}

export function decodeClusterInfo(body: Buffer | string): ClusterInfo {
  const obj = parseBodyObject(body, 'ClusterInfo');
  const brokers: Record<string, BrokerData> = {};
  for (const [name, b] of Object.entries(asObject(obj.brokerAddrTable, 'brokerAddrTable'))) {
    brokers[name] = brokerDataFromObject(b, `brokerAddrTable[${name}]`);
  }
  const clusters: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(asObject(obj.clusterAddrTable, 'clusterAddrTable'))) {
    clusters[name] = asArray(list, `clusterAddrTable[${name}]`).map((s, i) => asString(s, `${name}[${i}]`));
  }
  return { brokerAddrTable: brokers, clusterAddrTable: clusters };
}
