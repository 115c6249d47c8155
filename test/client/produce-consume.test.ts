import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type MessageExt, Producer, PullConsumer, PushConsumer } from '../../src/engine/client/index.js';
import { type Cluster, startCluster, waitFor } from './servers.js';

let cluster: Cluster;
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
let seq = 0;
const instance = () => `t${process.pid}-${++seq}`;

before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.stop();
});

test('send auto-creates a topic through TBW102 and a pull reads back tags, keys, properties, body', {
  timeout: 30000,
}, async () => {
  const topic = `PC_${uniq()}`;
  const producer = new Producer({
    namesrvAddr: cluster.namesrv,
    instanceName: instance(),
    groupName: 'PG_A',
  });
  await producer.start();
  const puller = new PullConsumer({ namesrvAddr: cluster.namesrv, instanceName: instance() });
  await puller.start();
  try {
    const r = await producer.send({
      topic,
      body: 'hello',
      tags: 'TagA',
      keys: ['k1', 'k2'],
      properties: { color: 'red' },
    });
    assert.equal(r.sendStatus, 'SEND_OK');
    assert.match(r.msgId, /^[0-9A-F]{32}$/);
    assert.match(r.offsetMsgId, /^[0-9A-F]{32}$/);
    assert.equal(r.messageQueue.topic, topic);
    assert.equal(r.messageQueue.brokerName, 'broker-a');
    const big = Buffer.alloc(10000, 'x');
    const r2 = await producer.send({ topic, body: big, tags: 'TagB' }, { queue: r.messageQueue });
    assert.equal(r2.queueOffset, r.queueOffset + 1);

    await waitFor(
      async () => (await puller.fetchMessageQueues(topic).catch(() => [])).length > 0,
      10000,
      'route',
    );
    // The broker indexes messages asynchronously (as Java's reput thread does): poll until both show.
    let res = await puller.pull(r.messageQueue, '*', r.queueOffset, 32);
    await waitFor(
      async () => (res = await puller.pull(r.messageQueue, '*', r.queueOffset, 32)).msgs.length >= 2,
      5000,
      'both messages pullable',
    );
    assert.equal(res.status, 'FOUND');
    const [m1, m2] = res.msgs;
    assert.equal(m1!.body.toString(), 'hello');
    assert.equal(m1!.tags, 'TagA');
    assert.equal(m1!.keys, 'k1 k2');
    assert.equal(m1!.properties.color, 'red');
    assert.equal(m1!.msgId, r.msgId, 'msgId is the UNIQ_KEY');
    assert.equal(m1!.offsetMsgId, r.offsetMsgId);
    assert.ok(m2!.body.equals(big), 'compressed body comes back inflated');
    assert.equal(m2!.sysFlag & 0x1, 1, 'stored compressed');
    const onlyB = await puller.pull(r.messageQueue, 'TagB', r.queueOffset, 32);
    assert.deepEqual(
      onlyB.msgs.map((m) => m.tags),
      ['TagB'],
    );
    assert.equal(await puller.maxOffset(r.messageQueue), r.queueOffset + 2);
    assert.equal(await puller.minOffset(r.messageQueue), 0);
  } finally {
    await producer.shutdown();
    await puller.shutdown();
  }
});

test('batch and orderly sends; a body over the limit fails before sending', { timeout: 30000 }, async () => {
  const topic = `PB_${uniq()}`;
  const producer = new Producer({
    namesrvAddr: cluster.namesrv,
    instanceName: instance(),
    groupName: 'PG_B',
  });
  await producer.start();
  try {
    const batch = await producer.sendBatch([1, 2, 3].map((i) => ({ topic, body: `b${i}`, tags: 'T' })));
    assert.equal(batch.sendStatus, 'SEND_OK');
    assert.equal(batch.msgId.split(',').length, 3);
    const queues = new Set<number>();
    let last = -1;
    for (let i = 0; i < 5; i++) {
      const r = await producer.sendOrderly({ topic, body: `o${i}` }, 'order-1');
      queues.add(r.messageQueue.queueId);
      assert.ok(r.queueOffset > last || queues.size === 1);
      last = r.queueOffset;
    }
    assert.equal(queues.size, 1, 'one sharding key, one queue');
    await assert.rejects(
      producer.send({ topic, body: Buffer.alloc(4 * 1024 * 1024 + 1) }),
      /body size 4194305 is over the limit of 4194304 bytes/,
    );
    await assert.rejects(producer.send({ topic: 'bad topic!', body: 'x' }), /illegal characters/);
  } finally {
    await producer.shutdown();
  }
});

