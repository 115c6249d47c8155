import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PopResponseCode } from '../../src/engine/protocol/pop-extra-info.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { sleep, waitFor } from '../broker/harness.js';
import { bodies, type PopCluster, receipt, startPopCluster } from './pop-harness.js';

// POP consumption against a real broker process through the classic-protocol client calls: leases,
// acks, redelivery through the pop retry topic with the attempt counted, change of invisible time, DLQ
// past retryMaxTimes, long polling, notification and peek.

let p: PopCluster;
before(async () => {
  p = await startPopCluster();
});
after(async () => {
  await p?.stop();
});

test('pop leases messages with a POP_CK receipt; acked ones never come back, the unacked one does', {
  timeout: 30_000,
}, async () => {
  const topic = 'PopAckT';
  const group = 'GPopAck';
  await p.c.createTopic(topic, 2);
  for (const b of ['a', 'b', 'c']) await p.send(topic, b);
  const first = await p.pop(group, topic, { invisibleTime: 1500 });
  assert.equal(first.status, 'FOUND');
  assert.deepEqual(bodies(first), ['a', 'b', 'c']);
  for (const m of first.msgs) {
    const r = receipt(m);
    assert.equal(m.topic, topic);
    assert.equal(r.brokerName, 'broker-t');
    assert.equal(r.queueId, m.queueId);
    assert.equal(r.queueOffset, m.queueOffset);
    assert.equal(r.invisibleTime, 1500);
    assert.equal(r.topicKind, '0');
    assert.equal(m.reconsumeTimes, 0);
  }
  // Leased: a second pop gets nothing.
  assert.equal((await p.pop(group, topic)).status, 'POLLING_NOT_FOUND');
  for (const m of first.msgs.filter((m) => m.body.toString() !== 'b')) await p.ack(group, m);
  await sleep(1600);
  let again: Awaited<ReturnType<PopCluster['pop']>> | undefined;
  assert.ok(
    await waitFor(
      async () => {
        again = await p.pop(group, topic, { invisibleTime: 60_000 });
        return again.status === 'FOUND';
      },
      10_000,
      200,
    ),
    'the unacked message came back',
  );
  assert.deepEqual(bodies(again!), ['b']);
  const back = again!.msgs[0]!;
  assert.equal(back.reconsumeTimes, 1, 'the attempt is counted');
  assert.equal(back.topic, topic, 'handed out under its own topic');
  assert.equal(receipt(back).topicKind, '1', 'read from %RETRY%GPopAck_PopAckT');
  assert.equal(back.properties['1ST_POP_TIME'] !== undefined, true);
  await p.ack(group, back);
  await sleep(1700);
  assert.equal((await p.pop(group, topic)).status, 'POLLING_NOT_FOUND', 'nothing else comes back');
});

test('change invisible time: the message comes back at the new time; the old receipt is spent', {
  timeout: 30_000,
}, async () => {
  const topic = 'PopChangeT';
  const group = 'GPopChange';
  await p.c.createTopic(topic, 1);
  await p.send(topic, 'x');
  const r = await p.pop(group, topic, { invisibleTime: 60_000 });
  const m = r.msgs[0]!;
  const oldCk = m.properties.POP_CK!;
  const t0 = Date.now();
  const newCk = await p.changeInvisible(group, m, 1000);
  assert.notEqual(newCk, oldCk);
  assert.equal(receipt(m).invisibleTime, 1000);
  // The old receipt no longer changes anything.
  await assert.rejects(
    p.api.changeInvisibleTime(
      p.c.brokerAddr,
      {
        consumerGroup: group,
        topic,
        queueId: 0,
        extraInfo: oldCk,
        offset: m.queueOffset,
        invisibleTime: 5000,
      },
      5000,
    ),
    /lease .* is over/,
  );
  let back: Awaited<ReturnType<PopCluster['pop']>> | undefined;
  assert.ok(
    await waitFor(
      async () => {
        back = await p.pop(group, topic);
        return back.status === 'FOUND';
      },
      10_000,
      100,
    ),
  );
  assert.ok(Date.now() - t0 >= 900, 'not before the new invisible time');
  assert.ok(Date.now() - t0 < 8000, 'long before the old 60 s');
  assert.equal(back!.msgs[0]!.body.toString(), 'x');
  assert.equal(back!.msgs[0]!.reconsumeTimes, 1);
  await p.ack(group, back!.msgs[0]!);
});

test('past the group retryMaxTimes an unacked message goes to %DLQ%group', { timeout: 40_000 }, async () => {
  const topic = 'PopDlqT';
  const group = 'GPopDlq';
  await p.subGroup(group, { retryMaxTimes: 2 });
  await p.c.createTopic(topic, 1);
  await p.send(topic, 'poison');
  const attempts: number[] = [];
  const deadline = Date.now() + 25_000;
  while (Date.now() < deadline && attempts.length < 4) {
    const r = await p.pop(group, topic, { invisibleTime: 500 });
    for (const m of r.msgs) attempts.push(m.reconsumeTimes);
    await sleep(150);
    const dlq = await p.c.call(RequestCode.GET_MAX_OFFSET, { topic: `%DLQ%${group}`, queueId: 0 });
    if (dlq.code === 0 && Number(dlq.extFields?.offset) === 1) break;
  }
  assert.deepEqual(attempts, [0, 1, 2], 'delivered 1 + retryMaxTimes times');
  const pulled = await p.c.pullFromStart('anyone', `%DLQ%${group}`);
  assert.equal(pulled.code, 0, 'the DLQ holds it');
  await sleep(1000);
  assert.equal((await p.pop(group, topic)).status, 'POLLING_NOT_FOUND');
});

