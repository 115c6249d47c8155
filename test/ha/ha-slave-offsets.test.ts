// Issue 13 item 10: with the master killed (SIGKILL), consumers reading from the slave commit their
// offsets to the slave; the slave keeps them, serves them to a restarted consumer, and hands them back to
// the master when it returns, so nothing is delivered twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type MessageExt, PushConsumer } from '../../src/engine/client/index.js';
import type { MessageQueueData } from '../../src/engine/protocol/bodies/message-queue-key.js';
import { cleanupAfter } from '../helpers/cleanup.js';
import { killProc } from '../helpers/servers.js';
import { type Pair, startPair, unique } from './pair.js';
import { waitFor } from './procs.js';

const cleanup = cleanupAfter();

/** Committed offsets of `group` on `topic` at `addr`, summed over its queues (0 when none). */
async function committed(p: Pair, addr: string, group: string, topic: string): Promise<number> {
  const stats = await p.admin.getConsumeStats(addr, group, topic).catch(() => undefined);
  return (stats?.offsetTable ?? []).reduce((n, [, w]) => n + Math.max(0, w.consumerOffset), 0);
}

function consumer(p: Pair, group: string, topic: string, got: MessageExt[]): PushConsumer {
  const c = new PushConsumer({
    namesrvAddr: p.ns.addr,
    groupName: group,
    instanceName: unique('c'),
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    persistConsumerOffsetInterval: 300,
    pollNameServerInterval: 500,
    pullTimeDelayMillsWhenException: 200,
  });
  c.subscribe(topic, '*');
  c.registerMessageListener((msgs: MessageExt[]): 'CONSUME_SUCCESS' => {
    got.push(...msgs);
    return 'CONSUME_SUCCESS';
  });
  cleanup.closers.push(() => c.shutdown());
  return c;
}

test('offsets committed to the slave while the master is dead are kept there and handed back to the master', {
  timeout: 120_000,
}, async () => {
  const p = await startPair('ha-off', cleanup);
  await p.startMaster();
  await p.startSlave();
  await p.slaveConnected();
  const topic = unique('HA_OFFSETS');
  const prod = await p.producer();
  const first = await prod.send({ topic, body: 'm0' });
  assert.equal(first.sendStatus, 'SEND_OK');
  const mqd: MessageQueueData = first.messageQueue;
  // The slave copies the master's topic config 3 s after start, then every 10 s.
  await waitFor(
    'the slave serves the topic',
    async () => (await p.admin.pull(p.slave!.addr, mqd, '*', first.queueOffset, 1)).status === 'FOUND',
    20_000,
    250,
  );
  const sent = 40;
  for (let i = 1; i < sent; i++)
    assert.equal((await prod.send({ topic, body: `m${i}` })).sendStatus, 'SEND_OK');

  await killProc(p.master!.proc, 'SIGKILL');
  await waitFor('route without the master', async () => {
    const r = await p.admin.examineTopicRouteInfo(topic);
    return r.brokerDatas[0]?.brokerAddrs['0'] === undefined;
  });

  const group = unique('CG_OFF');
  const got1: MessageExt[] = [];
  const c1 = consumer(p, group, topic, got1);
  await c1.start();
  await waitFor('all messages consumed from the slave', () => got1.length >= sent, 30_000);
  await waitFor(
    'offsets committed to the slave',
    async () => (await committed(p, p.slave!.addr, group, topic)) === sent,
    10_000,
    200,
  );
  await c1.shutdown();

  // A consumer of the same group restarted while the master is still dead resumes from the slave's
  // offsets: nothing again.
  const got2: MessageExt[] = [];
  const c2 = consumer(p, group, topic, got2);
  await c2.start();
  await new Promise((r) => setTimeout(r, 3000));
  await c2.shutdown();
  assert.equal(got2.length, 0, 'no message delivered twice while the master is dead');

  // The master returns with its old offsets (none for this group): the slave hands its own back.
  await p.startMaster();
  await waitFor(
    'the master holds the offsets committed to the slave',
    async () => (await committed(p, p.master!.addr, group, topic)) === sent,
    30_000,
    500,
  );
  // And the slave still holds them after its sync with the master.
  assert.equal(await committed(p, p.slave!.addr, group, topic), sent);

  // A consumer started with the master back gets only what is new.
  const got3: MessageExt[] = [];
  const c3 = consumer(p, group, topic, got3);
  await c3.start();
  await waitFor('route with the master', async () => {
    const r = await p.admin.examineTopicRouteInfo(topic);
    return r.brokerDatas[0]?.brokerAddrs['0'] === p.master!.addr;
  });
  await p.slaveConnected();
  const fresh = await prod.send({ topic, body: 'after' });
  assert.equal(fresh.sendStatus, 'SEND_OK');
  await waitFor('the new message consumed', () => got3.some((m) => m.msgId === fresh.msgId), 20_000);
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(
    got3.map((m) => m.body.toString()),
    ['after'],
    'after the master returned, only the new message is delivered',
  );
});
