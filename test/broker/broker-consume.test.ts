import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  aliOns,
  aliOnsCommon,
  type Cluster,
  closeAll,
  quiet,
  sleep,
  startCluster,
  waitFor,
} from './harness.js';

// Real name server + broker child processes; ali-ons@3.12.0 as producer and consumers.

let c: Cluster;
const { Producer, Consumer, Message } = aliOns();

before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

test('10,000 messages are consumed exactly once by two ali-ons consumers that split the queues', {
  timeout: 80_000,
}, async () => {
  const topic = 'SplitTopic';
  const group = 'CG_split';
  await c.createTopic(topic, 8);
  const errors: string[] = [];
  const seen = new Map<string, number>();
  const queuesBy: Array<Set<number>> = [new Set(), new Set()];
  const counts = [0, 0];
  const consumers = [0, 1].map((i) => {
    const consumer = quiet(
      new Consumer({
        ...aliOnsCommon(c.namesrv, `split-c${i}`, errors),
        consumerGroup: group,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      }),
    );
    consumer.subscribe(topic, '*', async (msg: { body: Buffer; queueId: number }) => {
      const id = msg.body.toString();
      seen.set(id, (seen.get(id) ?? 0) + 1);
      queuesBy[i]!.add(msg.queueId);
      counts[i]!++;
    });
    return consumer;
  });
  await Promise.all(consumers.map((x) => x.ready()));
  // Let both members see each other (heartbeats + rebalance) before any message exists.
  const r = await waitFor(async () => {
    const resp = await c.call(38, { consumerGroup: group });
    return resp.code === 0 && JSON.parse(resp.body!.toString()).consumerIdList.length === 2;
  }, 15_000);
  assert.ok(r, 'both consumers registered with the broker');
  await sleep(3000);

  const producer = quiet(
    new Producer({ ...aliOnsCommon(c.namesrv, 'split-p', errors), producerGroup: 'PG_split' }),
  );
  await producer.ready();
  const N = 10_000;
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < N) {
        const id = next++;
        const res = await producer.send(new Message(topic, 'TagA', Buffer.from(`m-${id}`)));
        assert.equal(res.sendStatus, 'SEND_OK');
      }
    }),
  );
  const done = await waitFor(() => seen.size === N, 45_000, 200);
  await sleep(1000);
  await closeAll([producer, ...consumers]);
  assert.ok(done, `received ${seen.size} of ${N}`);
  const dups = [...seen.values()].filter((n) => n > 1).length;
  assert.equal(dups, 0, 'no message delivered twice');
  assert.ok(counts[0]! > 0 && counts[1]! > 0, `both consumers got messages: ${counts}`);
  for (const q of queuesBy[0]!) assert.ok(!queuesBy[1]!.has(q), `queue ${q} consumed by both`);
  assert.equal(queuesBy[0]!.size + queuesBy[1]!.size, 8);
});

test('broadcasting: every consumer of the group receives every message', { timeout: 40_000 }, async () => {
  const topic = 'BroadcastTopic';
  await c.createTopic(topic, 4);
  const got = [new Set<string>(), new Set<string>()];
  const consumers = [0, 1].map((i) => {
    const consumer = quiet(
      new Consumer({
        ...aliOnsCommon(c.namesrv, `bc-c${i}`),
        consumerGroup: 'CG_broadcast',
        isBroadcast: true,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      }),
    );
    consumer.subscribe(topic, '*', async (msg: { body: Buffer }) => {
      got[i]!.add(msg.body.toString());
    });
    return consumer;
  });
  await Promise.all(consumers.map((x) => x.ready()));
  await sleep(2000);
  const producer = quiet(new Producer({ ...aliOnsCommon(c.namesrv, 'bc-p'), producerGroup: 'PG_bc' }));
  await producer.ready();
  for (let i = 0; i < 200; i++) await producer.send(new Message(topic, 'T', Buffer.from(`b-${i}`)));
  const ok = await waitFor(() => got[0]!.size === 200 && got[1]!.size === 200, 20_000);
  await closeAll([producer, ...consumers]);
  assert.ok(ok, `received ${got[0]!.size} and ${got[1]!.size} of 200`);
});

test('tag filtering: only subscribed tags are delivered, all of them', { timeout: 40_000 }, async () => {
  const topic = 'TagTopic';
  await c.createTopic(topic, 4);
  const producer = quiet(new Producer({ ...aliOnsCommon(c.namesrv, 'tag-p'), producerGroup: 'PG_tag' }));
  await producer.ready();
  const tags = ['TagA', 'TagB', 'TagC'];
  for (let i = 0; i < 300; i++) {
    const tag = tags[i % 3]!;
    await producer.send(new Message(topic, tag, Buffer.from(`${tag}-${i}`)));
  }
  const got: string[] = [];
  const consumer = quiet(
    new Consumer({
      ...aliOnsCommon(c.namesrv, 'tag-c'),
      consumerGroup: 'CG_tag',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    }),
  );
  consumer.subscribe(topic, 'TagA || TagC', async (msg: { body: Buffer; tags: string }) => {
    got.push(`${msg.tags}:${msg.body.toString()}`);
  });
  await consumer.ready();
  const ok = await waitFor(() => got.length >= 200, 20_000);
  await sleep(1500);
  // The broker filtered by tag hash: a pull of queue 0 from offset 0 with TagB only returns TagB records.
  const pull = await c.pullFromStart('CG_tag_probe', topic, 0, 'TagB');
  await closeAll([producer, consumer]);
  assert.ok(ok, `received ${got.length} of 200`);
  assert.equal(got.length, 200, 'nothing beyond the subscribed tags');
  assert.ok(got.every((g) => g.startsWith('TagA:TagA-') || g.startsWith('TagC:TagC-')));
  assert.equal(pull.code, 0);
  const body = pull.body!.toString('latin1');
  assert.ok(body.includes('TagB-') && !body.includes('TagA-') && !body.includes('TagC-'));
});