test('push consumer receives what was sent, filtered by tag, from the first offset', {
  timeout: 40000,
}, async () => {
  const topic = `PP_${uniq()}`;
  const producer = new Producer({
    namesrvAddr: cluster.namesrv,
    instanceName: instance(),
    groupName: 'PG_C',
  });
  await producer.start();
  const consumer = new PushConsumer({
    namesrvAddr: cluster.namesrv,
    instanceName: instance(),
    groupName: `CG_${uniq()}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  const got: MessageExt[] = [];
  try {
    for (let i = 0; i < 20; i++) await producer.send({ topic, body: `m${i}`, tags: i % 2 ? 'odd' : 'even' });
    consumer.subscribe(topic, 'even');
    consumer.registerMessageListener((msgs) => {
      got.push(...msgs);
      return 'CONSUME_SUCCESS';
    });
    await consumer.start();
    await waitFor(() => got.length >= 10, 20000, '10 even messages');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(got.length, 10);
    assert.ok(got.every((m) => m.tags === 'even'));
    assert.deepEqual(new Set(got.map((m) => m.body.toString())).size, 10);
    // More after the consumer is up arrive through long polling.
    await producer.send({ topic, body: 'late', tags: 'even' });
    await waitFor(() => got.some((m) => m.body.toString() === 'late'), 10000, 'late message');
  } finally {
    await consumer.shutdown();
    await producer.shutdown();
  }
});

test('delay level 1 holds a message for about a second', { timeout: 30000 }, async () => {
  const topic = `PD_${uniq()}`;
  const producer = new Producer({
    namesrvAddr: cluster.namesrv,
    instanceName: instance(),
    groupName: 'PG_D',
  });
  await producer.start();
  const consumer = new PushConsumer({
    namesrvAddr: cluster.namesrv,
    instanceName: instance(),
    groupName: `CG_${uniq()}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  const got: Array<{ m: MessageExt; at: number }> = [];
  try {
    await producer.send({ topic, body: 'now' });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((msgs) => {
      for (const m of msgs) got.push({ m, at: Date.now() });
    });
    await consumer.start();
    await waitFor(() => got.length >= 1, 10000, 'the immediate message');
    const sentAt = Date.now();
    await producer.send({ topic, body: 'later', delayLevel: 1 });
    await waitFor(() => got.length >= 2, 10000, 'the delayed message');
    const later = got.find((g) => g.m.body.toString() === 'later')!;
    assert.ok(later.at - sentAt >= 800, `delivered after ${later.at - sentAt} ms`);
    assert.equal(later.m.topic, topic);
  } finally {
    await consumer.shutdown();
    await producer.shutdown();
  }
});

test('CONSUME_FROM_TIMESTAMP starts a new group at the first message stored after the timestamp', {
  timeout: 30000,
}, async () => {
  const topic = `PT_${uniq()}`;
  const producer = new Producer({
    namesrvAddr: cluster.namesrv,
    instanceName: instance(),
    groupName: 'PG_T',
  });
  await producer.start();
  let consumer: PushConsumer | undefined;
  const got: string[] = [];
  try {
    for (let i = 0; i < 8; i++) await producer.send({ topic, body: `old${i}` });
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 8; i++) await producer.send({ topic, body: `new${i}` });
    // A brand-new group on a broker that still has the queue's head in memory gets offset 0 from
    // QUERY_CONSUMER_OFFSET (Java semantics), so consumeFromWhere only applies with ignoreCommittedOffset.
    consumer = new PushConsumer({
      namesrvAddr: cluster.namesrv,
      instanceName: instance(),
      groupName: `CG_${uniq()}`,
      consumeFromWhere: 'CONSUME_FROM_TIMESTAMP',
      consumeTimestamp: t,
      ignoreCommittedOffset: true,
    });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((msgs) => {
      for (const m of msgs) got.push(m.body.toString());
    });
    await consumer.start();
    await waitFor(() => got.length >= 8, 10000, 'the 8 new messages');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      got.sort(),
      Array.from({ length: 8 }, (_, i) => `new${i}`),
    );
  } finally {
    await consumer?.shutdown();
    await producer.shutdown();
  }
});
