import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeRecords } from '../../src/engine/protocol/message/index.js';
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

// Retry → DLQ and delay levels through a real broker process, driven by ali-ons@3.12.0.
// Level 3 (the first retry of a failed message) is 1 s here so the test stays fast; level 2 is 2 s.

let c: Cluster;
const { Producer, Consumer, Message } = aliOns();

before(async () => {
  c = await startCluster({ messageDelayLevel: '1s 2s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s' });
});
after(async () => {
  await c?.stop();
});

async function maxOffset(topic: string, queueId = 0): Promise<number> {
  const r = await c.call(30, { topic, queueId });
  return r.code === 0 ? Number(r.extFields!.offset) : -1;
}

test('a failing consumer gets its message retried, then it moves to %DLQ%group', {
  timeout: 60_000,
}, async () => {
  const topic = 'RetryTopic';
  const group = 'CG_retry';
  await c.createTopic(topic, 1);
  const producer = quiet(new Producer({ ...aliOnsCommon(c.namesrv, 'rt-p'), producerGroup: 'PG_rt' }));
  await producer.ready();
  const attempts: Array<{ reconsumeTimes: number; at: number }> = [];
  const consumer = quiet(
    new Consumer({
      ...aliOnsCommon(c.namesrv, 'rt-c'),
      consumerGroup: group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      maxReconsumeTimes: 1,
    }),
  );
  consumer.subscribe(topic, '*', async (msg: { body: Buffer; reconsumeTimes: number }) => {
    if (msg.body.toString() !== 'poison') return;
    attempts.push({ reconsumeTimes: msg.reconsumeTimes, at: Date.now() });
    throw new Error('handler fails on purpose');
  });
  await consumer.ready();
  const sent = await producer.send(new Message(topic, 'TagP', Buffer.from('poison')));
  assert.equal(sent.sendStatus, 'SEND_OK');

  const dlq = `%DLQ%${group}`;
  const moved = await waitFor(async () => (await maxOffset(dlq)) === 1, 40_000, 250);
  await sleep(500);
  await closeAll([producer, consumer]);
  assert.ok(moved, `the message reached ${dlq} (attempts: ${JSON.stringify(attempts)})`);
  assert.equal(attempts.length, 2, 'consumed once, retried once, then dead-lettered');
  assert.deepEqual(
    attempts.map((a) => a.reconsumeTimes),
    [0, 1],
  );
  assert.ok(attempts[1]!.at - attempts[0]!.at >= 1000, 'the retry waited for its delay level');
  assert.equal(await maxOffset(`%RETRY%${group}`), 1, 'one hop through the retry topic');

  const pull = await c.pullFromStart('CG_dlq_probe', dlq);
  assert.equal(pull.code, 0);
  const [rec] = decodeRecords(pull.body!);
  assert.equal(rec!.body.toString(), 'poison');
  assert.equal(rec!.properties.RETRY_TOPIC, topic);
  assert.equal(rec!.properties.ORIGIN_MESSAGE_ID, sent.msgId);
  assert.equal(rec!.reconsumeTimes, 2);
  assert.equal(rec!.properties.CLUSTER, 'TestCluster');
  assert.equal(rec!.properties.WAIT, undefined);
});

test('a delayed message (level 2 = 2 s) is not delivered before its level', { timeout: 40_000 }, async () => {
  const topic = 'DelayTopic';
  await c.createTopic(topic, 2);
  const producer = quiet(new Producer({ ...aliOnsCommon(c.namesrv, 'dl-p'), producerGroup: 'PG_dl' }));
  await producer.ready();
  const got: Array<{ body: string; at: number }> = [];
  const consumer = quiet(
    new Consumer({
      ...aliOnsCommon(c.namesrv, 'dl-c'),
      consumerGroup: 'CG_dl',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    }),
  );
  consumer.subscribe(topic, '*', async (msg: { body: Buffer }) => {
    got.push({ body: msg.body.toString(), at: Date.now() });
  });
  await consumer.ready();
  await sleep(1500);
  const msg = new Message(topic, 'TagD', Buffer.from('later'));
  msg.delayTimeLevel = 2;
  const t0 = Date.now();
  const r = await producer.send(msg);
  assert.equal(r.sendStatus, 'SEND_OK');
  await producer.send(new Message(topic, 'TagN', Buffer.from('now')));
  // Parked in SCHEDULE_TOPIC_XXXX queue 1 (level − 1), not yet in the real topic.
  assert.equal(await maxOffset('SCHEDULE_TOPIC_XXXX', 1), 1);
  const inReal = (await maxOffset(topic, 0)) + (await maxOffset(topic, 1));
  assert.equal(inReal, 1, 'only the undelayed message is in the topic so far');
  const ok = await waitFor(() => got.some((g) => g.body === 'later'), 15_000, 50);
  await closeAll([producer, consumer]);
  assert.ok(ok, 'the delayed message arrived');
  const later = got.find((g) => g.body === 'later')!;
  const now = got.find((g) => g.body === 'now')!;
  assert.ok(later.at - t0 >= 2000, `delivered after ${later.at - t0} ms`);
  assert.ok(now.at < later.at, 'the undelayed message came first');
});
