import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { type MessageExt, Producer, PushConsumer } from '../../src/engine/client/index.js';
import { type AliOnsProducer, closeAliOnsProducer, startAliOnsProducer } from '../namesrv/ali-ons-peer.js';
import { type Cluster, startCluster, waitFor } from './servers.js';

const require = createRequire(import.meta.url);

interface AliOnsMessage {
  body: Buffer;
  tags: string;
  keys: string;
  msgId: string;
}

interface AliOnsConsumer {
  ready(): Promise<void>;
  close(): Promise<void>;
  on(ev: string, fn: (e: Error) => void): void;
  subscribe(topic: string, expr: string, handler: (msg: AliOnsMessage) => Promise<void>): void;
}

let cluster: Cluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.stop();
});

const quiet = { info() {}, debug() {}, warn() {}, error() {} };
const httpclient = {
  async request() {
    throw new Error('unused');
  },
};

test('our producer → ali-ons consumer: bodies (compressed too), tags and keys arrive intact', {
  timeout: 45000,
}, async () => {
  const topic = `PEER_A_${process.pid}`;
  const producer = new Producer({ namesrvAddr: cluster.namesrv, instanceName: `peer-p-${process.pid}` });
  await producer.start();
  const { Consumer } = require('ali-ons') as { Consumer: new (o: object) => AliOnsConsumer };
  const consumer = new Consumer({
    nameSrv: cluster.namesrv,
    httpclient,
    logger: quiet,
    clientIP: '127.0.0.1',
    consumerGroup: `CG_PEER_${process.pid}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    pollNameServerInteval: 500,
    heartbeatBrokerInterval: 500,
    rebalanceInterval: 500,
    persistConsumerOffsetInterval: 500,
  });
  consumer.on('error', () => {});
  const got = new Map<string, AliOnsMessage>();
  try {
    const big = 'z'.repeat(10000);
    const sent = [];
    for (let i = 0; i < 10; i++)
      sent.push(await producer.send({ topic, body: i === 3 ? big : `p${i}`, tags: 'TagP', keys: `key${i}` }));
    consumer.subscribe(topic, 'TagP', async (msg) => {
      got.set(msg.body.toString(), msg);
    });
    await consumer.ready();
    await waitFor(() => got.size >= 10, 30000, `ali-ons receiving 10 (has ${got.size})`);
    assert.ok(got.has(big), 'ali-ons inflated the zlib body (sysFlag 0x301)');
    assert.equal(got.get('p5')!.tags, 'TagP');
    assert.equal(got.get('p5')!.keys, 'key5');
    assert.equal(got.get('p5')!.msgId, sent[5]!.offsetMsgId, 'ali-ons ids are offset ids');
  } finally {
    await Promise.race([consumer.close().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
    await producer.shutdown();
  }
});

test('ali-ons producer → our push consumer', { timeout: 45000 }, async () => {
  const topic = `PEER_B_${process.pid}`;
  const seed = new Producer({ namesrvAddr: cluster.namesrv, instanceName: `peer-seed-${process.pid}` });
  await seed.start();
  await seed.send({ topic, body: 'seed' }); // create the topic (ali-ons sends with TBW102 too, but slower)
  await seed.shutdown();
  const ali: AliOnsProducer = await startAliOnsProducer(cluster.namesrv);
  const { Message } = require('ali-ons') as {
    Message: new (topic: string, tags: string, body: string | Buffer) => object;
  };
  const got: MessageExt[] = [];
  const c = new PushConsumer({
    namesrvAddr: cluster.namesrv,
    instanceName: `peer-c-${process.pid}`,
    groupName: `CG_PEER_B_${process.pid}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  c.subscribe(topic, 'TagQ');
  c.registerMessageListener((msgs) => {
    got.push(...msgs);
  });
  try {
    const sendable = ali as unknown as { send(m: object): Promise<{ sendStatus: string; msgId: string }> };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await sendable.send(new Message(topic, 'TagQ', `a${i}`))).msgId);
    await sendable.send(new Message(topic, 'Other', 'skip'));
    await c.start();
    await waitFor(() => got.length >= 5, 20000, 'our consumer receiving 5');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(got.map((m) => m.body.toString()).sort(), ['a0', 'a1', 'a2', 'a3', 'a4']);
    assert.ok(got.every((m) => m.tags === 'TagQ'));
    assert.deepEqual(
      got.map((m) => m.msgId).sort(),
      ids.sort(),
      'no UNIQ_KEY from ali-ons: msgId = offset id',
    );
  } finally {
    await c.shutdown();
    await closeAliOnsProducer(ali);
  }
});
