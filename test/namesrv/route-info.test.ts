import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RouteInfoManager } from '../../src/engine/namesrv/route-info-manager.js';
import { newTopicConfig, type TopicConfig } from '../../src/engine/protocol/bodies/topic-config.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';

function wrapper(counter: number, topics: TopicConfig[]) {
  return {
    dataVersion: { counter, timestamp: 1000 },
    topicConfigTable: Object.fromEntries(topics.map((t) => [t.topicName, t])),
  };
}

function fakeChannel() {
  return {
    closed: 0,
    close() {
      this.closed++;
    },
  };
}

const master = (
  m: RouteInfoManager,
  counter: number,
  topics: TopicConfig[],
  ch = fakeChannel(),
  addr = '10.0.0.1:10911',
) =>
  m.registerBroker({
    clusterName: 'C',
    brokerAddr: addr,
    brokerName: 'broker-a',
    brokerId: 0,
    haServerAddr: '10.0.0.1:10912',
    topicConfigWrapper: wrapper(counter, topics),
    filterServerList: [],
    channel: ch,
  });

test('queue data is rebuilt only from the master and only when its DataVersion changes; missing topics stay', () => {
  const m = new RouteInfoManager(() => 0);
  master(m, 1, [newTopicConfig('T1', { readQueueNums: 4, writeQueueNums: 4 }), newTopicConfig('T2')]);
  assert.equal(m.pickupTopicRouteData('T1')?.queueDatas[0].readQueueNums, 4);
  // same version: a changed table is ignored (Java skips the rebuild)
  master(m, 1, [newTopicConfig('T1', { readQueueNums: 8, writeQueueNums: 8 })]);
  assert.equal(m.pickupTopicRouteData('T1')?.queueDatas[0].readQueueNums, 4);
  // new version: applied; T2 is not in the new table but is not removed
  master(m, 2, [newTopicConfig('T1', { readQueueNums: 8, writeQueueNums: 8 })]);
  assert.equal(m.pickupTopicRouteData('T1')?.queueDatas[0].readQueueNums, 8);
  assert.ok(m.pickupTopicRouteData('T2'));
  assert.equal(m.pickupTopicRouteData('nope'), undefined);
});

test('under an unchanged DataVersion, topics the broker is not yet listed under are added (a table in parts, RocketMQ 5)', () => {
  const m = new RouteInfoManager(() => 0);
  master(m, 7, [newTopicConfig('P1', { readQueueNums: 4, writeQueueNums: 4 })]);
  // the second part of the same table: same version, new topics
  master(m, 7, [newTopicConfig('P2', { readQueueNums: 2, writeQueueNums: 2 }), newTopicConfig('P3')]);
  assert.equal(m.pickupTopicRouteData('P2')?.queueDatas[0].readQueueNums, 2);
  assert.ok(m.pickupTopicRouteData('P3'));
  // a topic already listed keeps its queue data until the version changes
  master(m, 7, [newTopicConfig('P1', { readQueueNums: 8, writeQueueNums: 8 })]);
  assert.equal(m.pickupTopicRouteData('P1')?.queueDatas[0].readQueueNums, 4);
});

test('a slave gets the master HA address in the reply, its topics are not used, and the route lists both ids', () => {
  const m = new RouteInfoManager(() => 0);
  master(m, 1, [newTopicConfig('T1', { readQueueNums: 4, writeQueueNums: 4 })]);
  const r = m.registerBroker({
    clusterName: 'C',
    brokerAddr: '10.0.0.2:10911',
    brokerName: 'broker-a',
    brokerId: 1,
    haServerAddr: '10.0.0.2:10912',
    topicConfigWrapper: wrapper(9, [newTopicConfig('SlaveOnly')]),
    filterServerList: [],
    channel: fakeChannel(),
  });
  assert.deepEqual(r, { haServerAddr: '10.0.0.1:10912', masterAddr: '10.0.0.1:10911' });
  assert.equal(m.pickupTopicRouteData('SlaveOnly'), undefined);
  assert.deepEqual(m.pickupTopicRouteData('T1')?.brokerDatas[0].brokerAddrs, {
    '0': '10.0.0.1:10911',
    '1': '10.0.0.2:10911',
  });
  // the slave is promoted: same address under id 0 replaces its id-1 record
  m.unregisterBroker('C', '10.0.0.1:10911', 'broker-a', 0);
  master(m, 9, [newTopicConfig('T1')], fakeChannel(), '10.0.0.2:10911');
  assert.deepEqual(m.pickupTopicRouteData('T1')?.brokerDatas[0].brokerAddrs, { '0': '10.0.0.2:10911' });
});

