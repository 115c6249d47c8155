import { statfsSync } from 'node:fs';
import { decodeKVTable, encodeKVTable } from '../../protocol/bodies/kv-table.js';
import { FastjsonDouble, toFastjson } from '../../protocol/fastjson.js';
import { SCHEDULE_TOPIC } from '../../protocol/message/index.js';
import { createRequest, extStr, type RemotingCommand } from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';
import { parsePropertiesText } from '../../protocol/requests/namesrv-config.js';
import { ResponseCode } from '../../protocol/response-code.js';
import { MQ_VERSION } from '../../version.js';
import type { BrokerController } from '../broker-controller.js';
import { BrokerConfigError, formatBrokerConfig, parseBrokerConfig } from '../config/broker-config.js';
import { updatePropertiesFile } from '../config-file.js';
import { humanBytes } from '../stats/put-latency.js';
import { fail, ok } from './responses.js';

let configVersion = { counter: 0, timestamp: Date.now() };

/** GET_BROKER_CONFIG (26): `k=v` lines of the effective config; ext `version` = its DataVersion JSON. */
export function getBrokerConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const text = `${formatBrokerConfig(ctl.config)}\n`;
  return ok(req, { version: JSON.stringify(configVersion) }, Buffer.from(text, 'utf8'));
}

/** Keys that cannot change while running (ports, paths, identity). */
const RESTART_ONLY = new Set([
  'listenPort',
  'brokerName',
  'brokerClusterName',
  'brokerId',
  'brokerRole',
  'storePathRootDir',
  'storePathCommitLog',
  'storePathConsumeQueue',
  'storePathIndex',
  'mappedFileSizeCommitLog',
  'mappedFileSizeConsumeQueue',
  'brokerIP1',
  'brokerIP2',
  'haListenPort',
]);

/** UPDATE_BROKER_CONFIG (25): validated like broker.conf; identity/path keys need a restart. */
export function updateBrokerConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const props = parsePropertiesText(req.body?.toString('utf8') ?? '');
  for (const key of Object.keys(props)) {
    if (RESTART_ONLY.has(key)) {
      return fail(
        req,
        ResponseCode.SYSTEM_ERROR,
        `${key} cannot be changed at runtime; edit broker.conf and restart`,
      );
    }
  }
  let parsed: ReturnType<typeof parseBrokerConfig>;
  try {
    parsed = parseBrokerConfig('', 'UPDATE_BROKER_CONFIG', props);
  } catch (e) {
    if (e instanceof BrokerConfigError) return fail(req, ResponseCode.SYSTEM_ERROR, e.message);
    throw e;
  }
  if (parsed.warnings.length > 0) return fail(req, ResponseCode.SYSTEM_ERROR, parsed.warnings.join('; '));
  const live = ctl.config as unknown as Record<string, unknown>;
  const next = parsed.config as unknown as Record<string, unknown>;
  for (const key of parsed.explicit) live[key] = next[key];
  ctl.sendQueue.maxWaitMs = ctl.config.waitTimeMillsInSendQueue;
  ctl.sendQueue.fastFailure = ctl.config.brokerFastFailureEnable;
  if (parsed.explicit.has('namesrvAddr')) ctl.outerApi.namesrvAddr = ctl.config.namesrvAddr;
  if (ctl.configFile) {
    const changed: Record<string, string> = {};
    for (const key of parsed.explicit) changed[key] = String(next[key]);
    updatePropertiesFile(ctl.configFile, changed);
  }
  configVersion = { counter: configVersion.counter + 1, timestamp: Date.now() };
  // Name servers publish the broker's permission in every route: tell them now (Java re-registers too).
  if (parsed.explicit.has('brokerPermission')) {
    ctl.registerBrokerAll(false).catch(() => {});
  }
  ctl.log.info({ keys: [...parsed.explicit] }, 'broker config updated');
  return ok(req);
}

function humanRuntime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `[ ${Math.floor(s / 86400)} days, ${Math.floor((s % 86400) / 3600)} hours, ${Math.floor((s % 3600) / 60)} minutes, ${s % 60} seconds ]`;
}

/**
 * On a slave: how many commit-log bytes it lacks, from the master's own max offset (asked now, 1 s timeout).
 * The HA stream only tells the slave what it has received, not how much more the master holds.
 */
