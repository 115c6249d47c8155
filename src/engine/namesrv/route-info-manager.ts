import { type DataVersion, dataVersionEquals } from '../protocol/bodies/data-version.js';
import {
  Perm,
  type TopicConfig,
  type TopicConfigWrapperOut,
  topicTableValues,
} from '../protocol/bodies/topic-config.js';
import type { BrokerData, QueueData, TopicRouteData } from '../protocol/bodies/topic-route-data.js';
import { javaHashMapHash, javaHashOrder, javaLongHash } from '../protocol/java-hashmap-order.js';
import { RequestCode } from '../protocol/request-code.js';

/** A topic's queue data as registered already says what `tc` says. */
function sameQueueData(q: QueueData, tc: TopicConfig): boolean {
  return (
    q.readQueueNums === tc.readQueueNums &&
    q.writeQueueNums === tc.writeQueueNums &&
    q.perm === tc.perm &&
    q.topicSysFlag === tc.topicSysFlag
  );
}

/** TopicSysFlag bits used by the unit topic lists. */
const FLAG_UNIT = 0x1;
const FLAG_UNIT_SUB = 0x2;

export interface BrokerLiveInfo {
  lastUpdateTimestamp: number;
  dataVersion: DataVersion;
  /** The connection the broker registered over (identity only; closed on expiry). */
  channel: { close(): void } | null;
  haServerAddr: string;
}

export interface RegisterBrokerInput {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  topicConfigWrapper: TopicConfigWrapperOut;
  filterServerList: string[] | null;
  channel: BrokerLiveInfo['channel'];
}

export interface RegisterBrokerOutcome {
  haServerAddr?: string;
  masterAddr?: string;
}

interface BrokerEntry {
  cluster: string;
  brokerName: string;
  brokerAddrs: Map<number, string>;
}

/**
 * The name server's route tables and their update rules (protocol.md §8.1, RouteInfoManager.java).
 * Single-threaded, so no locks; `revision` changes on every mutation so callers can cache encoded routes.
 */
export class RouteInfoManager {
  readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  readonly brokerAddrTable = new Map<string, BrokerEntry>();
  readonly clusterAddrTable = new Map<string, Set<string>>();
  readonly brokerLiveTable = new Map<string, BrokerLiveInfo>();
  readonly filterServerTable = new Map<string, string[]>();
  revision = 0;

  constructor(private readonly now: () => number = Date.now) {}

  registerBroker(r: RegisterBrokerInput): RegisterBrokerOutcome {
    // The revision moves only when a route would read differently: a broker re-registering every 30 s with
    // the same table must not throw away every encoded route (the processor's cache, RouteBodies).
    const before = this.revision;
    const mutated = () => {
      this.revision = before + 1;
    };
    const result: RegisterBrokerOutcome = {};
    let names = this.clusterAddrTable.get(r.clusterName);
    if (!names) this.clusterAddrTable.set(r.clusterName, (names = new Set()));
    if (!names.has(r.brokerName)) {
      names.add(r.brokerName);
      mutated();
    }

    let registerFirst = false;
    let bd = this.brokerAddrTable.get(r.brokerName);
    if (!bd) {
      registerFirst = true;
      bd = { cluster: r.clusterName, brokerName: r.brokerName, brokerAddrs: new Map() };
      this.brokerAddrTable.set(r.brokerName, bd);
      mutated();
    }
    // One record per ip:port: a slave switching to master first loses its old id.
    for (const [id, addr] of bd.brokerAddrs) {
      if (addr === r.brokerAddr && id !== r.brokerId) {
        bd.brokerAddrs.delete(id);
        mutated();
      }
    }
    const oldAddr = bd.brokerAddrs.get(r.brokerId);
    if (oldAddr !== r.brokerAddr) {
      bd.brokerAddrs.set(r.brokerId, r.brokerAddr);
      mutated();
    }
    registerFirst = registerFirst || oldAddr === undefined;

    if (r.brokerId === 0) {
      const changed =
        registerFirst || this.isBrokerTopicConfigChanged(r.brokerAddr, r.topicConfigWrapper.dataVersion);
      for (const tc of topicTableValues(r.topicConfigWrapper.topicConfigTable)) {
        let qmap = this.topicQueueTable.get(tc.topicName);
        const old = qmap?.get(r.brokerName);
        // RocketMQ 5's isTopicConfigChanged: with an unchanged DataVersion, a topic this broker is not yet
        // listed under is still added, which is what lets a table registered in parts arrive whole.
        if (old && (!changed || sameQueueData(old, tc))) continue;
        if (!qmap) this.topicQueueTable.set(tc.topicName, (qmap = new Map()));
        qmap.set(r.brokerName, {
          brokerName: r.brokerName,
          readQueueNums: tc.readQueueNums,
          writeQueueNums: tc.writeQueueNums,
          perm: tc.perm,
          topicSysFlag: tc.topicSysFlag,
        });
        mutated();
      }
    }

    this.brokerLiveTable.set(r.brokerAddr, {
      lastUpdateTimestamp: this.now(),
      dataVersion: r.topicConfigWrapper.dataVersion,
      channel: r.channel,
      haServerAddr: r.haServerAddr,
    });

    if (r.filterServerList) {
      const had = this.filterServerTable.get(r.brokerAddr);
      if (r.filterServerList.length === 0) {
        if (this.filterServerTable.delete(r.brokerAddr)) mutated();
      } else {
        this.filterServerTable.set(r.brokerAddr, r.filterServerList);
        if (!had || had.join('\n') !== r.filterServerList.join('\n')) mutated();
      }
    }

    if (r.brokerId !== 0) {
      const master = bd.brokerAddrs.get(0);
      if (master !== undefined) {
        const live = this.brokerLiveTable.get(master);
        if (live) {
          result.haServerAddr = live.haServerAddr;
          result.masterAddr = master;
        }
      }
    }
    return result;
  }