test('expiry: silent for more than 120 s drops the broker, closes its channel and removes its topics', () => {
  let now = 1_000_000;
  const m = new RouteInfoManager(() => now);
  const ch = fakeChannel();
  master(m, 1, [newTopicConfig('T1')], ch);
  now += 120_000;
  assert.deepEqual(m.scanNotActiveBroker(120_000), [], 'exactly 120 s is still alive');
  now += 1;
  assert.deepEqual(m.scanNotActiveBroker(120_000), ['10.0.0.1:10911']);
  assert.equal(ch.closed, 1);
  assert.equal(m.pickupTopicRouteData('T1'), undefined);
  assert.equal(m.brokerAddrTable.size, 0);
  assert.equal(m.clusterAddrTable.size, 0);
});

test('a QUERY_DATA_VERSION-style refresh keeps a broker alive', () => {
  let now = 0;
  const m = new RouteInfoManager(() => now);
  master(m, 1, [newTopicConfig('T1')]);
  now = 100_000;
  m.updateBrokerInfoUpdateTimestamp('10.0.0.1:10911');
  now = 200_000;
  assert.deepEqual(m.scanNotActiveBroker(120_000), []);
});

test('channel destroy: found by channel, else by remote address; a topic keeps queues while a slave remains', () => {
  const m = new RouteInfoManager(() => 0);
  const mch = fakeChannel();
  master(m, 1, [newTopicConfig('T1')], mch);
  m.registerBroker({
    clusterName: 'C',
    brokerAddr: '10.0.0.2:10911',
    brokerName: 'broker-a',
    brokerId: 1,
    haServerAddr: '',
    topicConfigWrapper: wrapper(1, []),
    filterServerList: [],
    channel: fakeChannel(),
  });
  assert.equal(m.onChannelDestroy('127.0.0.1:5555', mch), '10.0.0.1:10911');
  assert.deepEqual(m.pickupTopicRouteData('T1')?.brokerDatas[0].brokerAddrs, { '1': '10.0.0.2:10911' });
  assert.equal(
    m.onChannelDestroy('10.0.0.2:10911', null),
    '10.0.0.2:10911',
    'fallback to the remote address',
  );
  assert.equal(m.pickupTopicRouteData('T1'), undefined);
  assert.equal(m.onChannelDestroy('9.9.9.9:1', fakeChannel()), undefined, 'unknown channel: nothing removed');
});

test('write perm wipe/add, delete topic per cluster, topic lists', () => {
  const m = new RouteInfoManager(() => 0);
  master(m, 1, [
    newTopicConfig('T1'),
    newTopicConfig('U1', { topicSysFlag: 1 }),
    newTopicConfig('S1', { topicSysFlag: 2 }),
    newTopicConfig('US', { topicSysFlag: 3 }),
  ]);
  assert.equal(m.operateWritePermOfBroker('broker-a', RequestCode.WIPE_WRITE_PERM_OF_BROKER), 4);
  assert.equal(m.pickupTopicRouteData('T1')?.queueDatas[0].perm, 4);
  assert.equal(m.operateWritePermOfBroker('broker-a', RequestCode.ADD_WRITE_PERM_OF_BROKER), 4);
  assert.equal(m.pickupTopicRouteData('T1')?.queueDatas[0].perm, 6);
  assert.equal(m.operateWritePermOfBroker('nobody', RequestCode.ADD_WRITE_PERM_OF_BROKER), 0);
  assert.deepEqual(m.getUnitTopics().sort(), ['U1', 'US']);
  assert.deepEqual(m.getHasUnitSubTopicList().sort(), ['S1', 'US']);
  assert.deepEqual(m.getHasUnitSubUnUnitTopicList(), ['S1']);
  assert.deepEqual(m.getTopicsByCluster('C').sort(), ['S1', 'T1', 'U1', 'US']);
  assert.deepEqual(m.getTopicsByCluster('other'), []);
  assert.deepEqual(m.getSystemTopicList(), { topicList: ['C', 'broker-a'], brokerAddr: '10.0.0.1:10911' });
  m.deleteTopic('T1', 'other');
  assert.ok(m.pickupTopicRouteData('T1'));
  m.deleteTopic('T1', 'C');
  assert.equal(m.pickupTopicRouteData('T1'), undefined);
  m.deleteTopic('U1');
  assert.deepEqual(m.getAllTopicList().sort(), ['S1', 'US']);
});
