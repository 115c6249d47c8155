import type { AdminClient, Properties } from './admin-client.js';
import { AdminError } from './errors.js';

/** A per-address failure inside a multi-broker command: the rest still runs, the command exits non-zero. */
export interface AddrFailure {
  addr: string;
  error: string;
}

/** One clusterList row (default view): the GET_BROKER_RUNTIME_INFO figures mqadmin shows. */
export interface ClusterBrokerRow {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  version: string;
  inTps: number;
  outTps: number;
  sendThreadPoolQueueSize: string;
  sendThreadPoolQueueHeadWaitTimeMills: string;
  pullThreadPoolQueueSize: string;
  pullThreadPoolQueueHeadWaitTimeMills: string;
  pageCacheLockTimeMills: string;
  /** Hours since the earliest stored message. */
  hours: number;
  /** commitLogDiskRatio (0..1). */
  space: number;
  /** Set when the broker did not answer; the figures are then zero/empty. */
  error?: string;
}

/** One clusterList -m row: message counts of yesterday and today. */
export interface ClusterMoreStatsRow {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  inTotalYest: number;
  outTotalYest: number;
  inTotalToday: number;
  outTotalToday: number;
  error?: string;
}

/** Brokers in mqadmin's order: cluster, broker name (sorted), then broker id. */
async function brokersInOrder(
  admin: AdminClient,
): Promise<Array<{ clusterName: string; brokerName: string; brokerId: number; addr: string }>> {
  const ci = await admin.examineBrokerClusterInfo();
  const out: Array<{ clusterName: string; brokerName: string; brokerId: number; addr: string }> = [];
  for (const clusterName of Object.keys(ci.clusterAddrTable).sort()) {
    for (const brokerName of [...ci.clusterAddrTable[clusterName]!].sort()) {
      const bd = ci.brokerAddrTable[brokerName];
      if (!bd) continue;
      for (const [id, addr] of Object.entries(bd.brokerAddrs).sort((a, b) => Number(a[0]) - Number(b[0]))) {
        out.push({ clusterName, brokerName, brokerId: Number(id), addr });
      }
    }
  }
  return out;
}

function firstDouble(s: string | undefined): number {
  const n = Number((s ?? '').trim().split(' ')[0]);
  return Number.isFinite(n) ? n : 0;
}

export async function clusterList(
  admin: AdminClient,
  now = Date.now(),
): Promise<{ brokers: ClusterBrokerRow[] }> {
  const rows: ClusterBrokerRow[] = [];
  for (const b of await brokersInOrder(admin)) {
    const row: ClusterBrokerRow = {
      ...b,
      version: '',
      inTps: 0,
      outTps: 0,
      sendThreadPoolQueueSize: '',
      sendThreadPoolQueueHeadWaitTimeMills: '',
      pullThreadPoolQueueSize: '',
      pullThreadPoolQueueHeadWaitTimeMills: '',
      pageCacheLockTimeMills: '',
      hours: 0,
      space: 0,
    };
    try {
      const kv = await admin.fetchBrokerRuntimeStats(b.addr);
      row.version = kv.brokerVersionDesc ?? '';
      row.inTps = firstDouble(kv.putTps);
      row.outTps = firstDouble(kv.getTransferedTps);
      row.sendThreadPoolQueueSize = kv.sendThreadPoolQueueSize ?? '';
      row.sendThreadPoolQueueHeadWaitTimeMills = kv.sendThreadPoolQueueHeadWaitTimeMills ?? '';
      row.pullThreadPoolQueueSize = kv.pullThreadPoolQueueSize ?? '';
      row.pullThreadPoolQueueHeadWaitTimeMills = kv.pullThreadPoolQueueHeadWaitTimeMills ?? '';
      row.pageCacheLockTimeMills = kv.pageCacheLockTimeMills ?? '';
      // An empty store reports 0: show no age rather than the hours since 1970.
      const earliest = Number(kv.earliestMessageTimeStamp);
      if (earliest > 0) row.hours = (now - earliest) / 3_600_000;
      if (kv.commitLogDiskRatio) row.space = Number(kv.commitLogDiskRatio) || 0;
    } catch (err) {
      row.error = (err as Error).message;
    }
    rows.push(row);
  }
  return { brokers: rows };
}

export async function clusterMoreStats(admin: AdminClient): Promise<{ brokers: ClusterMoreStatsRow[] }> {
  const rows: ClusterMoreStatsRow[] = [];
  for (const b of await brokersInOrder(admin)) {
    const row: ClusterMoreStatsRow = {
      ...b,
      inTotalYest: 0,
      outTotalYest: 0,
      inTotalToday: 0,
      outTotalToday: 0,
    };
    try {
      const kv = await admin.fetchBrokerRuntimeStats(b.addr);
      const n = (k: string) => Number(kv[k] ?? 0) || 0;
      row.inTotalYest = n('msgPutTotalTodayMorning') - n('msgPutTotalYesterdayMorning');
      row.outTotalYest = n('msgGetTotalTodayMorning') - n('msgGetTotalYesterdayMorning');
      row.inTotalToday = n('msgPutTotalTodayNow') - n('msgPutTotalTodayMorning');
      row.outTotalToday = n('msgGetTotalTodayNow') - n('msgGetTotalTodayMorning');
    } catch (err) {
      row.error = (err as Error).message;
    }
    rows.push(row);
  }
  return { brokers: rows };
}

export interface BrokerStatus {
  addr: string;
  /** Runtime KV table, keys sorted. */
  stats: Properties;
  error?: string;
}