async function slaveBehind(ctl: BrokerController): Promise<Record<string, string>> {
  if (ctl.config.brokerRole !== 'SLAVE' || !ctl.masterAddr) return {};
  try {
    const resp = await ctl.remotingClient.invoke(
      ctl.masterAddr,
      createRequest(RequestCode.GET_BROKER_RUNTIME_INFO),
      1000,
    );
    const masterMax = Number(resp.body ? decodeKVTable(resp.body).table.commitLogMaxOffset : Number.NaN);
    if (!Number.isFinite(masterMax)) return {};
    return {
      haMasterMaxOffset: String(masterMax),
      haSlaveFallBehindBytes: String(Math.max(0, masterMax - ctl.store.getMaxPhyOffset())),
    };
  } catch {
    return { haSlaveFallBehindBytes: 'unknown (master unreachable)' };
  }
}

const INT32_MAX = 2147483647;

/** `commitLogDirCapacity` as Java words it: `Total : 250.0 GiB, Free : 60.2 GiB.` (absent if the dir is). */
function dirCapacity(dir: string): Record<string, string> {
  try {
    const fs = statfsSync(dir);
    return {
      commitLogDirCapacity: `Total : ${humanBytes(fs.blocks * fs.bsize)}, Free : ${humanBytes(fs.bavail * fs.bsize)}.`,
    };
  } catch {
    return {};
  }
}

/** Store time of the oldest message still kept in any queue (0 when none); 64 queues a topic at most. */
export function earliestMessageTime(ctl: BrokerController): number {
  let earliest = Number.MAX_SAFE_INTEGER;
  for (const tc of ctl.topicConfigManager.table.values()) {
    for (let q = 0; q < tc.readQueueNums && q < 64; q++) {
      if (ctl.store.getMaxOffsetInQueue(tc.topicName, q) <= 0) continue;
      const t = ctl.store.getEarliestMessageTime(tc.topicName, q);
      if (t > 0 && t < earliest) earliest = t;
    }
  }
  return earliest === Number.MAX_SAFE_INTEGER ? 0 : earliest;
}

/** `scheduleMessageOffset_<level>` = `delivered,max` per delay level in use (Java's buildRunningStats). */
function scheduleOffsets(ctl: BrokerController): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [level, offset] of ctl.schedule.offsetTable) {
    const max = ctl.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, level - 1);
    out[`scheduleMessageOffset_${level}`] = `${offset},${max}`;
  }
  return out;
}

