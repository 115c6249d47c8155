import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type MessageExt, Producer, PushConsumer } from '../../src/engine/client/index.js';
import { parseFastjson } from '../../src/engine/protocol/fastjson.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import { type Cluster, startCluster, waitFor } from './servers.js';

let cluster: Cluster;
let producer: Producer;
const tag = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
let seq = 0;
const instance = () => `m${process.pid}-${++seq}`;

before(async () => {
  cluster = await startCluster();
  producer = new Producer({ namesrvAddr: cluster.namesrv, instanceName: instance() });
  await producer.start();
});
after(async () => {
  await producer?.shutdown();
  await cluster?.stop();
});

async function createTopic(topic: string): Promise<void> {
  await producer.send({ topic, body: 'init' });
}

test('broadcasting: every member gets every message; offsets land in the local file', {
  timeout: 40000,
}, async (t) => {
  const topic = `BC_${tag()}`;
  const group = `CG_BC_${tag()}`;
  const dir = mkdtempSync(join(tmpdir(), 'mq-bc-offsets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await createTopic(topic);
  const got = new Map<string, string[]>();
  const consumers = ['a', 'b'].map((name) => {
    const c = new PushConsumer({
      namesrvAddr: cluster.namesrv,
      instanceName: instance(),
      groupName: group,
      messageModel: 'BROADCASTING',
      offsetStoreDir: dir,
    });
    got.set(name, []);
    c.subscribe(topic, '*');
    c.registerMessageListener((msgs) => {
      for (const m of msgs) got.get(name)!.push(m.body.toString());
    });
    return c;
  });
  try {
    await Promise.all(consumers.map((c) => c.start()));
    await waitFor(
      () => consumers.every((c) => c.assignedQueues().length === 4),
      10000,
      'all queues assigned to both',
    );
    for (let i = 0; i < 20; i++) await producer.send({ topic, body: `b${i}` });
    await waitFor(() => [...got.values()].every((l) => l.length >= 20), 15000, 'both got 20');
    await new Promise((r) => setTimeout(r, 300));
    for (const [name, list] of got) {
      assert.equal(list.length, 20, name);
      assert.equal(new Set(list).size, 20, `${name} without duplicates`);
      assert.ok(!list.includes('init'), 'started from the last offset');
    }
  } finally {
    await Promise.all(consumers.map((c) => c.shutdown()));
  }
  const ids = consumers.map((c) => c.opts.instanceName);
  for (const id of ids) {
    const file = join(dir, `${producer.clientId!.split('@')[0]}@${id}`, group, 'offsets.json');
    assert.ok(existsSync(file), `offset file ${file}`);
    const text = readFileSync(file, 'utf8');
    const total = [...text.matchAll(/\}:(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
    assert.equal(total, 21, 'committed offsets cover the 21 messages');
  }
});

test('RECONSUME_LATER (or a throwing listener) brings the message back through %RETRY%group, also when send-back fails', {
  timeout: 40000,
}, async () => {
  const topic = `RT_${tag()}`;
  const group = `CG_RT_${tag()}`;
  await createTopic(topic);
  const deliveries: MessageExt[] = [];
  const c = new PushConsumer({ namesrvAddr: cluster.namesrv, instanceName: instance(), groupName: group });
  c.subscribe(topic, 'T');
  c.registerMessageListener((msgs, ctx) => {
    const m = msgs[0]!;
    deliveries.push(m);
    if (m.reconsumeTimes === 0) {
      ctx.delayLevelWhenNextConsume = 1; // 1 s
      if (m.body.toString() === 'throw') throw new Error('listener failure');
      if (m.body.toString() === 'fallback') {
        // Make CONSUMER_SEND_MSG_BACK fail (unknown broker, dead store host): the client must re-send
        // the message to %RETRY%group itself.
        m.brokerName = 'no-such-broker';
        m.storeHost = '127.0.0.1:1';
      }
      return 'RECONSUME_LATER';
    }
    return 'CONSUME_SUCCESS';
  });
  try {
    await c.start();
    await waitFor(() => c.assignedQueues().length === 5, 10000, '4 topic queues + 1 retry queue');
    const sent = await producer.send({ topic, body: 'again', tags: 'T', keys: 'K1' });
    const sent2 = await producer.send({ topic, body: 'throw', tags: 'T' });
    const sent3 = await producer.send({ topic, body: 'fallback', tags: 'T' });
    await waitFor(() => deliveries.length >= 6, 20000, 'two deliveries of each message');
    await new Promise((r) => setTimeout(r, 500));
    for (const s of [sent, sent2, sent3]) {
      const ds = deliveries.filter((d) => d.msgId === s.msgId);
      assert.deepEqual(
        ds.map((d) => d.reconsumeTimes),
        [0, 1],
      );
      assert.equal(ds[1]!.topic, topic, 'listener sees the original topic');
      assert.equal(ds[1]!.tags, 'T');
    }
    assert.equal(deliveries.find((d) => d.reconsumeTimes === 1 && d.msgId === sent.msgId)!.keys, 'K1');
    assert.equal(deliveries.length, 6);
  } finally {
    await c.shutdown();
  }
});

test('orderly: per-queue order holds across two members, with a suspended message retried in place', {
  timeout: 40000,
}, async () => {
  const topic = `OR_${tag()}`;
  const group = `CG_OR_${tag()}`;
  await createTopic(topic);
  const seen = new Map<string, number[]>();
  let suspended = false;
  const make = () => {
    const c = new PushConsumer({
      namesrvAddr: cluster.namesrv,
      instanceName: instance(),
      groupName: group,
      suspendCurrentQueueTimeMillis: 200,
    });
    c.subscribe(topic, '*');
    c.registerOrderlyListener(async (msgs) => {
      for (const m of msgs) {
        const [key, i] = m.body.toString().split(':');
        if (key === 'k0' && i === '10' && !suspended) {
          suspended = true;
          return 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
        }
        seen.set(key!, [...(seen.get(key!) ?? []), Number(i)]);
      }
      await new Promise((r) => setTimeout(r, Math.random() * 2));
      return 'SUCCESS';
    });
    return c;
  };
  const c1 = make();
  const c2 = make();
  const mine = (c: PushConsumer) => c.assignedQueues().filter((q) => q.topic === topic).length;
  try {
    await c1.start();
    await c2.start();
    await waitFor(() => mine(c1) === 2 && mine(c2) === 2, 15000, 'queues split 2/2');
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
    const N = 40;
    for (let i = 0; i < N; i++)
      await Promise.all(keys.map((k) => producer.sendOrderly({ topic, body: `${k}:${i}` }, k)));
    await waitFor(() => keys.every((k) => (seen.get(k)?.length ?? 0) >= N), 20000, 'all ordered messages');
    for (const k of keys)
      assert.deepEqual(
        seen.get(k),
        Array.from({ length: N }, (_, i) => i),
        `order of ${k}`,
      );
    assert.ok(suspended);
  } finally {
    await Promise.all([c1.shutdown(), c2.shutdown()]);
  }
});

test('broker-pushed requests: RESET_CONSUMER_CLIENT_OFFSET rewinds, GET_CONSUMER_RUNNING_INFO answers', {
  timeout: 40000,
}, async () => {
  const topic = `RS_${tag()}`;
  const group = `CG_RS_${tag()}`;
  await createTopic(topic);
  const bodies: string[] = [];
  const c = new PushConsumer({
    namesrvAddr: cluster.namesrv,
    instanceName: instance(),
    groupName: group,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    persistConsumerOffsetInterval: 300,
  });
  c.subscribe(topic, '*');
  c.registerMessageListener((msgs) => {
    for (const m of msgs) bodies.push(m.body.toString());
  });
  const admin = new RemotingClient();
  try {
    await c.start();
    for (let i = 0; i < 10; i++) await producer.send({ topic, body: `r${i}` });
    await waitFor(() => bodies.length >= 11, 15000, 'first pass');
    await waitFor(() => c.assignedQueues().length === 5, 10000, '4 topic queues + the retry queue');
    await new Promise((r) => setTimeout(r, 800)); // every queue's offset committed
    const broker = cluster.brokers[0]!;
    const info = await admin.invoke(
      broker,
      createRequest(RequestCode.GET_CONSUMER_RUNNING_INFO, {
        consumerGroup: group,
        clientId: c.clientId,
        jstackEnable: false,
      }),
      5000,
    );
    assert.equal(info.code, 0, info.remark);
    const doc = parseFastjson(info.body!) as {
      properties: Record<string, string>;
      subscriptionSet: Array<{ topic: string }>;
      mqTable: Record<string, { commitOffset: number }>;
    };
    assert.equal(doc.properties.PROP_CONSUME_TYPE, 'CONSUME_PASSIVELY');
    assert.ok(doc.subscriptionSet.some((s) => s.topic === topic));
    assert.ok(doc.subscriptionSet.some((s) => s.topic === `%RETRY%${group}`));
    assert.equal(Object.keys(doc.mqTable).length, 5);
    const reset = await admin.invoke(
      broker,
      createRequest(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp: 0, isForce: true }),
      5000,
    );
    assert.equal(reset.code, 0, reset.remark);
    await waitFor(() => bodies.length >= 22, 15000, 'second pass after the reset');
    assert.deepEqual(bodies.slice(11).sort(), bodies.slice(0, 11).sort());
  } finally {
    await admin.close();
    await c.shutdown();
  }
});
