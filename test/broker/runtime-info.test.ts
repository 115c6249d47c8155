// GET_BROKER_RUNTIME_INFO answers every key Apache RocketMQ 4.9.8's broker answers (the list below is read
// off its AdminBrokerProcessor.prepareRuntimeInfo, StoreStatsService.getRuntimeInfo and
// DefaultMessageStore.getRuntimeInfo), with Java's formats; the pull path's stats items exist for
// VIEW_BROKER_STATS_DATA. Against a real name server + broker.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { BrokerStats } from '../../src/engine/broker/stats/broker-stats.js';
import { humanBytes, PutLatency } from '../../src/engine/broker/stats/put-latency.js';
import { StatsItem } from '../../src/engine/broker/stats/stats-item.js';
import { Producer } from '../../src/engine/client/producer/producer.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { type Cluster, startCluster } from './harness.js';

/** The 48 keys of a 4.9.8 master with no delay level in use (commitLogDiskRatio_<path> named apart). */
const JAVA_KEYS = [
  // StoreStatsService
  'bootTimestamp',
  'runtime',
  'putMessageEntireTimeMax',
  'putMessageTimesTotal',
  'putMessageFailedTimes',
  'putMessageSizeTotal',
  'putMessageDistributeTime',
  'putMessageAverageSize',
  'dispatchMaxBuffer',
  'getMessageEntireTimeMax',
  'putTps',
  'getFoundTps',
  'getMissTps',
  'getTotalTps',
  'getTransferedTps',
  'putLatency99',
  'putLatency999',
  // DefaultMessageStore
  'commitLogDiskRatio',
  'consumeQueueDiskRatio',
  'commitLogMinOffset',
  'commitLogMaxOffset',
  // AdminBrokerProcessor
  'brokerVersionDesc',
  'brokerVersion',
  'msgPutTotalYesterdayMorning',
  'msgPutTotalTodayMorning',
  'msgPutTotalTodayNow',
  'msgGetTotalYesterdayMorning',
  'msgGetTotalTodayMorning',
  'msgGetTotalTodayNow',
  'sendThreadPoolQueueSize',
  'sendThreadPoolQueueCapacity',
  'pullThreadPoolQueueSize',
  'pullThreadPoolQueueCapacity',
  'queryThreadPoolQueueSize',
  'queryThreadPoolQueueCapacity',
  'EndTransactionQueueSize',
  'EndTransactionThreadPoolQueueCapacity',
  'dispatchBehindBytes',
  'pageCacheLockTimeMills',
  'sendThreadPoolQueueHeadWaitTimeMills',
  'pullThreadPoolQueueHeadWaitTimeMills',
  'queryThreadPoolQueueHeadWaitTimeMills',
  'earliestMessageTimeStamp',
  'startAcceptSendRequestTimeStamp',
  'remainTransientStoreBufferNumbs',
  'remainHowManyDataToFlush',
  'commitLogDirCapacity',
];

let c: Cluster;
let admin: AdminClient;

before(async () => {
  c = await startCluster();
  admin = new AdminClient({ namesrvAddr: c.namesrv });
});

after(async () => {
  await admin?.close();
  await c?.stop();
});

test('runtime info: every key of a 4.9.8 broker, in its format', async () => {
  await c.createTopic('RtTopic', 1);
  const producer = new Producer({ namesrvAddr: c.namesrv, groupName: 'rtProducer' });
  await producer.start();
  try {
    for (let i = 0; i < 5; i++) await producer.send({ topic: 'RtTopic', body: Buffer.from(`m${i}`) });
  } finally {
    await producer.shutdown();
  }
  const found = await c.pullFromStart('rtGroup', 'RtTopic');
  assert.equal(found.code, 0);
  const missed = await c.call(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'rtGroup',
    topic: 'RtTopic',
    queueId: 0,
    queueOffset: 5,
    maxMsgNums: 32,
    sysFlag: 4,
    commitOffset: 0,
    suspendTimeoutMillis: 0,
    subscription: '*',
    subVersion: Date.now(),
  });
  assert.equal(missed.code, 19); // PULL_NOT_FOUND: a read that found nothing

  const info = await admin.fetchBrokerRuntimeStats(c.brokerAddr);
  const missing = JAVA_KEYS.filter((k) => !(k in info));
  assert.deepEqual(missing, [], `keys Java answers and we do not: ${missing.join(', ')}`);
  const pathKeys = Object.keys(info).filter((k) => k.startsWith('commitLogDiskRatio_'));
  assert.equal(pathKeys.length, 1, 'one commitLogDiskRatio_<store path> per commit-log path');
  assert.match(pathKeys[0]!, /commitLogDiskRatio_\/.*commitlog$/);

  const windows = /^\d+\.\d{2} \d+\.\d{2} \d+\.\d{2}$/;
  for (const k of ['putTps', 'getFoundTps', 'getMissTps', 'getTotalTps', 'getTransferedTps'])
    assert.match(info[k]!, windows, k);
  assert.match(info.putMessageDistributeTime!, /^\[<=0ms\]:\d+ \[0~10ms\]:\d+ .* \[10s~\]:\d+ $/);
  assert.match(info.putLatency99!, /^\d+\.\d{2}$/);
  assert.match(info.commitLogDirCapacity!, /^Total : [\d.]+ [KMGTPE]?i?B, Free : [\d.]+ [KMGTPE]?i?B\.$/);
  assert.match(info.remainHowManyDataToFlush!, /^[\d.]+ [KMGTPE]?i?B$/);
  assert.equal(info.EndTransactionThreadPoolQueueCapacity, '100000');
  assert.equal(info.remainTransientStoreBufferNumbs, '2147483647');
  assert.ok(Number(info.putMessageEntireTimeMax) >= 0);
  assert.equal(info.msgGetTotalTodayNow, '5');

  // The pull's time as an RT item (Java's GROUP_GET_LATENCY), and the get sizes beside it.
  const latency = await admin.viewBrokerStatsData(c.brokerAddr, 'GROUP_GET_LATENCY', 'RtTopic@rtGroup');
  assert.ok(latency, 'GROUP_GET_LATENCY RtTopic@rtGroup exists');
  assert.equal(latency.statsMinute.sum >= 0, true);
  const size = await admin.viewBrokerStatsData(c.brokerAddr, 'GROUP_GET_SIZE', 'RtTopic@rtGroup');
  assert.ok(size && size.statsMinute.sum > 0);
  // enableDetailStat (on by default, as in 4.9.8): per-queue put and get items.
  const qput = await admin.viewBrokerStatsData(c.brokerAddr, 'QUEUE_PUT_NUMS', 'RtTopic@0');
  assert.equal(qput?.statsMinute.sum, 5);
  const qget = await admin.viewBrokerStatsData(c.brokerAddr, 'QUEUE_GET_NUMS', 'RtTopic@0@rtGroup');
  assert.equal(qget?.statsMinute.sum, 5);
});

