// Issue 13 item 11: a slave serves every topic it holds messages for at once, even before its periodic
// copy of the master's topic config (3 s after start, then every 10 s) has brought the topic: a master
// killed (SIGKILL) seconds after a topic's creation leaves every acknowledged message readable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type MessageExt, PushConsumer } from '../../src/engine/client/index.js';
import { cleanupAfter } from '../helpers/cleanup.js';
import { killProc } from '../helpers/servers.js';
import { startPair, unique } from './pair.js';
import { waitFor } from './procs.js';

const cleanup = cleanupAfter();

test('a topic created on the master just before it dies is served by the slave from its consume queues', {
  timeout: 90_000,
}, async () => {
  const p = await startPair('ha-topic', cleanup);
  await p.startMaster();
  await p.startSlave();
  const slaveUp = Date.now();
  await p.slaveConnected();
  const prod = await p.producer();
  // The slave's first copy of the master's topic config is taken 3 s after its start, the next one 10 s
  // later: create the topic after the first, and kill the master long before the second.
  await new Promise((r) => setTimeout(r, Math.max(0, slaveUp + 4500 - Date.now())));
  const topic = unique('HA_NEW_TOPIC');
  const acked = new Set<string>();
  for (let i = 0; i < 30; i++) {
    const r = await prod.send({ topic, body: `m${i}` });
    assert.equal(r.sendStatus, 'SEND_OK', 'SYNC_MASTER: acknowledged once on the slave');
    acked.add(r.msgId);
  }
  await killProc(p.master!.proc, 'SIGKILL');
  assert.ok(Date.now() - slaveUp < 11_000, 'the master died before the slave could copy its topic config');
  await waitFor('route without the master', async () => {
    const r = await p.admin.examineTopicRouteInfo(topic);
    return (
      r.brokerDatas[0]?.brokerAddrs['0'] === undefined && r.brokerDatas[0]?.brokerAddrs['1'] === p.slave!.addr
    );
  });

  const got = new Set<string>();
  const c = new PushConsumer({
    namesrvAddr: p.ns.addr,
    groupName: unique('CG_TOPIC'),
    instanceName: unique('c'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    pullTimeDelayMillsWhenException: 200,
  });
  c.subscribe(topic, '*');
  c.registerMessageListener((msgs: MessageExt[]): 'CONSUME_SUCCESS' => {
    for (const m of msgs) got.add(m.msgId);
    return 'CONSUME_SUCCESS';
  });
  await c.start();
  cleanup.closers.push(() => c.shutdown());
  await waitFor('every acknowledged message consumed from the slave', () => got.size >= acked.size, 20_000);
  for (const id of acked) assert.ok(got.has(id), `acknowledged ${id} consumed`);

  // The slave's topic table shows the topic, with the queues it holds messages in.
  const tc = (await p.admin.getAllTopicConfig(p.slave!.addr)).topicConfigTable[topic];
  assert.ok(tc, 'the slave lists the topic');
  assert.ok(tc.readQueueNums >= 1);

  // Restarted (still without its master), the slave finds the topic in its consume queues again.
  // (Its route is gone from the name server with the last broker of the group, which only takes topic
  // configs from masters, as RocketMQ's does: the queues are read directly.)
  const mqs = (await p.admin.examineTopicRouteInfo(topic)).queueDatas[0]!.readQueueNums;
  await c.shutdown();
  await killProc(p.slave!.proc, 'SIGKILL');
  await p.startSlave();
  let found = 0;
  for (let queueId = 0; queueId < mqs; queueId++) {
    const r = await p.admin.pull(p.slave!.addr, { topic, brokerName: p.brokerName, queueId }, '*', 0, 32);
    found += r.messages.length;
  }
  assert.equal(found, acked.size, 'every acknowledged message readable from the restarted slave');
});