/** GET_BROKER_RUNTIME_INFO (28): KVTable with every key Apache RocketMQ 4.9's broker answers (§7.9). */
export async function getBrokerRuntimeInfo(
  ctl: BrokerController,
  req: RemotingCommand,
): Promise<RemotingCommand> {
  const behind = await slaveBehind(ctl);
  const now = Date.now();
  const s = ctl.stats;
  const store = ctl.store;
  const rs = store.getRuntimeStats();
  const earliest = earliestMessageTime(ctl);
  const table: Record<string, string> = {
    brokerVersionDesc: 'V4_9_8',
    brokerVersion: '409',
    mqVersion: MQ_VERSION,
    ...s.totals(),
    sendThreadPoolQueueSize: String(ctl.sendQueue.size),
    sendThreadPoolQueueCapacity: String(ctl.config.sendThreadPoolQueueCapacity),
    sendThreadPoolQueueHeadWaitTimeMills: String(ctl.sendQueue.headWaitMs(now)),
    pullThreadPoolQueueSize: '0',
    pullThreadPoolQueueCapacity: String(ctl.config.pullThreadPoolQueueCapacity),
    pullThreadPoolQueueHeadWaitTimeMills: '0',
    queryThreadPoolQueueSize: '0',
    queryThreadPoolQueueCapacity: String(ctl.config.queryThreadPoolQueueCapacity),
    queryThreadPoolQueueHeadWaitTimeMills: '0',
    pageCacheLockTimeMills: '0',
    dispatchBehindBytes: '0',
    earliestMessageTimeStamp: String(earliest),
    startAcceptSendRequestTimeStamp: String(ctl.config.startAcceptSendRequestTimeStamp),
    putMessageTimesTotal: String(s.put.total),
    putTps: s.put.windows(now),
    getTransferedTps: s.get.windows(now),
    getFoundTps: s.getFound.windows(now),
    getMissTps: s.getMiss.windows(now),
    getTotalTps: s.getTotalTps(now),
    putLatency99: s.putLatency.percentile(0.99, now).toFixed(2),
    putLatency999: s.putLatency.percentile(0.999, now).toFixed(2),
    putMessageDistributeTime: s.putLatency.distribution(now),
    putMessageEntireTimeMax: String(s.putLatency.max),
    getMessageEntireTimeMax: String(s.getMessageEntireTimeMax),
    // Java's reput thread never sets it (always 0 in 4.9); mq dispatches in the put path.
    dispatchMaxBuffer: '0',
    EndTransactionQueueSize: '0',
    EndTransactionThreadPoolQueueCapacity: String(ctl.config.endTransactionPoolQueueCapacity),
    // No transient store pool here: Java answers Integer.MAX_VALUE when transientStorePoolEnable is off.
    remainTransientStoreBufferNumbs: String(INT32_MAX),
    remainHowManyDataToFlush: humanBytes(
      Math.max(0, rs.commitLogMaxOffset - (rs.commitLogFlushedOffset ?? rs.commitLogMaxOffset)),
    ),
    ...dirCapacity(ctl.config.storePathRootDir),
    ...scheduleOffsets(ctl),
    heldPullRequests: String(ctl.pullHold.heldCount),
    bootTimestamp: String(s.bootTimestamp),
    runtime: humanRuntime(now - s.bootTimestamp),
    commitLogMaxOffset: String(store.getMaxPhyOffset()),
    commitLogDiskRatio: String(rs.diskUsedRatio),
    [`commitLogDiskRatio_${ctl.config.storePathCommitLog}`]: String(rs.diskUsedRatio),
    // One file system holds the whole store here, so the queues' ratio is the commit log's.
    consumeQueueDiskRatio: String(rs.diskUsedRatio),
    putMessageSizeTotal: String(rs.putMessageSizeTotal),
    putMessageFailedTimes: String(rs.putMessageFailedTimes),
    putMessageAverageSize: String(
      rs.putMessageTimesTotal ? rs.putMessageSizeTotal / rs.putMessageTimesTotal : 0,
    ),
    commitLogMinOffset: String(rs.commitLogMinOffset),
    // mq's own: SYNC_FLUSH group-commit sizes (puts answered per fdatasync); bench/sync-flush.ts reads it.
    ...(ctl.config.flushDiskType === 'SYNC_FLUSH' && rs.groupCommitSizes !== undefined
      ? { commitLogGroupCommitSizes: rs.groupCommitSizes }
      : {}),
    ...(rs.diskStatus === undefined
      ? {}
      : {
          diskStatus: rs.diskStatus,
          storeWriteable: String(rs.storeWriteable),
          storeNotWriteableReason: rs.storeNotWriteableReason ?? '',
          diskLastEvent: rs.diskLastEvent ?? '',
        }),
    brokerRole: ctl.config.brokerRole,
    brokerAddr: ctl.brokerAddr,
    haServerAddr: ctl.haServerAddr,
    ...(ctl.replication?.runtimeInfo?.() ?? {}),
    ...behind,
  };
  return ok(req, undefined, encodeKVTable({ table }));
}

/**
 * GET_CONSUMER_RUNNING_INFO (307) and CONSUME_MESSAGE_DIRECTLY (309): forwarded to the client's channel,
 * its reply relayed; no reply within 10 s → CONSUME_MSG_TIMEOUT (ali-ons never answers these).
 */
export async function relayToConsumer(ctl: BrokerController, req: RemotingCommand): Promise<RemotingCommand> {
  const group = extStr(req, 'consumerGroup');
  const clientId = extStr(req, 'clientId');
  const info = ctl.consumerManager.get(group)?.findChannel(clientId);
  if (!info) return fail(req, ResponseCode.SYSTEM_ERROR, `The Consumer <${group}> <${clientId}> not online`);
  const fwd = createRequest(req.code, req.extFields, req.body ?? null);
  try {
    const resp = await info.channel.invoke(fwd, 10_000);
    const out = { ...resp, opaque: req.opaque, serializeType: req.serializeType };
    return out;
  } catch (e) {
    return fail(
      req,
      ResponseCode.CONSUME_MSG_TIMEOUT,
      `consumer <${group}> <${clientId}> Timeout: ${(e as Error).message}`,
    );
  }
}

/** VIEW_BROKER_STATS_DATA (315): BrokerStatsData of one stats item (minute / hour / day windows). */
export function viewBrokerStatsData(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const name = extStr(req, 'statsName');
  const key = extStr(req, 'statsKey');
  const item = ctl.stats.items.get(name, key);
  if (!item) return fail(req, ResponseCode.SYSTEM_ERROR, `The stats <${name}> <${key}> not exist`);
  const snap = (minutes: number) => {
    const s = item.window(minutes);
    return { avgpt: new FastjsonDouble(s.avgpt), sum: s.sum, tps: new FastjsonDouble(s.tps) };
  };
  // Minute buckets: "minute" spans the current and the previous bucket, its tps over the time they cover.
  const body = toFastjson({ statsDay: snap(1440), statsHour: snap(60), statsMinute: snap(2) });
  return ok(req, undefined, Buffer.from(body, 'utf8'));
}