test('put latency: Java distribution ranges and percentiles of the last full minute', () => {
  const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
  const l = new PutLatency(t0);
  for (let i = 0; i < 980; i++) l.record(1, t0 + 1000);
  for (let i = 0; i < 19; i++) l.record(30, t0 + 2000);
  l.record(700, t0 + 3000);
  // Still the first minute: the last full minute is empty.
  assert.match(l.distribution(t0 + 4000), /^\[<=0ms\]:0 \[0~10ms\]:0 /);
  const next = t0 + 61_000;
  assert.equal(
    l.distribution(next),
    '[<=0ms]:0 [0~10ms]:980 [10~50ms]:19 [50~100ms]:0 [100~200ms]:0 [200~500ms]:0 [500ms~1s]:1 [1~2s]:0 [2~3s]:0 [3~4s]:0 [4~5s]:0 [5~10s]:0 [10s~]:0 ',
  );
  assert.equal(l.max, 700);
  // Java's walk: index floor(1000 * 0.99) = 990 lands 10 deep in the (28, 30] bucket of 19 → 28 + 2 * 10 / 19.
  assert.equal(l.percentile(0.99, next).toFixed(2), '29.05');
  assert.equal(l.percentile(0.999, next), 30);
  // Two minutes later with no puts: nothing to report.
  assert.equal(l.percentile(0.99, next + 120_000), 0);
});

test('humanBytes matches MixAll.humanReadableByteCount(bytes, false)', () => {
  assert.equal(humanBytes(0), '0 B');
  assert.equal(humanBytes(1023), '1023 B');
  assert.equal(humanBytes(1536), '1.5 KiB');
  assert.equal(humanBytes(5 * 1024 ** 3), '5.0 GiB');
});

test('stats items: minute, hour and day windows from per-minute and per-hour slots', () => {
  const t0 = Date.UTC(2026, 0, 1, 10, 0, 0);
  const item = new StatsItem(t0);
  item.add(10, 1, t0);
  item.add(20, 1, t0 + 30 * 60_000);
  item.add(30, 3, t0 + 90 * 60_000);
  const now = t0 + 90 * 60_000 + 1000;
  assert.equal(item.window(2, now).sum, 30);
  assert.equal(item.window(2, now).avgpt, 10);
  // The last hour: the put at +30 min is 61 minutes old, out of it.
  assert.equal(item.window(60, now).sum, 30);
  assert.equal(item.window(1440, now).sum, 60);
  assert.equal(item.window(1440, t0 + 25 * 3_600_000).sum, 0);
  assert.equal(item.total, 60);
});

test('topicPut: per-queue items only with enableDetailStat; the cluster item follows a renamed cluster', () => {
  const s = new BrokerStats();
  s.detail = false;
  s.topicPut('T', 1, 'C1', 2, 200);
  assert.equal(s.items.get('QUEUE_PUT_NUMS', 'T@1'), undefined, 'no per-queue item without detail');
  assert.equal(s.items.get('TOPIC_PUT_NUMS', 'T')?.total, 2);
  s.detail = true;
  s.topicPut('T', 1, 'C1', 3, 300);
  assert.equal(s.items.get('QUEUE_PUT_NUMS', 'T@1')?.total, 3);
  assert.equal(s.items.get('QUEUE_PUT_SIZE', 'T@1')?.total, 300);
  s.topicPut('T', 1, 'C2', 1, 100);
  assert.equal(s.items.get('BROKER_PUT_NUMS', 'C1')?.total, 5);
  assert.equal(s.items.get('BROKER_PUT_NUMS', 'C2')?.total, 1);
  assert.equal(s.items.get('TOPIC_PUT_SIZE', 'T')?.total, 600);
  assert.equal(s.items.get('QUEUE_PUT_NUMS', 'T@1')?.total, 4, 'same queue item after the rename');
  assert.equal(s.put.total, 6);
});
