// Master and slave as real `mq broker start` child processes: SYNC_MASTER acknowledgement, failover of
// consumers to the slave after SIGKILL of the master, SLAVE_NOT_AVAILABLE and FLUSH_SLAVE_TIMEOUT.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type MessageExt, PullConsumer, PushConsumer } from '../../src/engine/client/index.js';
import { newSubscriptionGroupConfig } from '../../src/engine/protocol/bodies/subscription-group-config.js';
import { cleanupAfter } from '../helpers/cleanup.js';
import { killProc } from '../helpers/servers.js';
import { type Pair, startPair, unique } from './pair.js';
import { waitFor } from './procs.js';

const cleanup = cleanupAfter();
const { closers } = cleanup;

// One name server and one master/slave group (test/ha/pair.ts), kept in this file's cleanup.
type Cluster = Pair;
const cluster = (brokerName: string) => startPair(brokerName, cleanup);

async function runtime(c: Cluster, addr: string): Promise<Record<string, string>> {
  return c.admin.fetchBrokerRuntimeStats(addr);
}

const slaveConnected = (c: Cluster) => c.slaveConnected();
const producer = (c: Cluster) => c.producer();

test('SYNC_MASTER acknowledges only replicated messages; after SIGKILL of the master every acknowledged message is consumed from the slave', async () => {
  const c = await cluster('ha-a');
  await c.startMaster();
  await c.startSlave();
  // One broker name, both ids, in the name server's cluster info.
  await waitFor('cluster info with master and slave', async () => {
    const info = await c.admin.examineBrokerClusterInfo();
    const bd = info.brokerAddrTable['ha-a'];
    return bd?.brokerAddrs['0'] === c.master!.addr && bd.brokerAddrs['1'] === c.slave!.addr;
  });
  await slaveConnected(c);

  const topic = unique('HA_FAILOVER');
  const prod = await producer(c);
  const acked = new Set<string>();
  // The slave learns topics from its master's GET_ALL_TOPIC_CONFIG sync (3 s after start, then every 10 s).
  const r0 = await prod.send({ topic, body: 'first', keys: 'first' });
  assert.equal(r0.sendStatus, 'SEND_OK');
  acked.add(r0.msgId);
  await waitFor(
    'slave knows the topic',
    async () =>
      (await c.admin.pull(c.slave!.addr, r0.messageQueue, '*', r0.queueOffset, 1)).status === 'FOUND',
    15_000,
    250,
  );
  // Sequential sends: right after each SEND_OK the slave itself must already serve that message.
  for (let i = 0; i < 60; i++) {
    const r = await prod.send({ topic, body: `m${i}`, keys: `k${i}` });
    assert.equal(r.sendStatus, 'SEND_OK');
    acked.add(r.msgId);
    const got = await c.admin.pull(c.slave!.addr, r.messageQueue, '*', r.queueOffset, 1);
    assert.equal(got.status, 'FOUND', `message ${i} not on the slave when acknowledged`);
    assert.equal(got.messages[0]!.properties.UNIQ_KEY, r.msgId);
  }
  const route = await c.admin.examineTopicRouteInfo(topic);
  assert.equal(route.brokerDatas.length, 1);
  assert.deepEqual(route.brokerDatas[0]!.brokerAddrs, { 0: c.master!.addr, 1: c.slave!.addr });

  // A push consumer reads from the master, then fails over to the slave when the master dies. Small pull
  // batches and cache limits, and a listener held shut around the kill, keep most of the burst on the
  // brokers: those messages can only reach the consumer through the slave.
  const consumed = new Map<string, string>();
  let hold: Promise<void> | undefined;
  let release = () => {};
  const consumer = new PushConsumer({
    namesrvAddr: c.ns.addr,
    groupName: unique('CG_HA'),
    instanceName: unique('c'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    pollNameServerInterval: 500,
    heartbeatBrokerInterval: 1000,
    pullTimeDelayMillsWhenException: 200,
    consumeThreadMax: 1,
    pullBatchSize: 4,
    pullThresholdForQueue: 4,
  });
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener(async (msgs: MessageExt[]): Promise<'CONSUME_SUCCESS'> => {
    if (hold) await hold;
    for (const m of msgs) consumed.set(m.msgId, m.body.toString());
    return 'CONSUME_SUCCESS';
  });
  await consumer.start();
  closers.push(() => consumer.shutdown());
  await waitFor('first batch consumed from the master', () => consumed.size >= acked.size, 20_000);

  hold = new Promise<void>((r) => {
    release = r;
  });
  // A burst of concurrent sends; the master dies right after the last acknowledgement.
  const burst = await Promise.all(
    Array.from({ length: 200 }, (_, i) => prod.send({ topic, body: `b${i}`, keys: `b${i}` })),
  );
  for (const r of burst) {
    assert.equal(r.sendStatus, 'SEND_OK');
    acked.add(r.msgId);
  }
  await new Promise((r) => setTimeout(r, 300));
  await killProc(c.master!.proc, 'SIGKILL');
  const cached = consumer.assignedQueues().reduce((n, mq) => n + (consumer.processQueue(mq)?.count ?? 0), 0);
  const heldByConsumer = consumed.size + cached + 1; // +1: the message in the held listener call
  assert.ok(
    heldByConsumer < acked.size - 100,
    `consumer had ${heldByConsumer} of ${acked.size} before the kill`,
  );
  release();
  hold = undefined;

  await waitFor(
    'every acknowledged message consumed via the slave',
    () => [...acked].every((id) => consumed.has(id)),
    30_000,
  );

  // A fresh pull loop through our client finds every acknowledged message on the slave alone.
  const pull = new PullConsumer({ namesrvAddr: c.ns.addr, instanceName: unique('pull') });
  await pull.start();
  closers.push(() => pull.shutdown());
  const fromSlave = new Set<string>();
  await waitFor('route without the master', async () => {
    const r = await c.admin.examineTopicRouteInfo(topic);
    return (
      r.brokerDatas[0]?.brokerAddrs['0'] === undefined && r.brokerDatas[0]?.brokerAddrs['1'] === c.slave!.addr
    );
  });
  for (const mq of await pull.fetchMessageQueues(topic)) {
    let off = 0;
    for (;;) {
      const r = await pull.pull(mq, '*', off, 32);
      for (const m of r.msgs) fromSlave.add(m.msgId);
      if (r.status !== 'FOUND') break;
      off = r.nextBeginOffset;
    }
  }
  for (const id of acked) assert.ok(fromSlave.has(id), `acknowledged ${id} missing on the slave`);
  assert.equal(fromSlave.size, acked.size);

  // A consumer group started after the master died reads its offsets and messages from the slave, and
  // commits its progress there (as RocketMQ 4.9's client and slave do; issue 13 item 10).
  const late = new Set<string>();
  const lateGroup = unique('CG_LATE');
  const lateConsumer = new PushConsumer({
    namesrvAddr: c.ns.addr,
    groupName: lateGroup,
    instanceName: unique('late'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    persistConsumerOffsetInterval: 300,
  });
  lateConsumer.subscribe(topic, '*');
  lateConsumer.registerMessageListener((msgs: MessageExt[]): 'CONSUME_SUCCESS' => {
    for (const m of msgs) late.add(m.msgId);
    return 'CONSUME_SUCCESS';
  });
  await lateConsumer.start();
  closers.push(() => lateConsumer.shutdown());
  await waitFor(
    'late consumer got everything from the slave',
    () => [...acked].every((id) => late.has(id)),
    20_000,
  );
  await new Promise((r) => setTimeout(r, 800)); // a few offset-persist rounds
  const stats = await c.admin.getConsumeStats(c.slave!.addr, lateGroup, topic).catch(() => undefined);
  const committed = Math.max(0, ...(stats?.offsetTable ?? []).map(([, w]) => w.consumerOffset));
  assert.ok(committed > 0, 'consumer offsets committed on the slave');
});

test('SLAVE_NOT_AVAILABLE without a slave, FLUSH_SLAVE_TIMEOUT with a stalled (SIGSTOPped) slave', async () => {
  const c = await cluster('ha-b');
  await c.startMaster();
  const topic = unique('HA_STATUS');
  const prod = await producer(c);
  const first = await prod.send({ topic, body: 'alone' });
  assert.equal(first.sendStatus, 'SLAVE_NOT_AVAILABLE', 'no slave connected');
  const noWait = await prod.send({ topic, body: 'no-wait', waitStoreMsgOK: false });
  assert.equal(noWait.sendStatus, 'SEND_OK', 'WAIT=false: the master does not wait for a slave');

  await c.startSlave();
  await slaveConnected(c);
  assert.equal((await prod.send({ topic, body: 'replicated' })).sendStatus, 'SEND_OK');

  c.slave!.proc.child.kill('SIGSTOP');
  try {
    const t0 = Date.now();
    const stalled = await prod.send({ topic, body: 'stalled' });
    const took = Date.now() - t0;
    assert.equal(stalled.sendStatus, 'FLUSH_SLAVE_TIMEOUT');
    assert.ok(took >= 1400 && took < 5000, `answered after ${took} ms (syncFlushTimeout 1500)`);
  } finally {
    c.slave!.proc.child.kill('SIGCONT');
  }
  // Right after resuming, the slave may still lack the stalled message: whatever it reports is a byte count.
  const behindWhileStalled = await runtime(c, c.slave!.addr);
  assert.match(behindWhileStalled.haSlaveFallBehindBytes ?? '', /^\d+$/);
  // Resumed: replication continues and SYNC sends are acknowledged again.
  assert.equal((await prod.send({ topic, body: 'after' })).sendStatus, 'SEND_OK');
  const m = await runtime(c, c.master!.addr);
  const s = await runtime(c, c.slave!.addr);
  assert.equal(
    s.commitLogMaxOffset,
    m.commitLogMaxOffset,
    'slave holds everything, the unreplicated first message too',
  );
  assert.equal(m.haSlaveFallBehindBytes, '0');
  assert.equal(s.haMasterConnected, 'true');
  // brokerStatus on the slave shows its lag too, from the master's own max offset.
  assert.equal(s.haMasterMaxOffset, m.commitLogMaxOffset);
  assert.equal(s.haSlaveFallBehindBytes, '0');

  // Slave metadata sync (GET_ALL_* from the master every 10 s): a subscription group, a committed
  // consumer offset and the topic made on the master all reach the slave.
  const group = unique('CG_SYNC');
  await c.admin.createAndUpdateSubscriptionGroupConfig(
    c.master!.addr,
    newSubscriptionGroupConfig(group, { retryMaxTimes: 7 }),
  );
  await c.admin.updateConsumerOffset(c.master!.addr, group, first.messageQueue, 1);
  await waitFor(
    'metadata synced to the slave',
    async () => {
      const sg = (await c.admin.getAllSubscriptionGroup(c.slave!.addr)).subscriptionGroupTable[group];
      const tc = (await c.admin.getAllTopicConfig(c.slave!.addr)).topicConfigTable[topic];
      const st = await c.admin.getConsumeStats(c.slave!.addr, group, topic).catch(() => undefined);
      const off = st?.offsetTable.find(([q]) => q.queueId === first.messageQueue.queueId)?.[1].consumerOffset;
      return sg?.retryMaxTimes === 7 && tc !== undefined && off === 1;
    },
    25_000,
    500,
  );
});