/** `brokerStatus -b ADDR` (one broker) or `-c CLUSTER` (every master and slave of the cluster). */
export async function brokerStatus(
  admin: AdminClient,
  target: { brokerAddr?: string; clusterName?: string },
): Promise<{ brokers: BrokerStatus[] }> {
  let addrs: string[];
  if (target.brokerAddr) addrs = [target.brokerAddr];
  else if (target.clusterName) {
    addrs = (await admin.mastersAndSlavesOfCluster(target.clusterName)).flatMap((m) => [
      m.master,
      ...m.slaves,
    ]);
  } else throw new AdminError('brokerStatus needs -b brokerAddr or -c clusterName');
  const out: BrokerStatus[] = [];
  for (const addr of addrs) {
    try {
      out.push({ addr, stats: sortKeys(await admin.fetchBrokerRuntimeStats(addr)) });
    } catch (err) {
      if (target.brokerAddr) throw err;
      out.push({ addr, stats: {}, error: (err as Error).message });
    }
  }
  return { brokers: out };
}

export function sortKeys(p: Properties): Properties {
  const out: Properties = {};
  for (const k of Object.keys(p).sort()) out[k] = p[k]!;
  return out;
}

export interface BrokerConfigEntry {
  addr: string;
  role: 'broker' | 'master' | 'slave';
  /** For a slave: its master. */
  master?: string;
  config: Properties;
}

/** `getBrokerConfig -b ADDR | -c CLUSTER`. */
export async function getBrokerConfig(
  admin: AdminClient,
  target: { brokerAddr?: string; clusterName?: string },
): Promise<{ brokers: BrokerConfigEntry[] }> {
  if (target.brokerAddr) {
    return {
      brokers: [
        {
          addr: target.brokerAddr,
          role: 'broker',
          config: sortKeys(await admin.getBrokerConfig(target.brokerAddr)),
        },
      ],
    };
  }
  if (!target.clusterName) throw new AdminError('getBrokerConfig needs -b brokerAddr or -c clusterName');
  const out: BrokerConfigEntry[] = [];
  for (const { master, slaves } of await admin.mastersAndSlavesOfCluster(target.clusterName)) {
    out.push({ addr: master, role: 'master', config: sortKeys(await admin.getBrokerConfig(master)) });
    for (const s of slaves) {
      out.push({ addr: s, role: 'slave', master, config: sortKeys(await admin.getBrokerConfig(s)) });
    }
  }
  return { brokers: out };
}

/** `updateBrokerConfig -k K -v V (-b ADDR | -c CLUSTER)`: every master of a cluster, failures collected. */
export async function updateBrokerConfig(
  admin: AdminClient,
  target: { brokerAddr?: string; clusterName?: string },
  key: string,
  value: string,
): Promise<{ key: string; value: string; updated: string[]; failed: AddrFailure[] }> {
  const addrs = target.brokerAddr
    ? [target.brokerAddr]
    : target.clusterName
      ? await admin.masterAddrsOfCluster(target.clusterName)
      : undefined;
  if (!addrs) throw new AdminError('updateBrokerConfig needs -b brokerAddr or -c clusterName');
  const updated: string[] = [];
  const failed: AddrFailure[] = [];
  for (const addr of addrs) {
    try {
      await admin.updateBrokerConfig(addr, { [key]: value });
      updated.push(addr);
    } catch (err) {
      if (target.brokerAddr) throw err;
      failed.push({ addr, error: (err as Error).message });
    }
  }
  return { key, value, updated, failed };
}

/** `getNamesrvConfig`: each name server's config (all of -n). */
export async function getNamesrvConfig(
  admin: AdminClient,
): Promise<{ nameServers: Array<{ addr: string; config: Properties }> }> {
  const out: Array<{ addr: string; config: Properties }> = [];
  for (const addr of admin.namesrvList)
    out.push({ addr, config: sortKeys(await admin.getNameServerConfig(addr)) });
  return { nameServers: out };
}

export async function updateNamesrvConfig(
  admin: AdminClient,
  key: string,
  value: string,
): Promise<{ key: string; value: string; nameServers: string[] }> {
  for (const addr of admin.namesrvList) await admin.updateNameServerConfig(addr, { [key]: value });
  return { key, value, nameServers: [...admin.namesrvList] };
}

export async function updateKvConfig(
  admin: AdminClient,
  namespace: string,
  key: string,
  value: string,
): Promise<{ namespace: string; key: string; value: string; nameServers: string[] }> {
  return { namespace, key, value, nameServers: await admin.putKvConfig(namespace, key, value) };
}

export async function deleteKvConfig(
  admin: AdminClient,
  namespace: string,
  key: string,
): Promise<{ namespace: string; key: string; nameServers: string[] }> {
  return { namespace, key, nameServers: await admin.deleteKvConfig(namespace, key) };
}

export interface WritePermResult {
  brokerName: string;
  nameServers: Array<{ addr: string; ok: boolean; topicCount: number; error?: string }>;
}

/** `wipeWritePerm` / `addWritePerm -b BROKER_NAME` on every name server of -n. */
export async function changeWritePerm(
  admin: AdminClient,
  brokerName: string,
  add: boolean,
): Promise<WritePermResult> {
  const out: WritePermResult = { brokerName, nameServers: [] };
  for (const addr of admin.namesrvList) {
    try {
      const topicCount = add
        ? await admin.addWritePermOfBroker(addr, brokerName)
        : await admin.wipeWritePermOfBroker(addr, brokerName);
      out.nameServers.push({ addr, ok: true, topicCount });
    } catch (err) {
      out.nameServers.push({ addr, ok: false, topicCount: 0, error: (err as Error).message });
    }
  }
  return out;
}