test('long polling: a pop waiting with pollTime is answered when a message arrives', {
  timeout: 30_000,
}, async () => {
  const topic = 'PopPollT';
  const group = 'GPopPoll';
  await p.c.createTopic(topic, 2);
  const t0 = Date.now();
  const empty = await p.pop(group, topic, { pollTime: 800 });
  assert.equal(empty.status, 'POLLING_NOT_FOUND');
  assert.ok(Date.now() - t0 >= 700, 'held until its poll time ran out');
  const waiting = p.pop(group, topic, { pollTime: 15_000 }, 20_000);
  await sleep(500);
  const sentAt = Date.now();
  await p.send(topic, 'wake');
  const r = await waiting;
  assert.equal(r.status, 'FOUND');
  assert.deepEqual(bodies(r), ['wake']);
  assert.ok(Date.now() - sentAt < 3000, `answered ${Date.now() - sentAt} ms after the send`);
});

test('notification and peek see what a pop would get, without leasing it', { timeout: 30_000 }, async () => {
  const topic = 'PopNotifyT';
  const group = 'GPopNotify';
  await p.c.createTopic(topic, 1);
  const base = { consumerGroup: group, topic, queueId: -1, bornTime: Date.now() };
  assert.equal((await p.api.notification(p.c.brokerAddr, { ...base, pollTime: 0 }, 5000)).hasMsg, false);
  const waiting = p.api.notification(p.c.brokerAddr, { ...base, pollTime: 10_000 }, 15_000);
  await sleep(300);
  await p.send(topic, 'n1');
  assert.equal((await waiting).hasMsg, true);
  const peek = await p.api.peekMessage(
    p.c.brokerAddr,
    { consumerGroup: group, topic, queueId: 0, maxMsgNums: 32, brokerName: 'broker-t' },
    5000,
  );
  assert.deepEqual(bodies(peek), ['n1']);
  const popped = await p.pop(group, topic);
  assert.deepEqual(bodies(popped), ['n1'], 'peek did not lease it');
  assert.equal((await p.api.notification(p.c.brokerAddr, { ...base, pollTime: 0 }, 5000)).hasMsg, false);
  await p.ack(group, popped.msgs[0]!);
});

test('BATCH_ACK_MESSAGE settles several messages of a check point in one request', {
  timeout: 30_000,
}, async () => {
  const topic = 'PopBatchAckT';
  const group = 'GPopBatchAck';
  await p.c.createTopic(topic, 1);
  for (const b of ['x1', 'x2', 'x3']) await p.send(topic, b);
  const r = await p.pop(group, topic, { invisibleTime: 1200 });
  assert.deepEqual(bodies(r), ['x1', 'x2', 'x3']);
  const ck = receipt(r.msgs[0]!);
  const acked = r.msgs.filter((m) => m.body.toString() !== 'x2');
  await p.api.batchAckMessage(
    p.c.brokerAddr,
    'broker-t',
    [
      {
        consumerGroup: group,
        topic,
        retry: ck.topicKind,
        startOffset: ck.ckQueueOffset,
        queueId: 0,
        reviveQueueId: ck.reviveQid,
        popTime: ck.popTime,
        invisibleTime: ck.invisibleTime,
        bits: acked.map((m) => m.queueOffset - ck.ckQueueOffset),
      },
    ],
    5000,
  );
  await sleep(1300);
  let back: Awaited<ReturnType<PopCluster['pop']>> | undefined;
  assert.ok(
    await waitFor(
      async () => {
        back = await p.pop(group, topic, { invisibleTime: 60_000 });
        return back.status === 'FOUND';
      },
      10_000,
      200,
    ),
  );
  assert.deepEqual(bodies(back!), ['x2']);
  await p.ack(group, back!.msgs[0]!);
});

test('bad input: a malformed receipt and an oversized pop are refused, naming what is wrong', async () => {
  const topic = 'PopBadT';
  await p.c.createTopic(topic, 1);
  await assert.rejects(
    p.api.ackMessage(
      p.c.brokerAddr,
      { consumerGroup: 'G', topic, queueId: 0, extraInfo: 'garbage', offset: 0 },
      5000,
    ),
    (e: Error & { code?: number }) =>
      e.code === PopResponseCode.INVALID_PARAMETER && /extraInfo 'garbage'/.test(e.message),
  );
  await assert.rejects(p.pop('G', topic, { maxMsgNums: 33 }), /pop message's num 33/);
  await assert.rejects(p.pop('G', 'NoSuchTopicPop'), /topic\[NoSuchTopicPop\] not exist/);
});