  isBrokerTopicConfigChanged(brokerAddr: string, version: DataVersion): boolean {
    const prev = this.brokerLiveTable.get(brokerAddr)?.dataVersion;
    return !prev || !dataVersionEquals(prev, version);
  }

  queryBrokerTopicConfig(brokerAddr: string): DataVersion | undefined {
    return this.brokerLiveTable.get(brokerAddr)?.dataVersion;
  }

  updateBrokerInfoUpdateTimestamp(brokerAddr: string, ts = this.now()): void {
    const live = this.brokerLiveTable.get(brokerAddr);
    if (live) live.lastUpdateTimestamp = ts;
  }

  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): void {
    this.revision++;
    this.brokerLiveTable.delete(brokerAddr);
    this.filterServerTable.delete(brokerAddr);
    let removeBrokerName = false;
    const bd = this.brokerAddrTable.get(brokerName);
    if (bd) {
      bd.brokerAddrs.delete(brokerId);
      if (bd.brokerAddrs.size === 0) {
        this.brokerAddrTable.delete(brokerName);
        removeBrokerName = true;
      }
    }
    if (removeBrokerName) {
      const names = this.clusterAddrTable.get(clusterName);
      if (names) {
        names.delete(brokerName);
        if (names.size === 0) this.clusterAddrTable.delete(clusterName);
      }
      this.removeTopicsOfBroker(brokerName);
    }
  }

  private removeTopicsOfBroker(brokerName: string): void {
    for (const [topic, qmap] of this.topicQueueTable) {
      qmap.delete(brokerName);
      if (qmap.size === 0) this.topicQueueTable.delete(topic);
    }
  }

  /** Drops brokers silent for longer than `expiredMs`; returns the addresses removed. */
  scanNotActiveBroker(expiredMs: number): string[] {
    const removed: string[] = [];
    const now = this.now();
    for (const [addr, live] of this.brokerLiveTable) {
      if (live.lastUpdateTimestamp + expiredMs < now) {
        try {
          live.channel?.close();
        } catch {
          /* already closed */
        }
        this.brokerLiveTable.delete(addr);
        this.onChannelDestroy(addr, live.channel);
        removed.push(addr);
      }
    }
    return removed;
  }

  /**
   * A broker connection closed (or expired): find the broker by channel, else by the remote address,
   * and remove it everywhere. Returns the broker address destroyed, if any.
   */
  onChannelDestroy(remoteAddr: string, channel: BrokerLiveInfo['channel']): string | undefined {
    let found: string | undefined;
    if (channel) {
      for (const [addr, live] of this.brokerLiveTable) {
        if (live.channel === channel) {
          found = addr;
          break;
        }
      }
    }
    found ??= remoteAddr;
    if (!found) return undefined;
    this.revision++;
    this.brokerLiveTable.delete(found);
    this.filterServerTable.delete(found);
    let nameFound: string | undefined;
    let removeBrokerName = false;
    for (const [name, bd] of this.brokerAddrTable) {
      for (const [id, addr] of bd.brokerAddrs) {
        if (addr === found) {
          nameFound = bd.brokerName;
          bd.brokerAddrs.delete(id);
          break;
        }
      }
      if (bd.brokerAddrs.size === 0) {
        removeBrokerName = true;
        this.brokerAddrTable.delete(name);
      }
      if (nameFound) break;
    }
    if (nameFound && removeBrokerName) {
      for (const [cluster, names] of this.clusterAddrTable) {
        if (names.delete(nameFound)) {
          if (names.size === 0) this.clusterAddrTable.delete(cluster);
          break;
        }
      }
      this.removeTopicsOfBroker(nameFound);
    }
    return nameFound ? found : undefined;
  }

  /** The route of `topic`, or undefined when it has no queues or no live broker (→ TOPIC_NOT_EXIST). */
  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const qmap = this.topicQueueTable.get(topic);
    if (!qmap || qmap.size === 0) return undefined;
    // Java iterates its HashMap/HashSet keyed by brokerName: same order, so the JSON matches a Java name server.
    const queueDatas = javaHashOrder(
      [...qmap.values()].map((q) => ({ ...q })),
      (q) => javaHashMapHash(q.brokerName),
    );
    const brokerDatas: BrokerData[] = [];
    const filterServerTable: Record<string, string[]> = {};
    for (const q of queueDatas) {
      const bd = this.brokerAddrTable.get(q.brokerName);
      if (!bd) continue;
      const copy = this.brokerDataOf(bd);
      brokerDatas.push(copy);
      if (this.filterServerTable.size > 0) {
        for (const addr of Object.values(copy.brokerAddrs)) {
          const list = this.filterServerTable.get(addr);
          if (list) filterServerTable[addr] = [...list];
        }
      }
    }
    if (brokerDatas.length === 0) return undefined;
    return { queueDatas, brokerDatas, filterServerTable };
  }

  brokerDataOf(bd: BrokerEntry): BrokerData {
    const addrs: Record<string, string> = {};
    for (const id of [...bd.brokerAddrs.keys()].sort((a, b) => a - b))
      addrs[String(id)] = bd.brokerAddrs.get(id)!;
    return { cluster: bd.cluster, brokerName: bd.brokerName, brokerAddrs: addrs };
  }

  getAllClusterInfo(): {
    brokerAddrTable: Record<string, BrokerData>;
    clusterAddrTable: Record<string, string[]>;
  } {
    const brokerAddrTable: Record<string, BrokerData> = {};
    for (const [name, bd] of this.brokerAddrTable) brokerAddrTable[name] = this.brokerDataOf(bd);
    const clusterAddrTable: Record<string, string[]> = {};
    for (const [cluster, names] of this.clusterAddrTable) clusterAddrTable[cluster] = [...names];
    return { brokerAddrTable, clusterAddrTable };
  }

  /** WIPE_WRITE_PERM_OF_BROKER / ADD_WRITE_PERM_OF_BROKER: returns the number of topics touched. */
  operateWritePermOfBroker(brokerName: string, code: number): number {
    this.revision++;
    let count = 0;
    for (const qmap of this.topicQueueTable.values()) {
      const qd = qmap.get(brokerName);
      if (!qd) continue;
      qd.perm =
        code === RequestCode.WIPE_WRITE_PERM_OF_BROKER ? qd.perm & ~Perm.WRITE : Perm.READ | Perm.WRITE;
      count++;
    }
    return count;
  }

  deleteTopic(topic: string, clusterName?: string): void {
    this.revision++;
    if (!clusterName) {
      this.topicQueueTable.delete(topic);
      return;
    }
    const names = this.clusterAddrTable.get(clusterName);
    const qmap = this.topicQueueTable.get(topic);
    if (!names || !qmap) return;
    for (const name of names) qmap.delete(name);
    if (qmap.size === 0) this.topicQueueTable.delete(topic);
  }

  getAllTopicList(): string[] {
    return [...this.topicQueueTable.keys()];
  }

  getTopicsByCluster(cluster: string): string[] {
    const names = this.clusterAddrTable.get(cluster);
    if (!names) return [];
    const out = new Set<string>();
    for (const name of names) {
      for (const [topic, qmap] of this.topicQueueTable) if (qmap.has(name)) out.add(topic);
    }
    return [...out];
  }

  /** Cluster and broker names, plus one broker address to ask (GET_SYSTEM_TOPIC_LIST_FROM_NS). */
  getSystemTopicList(): { topicList: string[]; brokerAddr?: string } {
    const list = new Set<string>();
    for (const [cluster, names] of this.clusterAddrTable) {
      list.add(cluster);
      for (const n of names) list.add(n);
    }
    // Java: the first address (HashMap<Long,String> order) of the first broker (HashMap order).
    let brokerAddr: string | undefined;
    for (const name of javaHashOrder([...this.brokerAddrTable.keys()], javaHashMapHash)) {
      const ids = javaHashOrder([...this.brokerAddrTable.get(name)!.brokerAddrs.keys()], javaLongHash);
      if (ids.length > 0) {
        brokerAddr = this.brokerAddrTable.get(name)!.brokerAddrs.get(ids[0]);
        break;
      }
    }
    return { topicList: [...list], brokerAddr };
  }

  private topicsWhere(pick: (flag: number) => boolean): string[] {
    const out: string[] = [];
    for (const [topic, qmap] of this.topicQueueTable) {
      const first = qmap.values().next();
      if (!first.done && pick(first.value.topicSysFlag)) out.push(topic);
    }
    return out;
  }

  getUnitTopics(): string[] {
    return this.topicsWhere((f) => (f & FLAG_UNIT) !== 0);
  }

  getHasUnitSubTopicList(): string[] {
    return this.topicsWhere((f) => (f & FLAG_UNIT_SUB) !== 0);
  }

  getHasUnitSubUnUnitTopicList(): string[] {
    return this.topicsWhere((f) => (f & FLAG_UNIT) === 0 && (f & FLAG_UNIT_SUB) !== 0);
  }
}
