import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { sleep, waitFor } from '../broker/harness.js';
import { runCli } from '../helpers/servers.js';
import { bodies, type PopCluster, receipt, startPopCluster } from './pop-harness.js';

// FIFO (orderly) pops: a queue's next message is not handed out while an earlier one is leased and
// unacked; redelivery keeps send order and counts attempts; dead-lettered ones let the queue go on.

let p: PopCluster;
before(async () => {
  p = await startPopCluster();
});
after(async () => {
  await p?.stop();
});

test('an orderly group gets a queue one lease at a time, in send order', { timeout: 40_000 }, async () => {
  const topic = 'FifoT';
  const group = 'GFifo';
  // As the 5.x SDKs' docs say: a FIFO group is `mqadmin updateSubGroup -o true`.
  const cli = await runCli([
    'updateSubGroup',
    '-n',
    p.c.namesrv,
    '-b',
    p.c.brokerAddr,
    '-g',
    group,
    '-o',
    'true',
  ]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /consumeMessageOrderly=true/);
  await p.c.createTopic(topic, 1);
  for (let i = 0; i < 5; i++) await p.send(topic, `m${i}`, { queueId: 0 });

  // The group config makes it orderly even when the pop does not say so.
  const a = await p.pop(group, topic, { maxMsgNums: 1, invisibleTime: 1500 });
  assert.deepEqual(bodies(a), ['m0']);
  assert.equal(receipt(a.msgs[0]!).reviveQid, 999, 'an orderly receipt');
  assert.equal((await p.pop(group, topic, { maxMsgNums: 1 })).status, 'POLLING_NOT_FOUND', 'm1 waits for m0');
  await p.ack(group, a.msgs[0]!);
  const b = await p.pop(group, topic, { maxMsgNums: 1, invisibleTime: 1000, order: true });
  assert.deepEqual(bodies(b), ['m1']);
  // Not acked: m1 comes back (not m2), its attempt counted.
  await sleep(1100);
  const b2 = await p.pop(group, topic, { maxMsgNums: 1, invisibleTime: 5000, order: true });
  assert.deepEqual(bodies(b2), ['m1']);
  assert.equal(b2.msgs[0]!.reconsumeTimes, 1);
  assert.match(b2.orderCountInfo ?? '', /qo0%1 1/);
  // A waiting pop is answered when the ack frees the queue.
  const waiting = p.pop(group, topic, { maxMsgNums: 32, pollTime: 10_000, order: true }, 15_000);
  await sleep(300);
  await p.ack(group, b2.msgs[0]!);
  const rest = await waiting;
  assert.deepEqual(
    rest.msgs.map((m) => m.body.toString()),
    ['m2', 'm3', 'm4'],
    'the rest in send order',
  );
  for (const m of rest.msgs) await p.ack(group, m);
  await p.send(topic, 'm5', { queueId: 0 });
  const m5 = await p.pop(group, topic, { order: true });
  assert.deepEqual(bodies(m5), ['m5']);
  await p.ack(group, m5.msgs[0]!);
  // A lease of two, one of them given more time: both receipts still ack, and the queue goes on.
  await p.send(topic, 'm6', { queueId: 0 });
  await p.send(topic, 'm7', { queueId: 0 });
  const pair = await p.pop(group, topic, { order: true, invisibleTime: 2000 });
  assert.deepEqual(bodies(pair), ['m6', 'm7']);
  await p.changeInvisible(group, pair.msgs[0]!, 20_000);
  await sleep(2100);
  assert.equal((await p.pop(group, topic, { order: true })).status, 'POLLING_NOT_FOUND', 'held 20 s now');
  for (const m of pair.msgs) await p.ack(group, m);
  await p.send(topic, 'm8', { queueId: 0 });
  assert.deepEqual(bodies(await p.pop(group, topic, { order: true })), ['m8']);
});

test('orderly: past retryMaxTimes the head goes to the DLQ and the next message follows', {
  timeout: 40_000,
}, async () => {
  const topic = 'FifoDlqT';
  const group = 'GFifoDlq';
  await p.subGroup(group, { consumeMessageOrderly: true, retryMaxTimes: 1 });
  await p.c.createTopic(topic, 1);
  await p.send(topic, 'head', { queueId: 0 });
  await p.send(topic, 'next', { queueId: 0 });
  const seen: string[] = [];
  assert.ok(
    await waitFor(
      async () => {
        const r = await p.pop(group, topic, { maxMsgNums: 1, invisibleTime: 400, order: true });
        for (const m of r.msgs) {
          seen.push(`${m.body}:${m.reconsumeTimes}`);
          if (m.body.toString() === 'next') await p.ack(group, m);
        }
        return seen.includes('next:0');
      },
      20_000,
      450,
    ),
    `next delivered after the head was dead-lettered (seen ${seen.join(' ')})`,
  );
  assert.deepEqual(seen, ['head:0', 'head:1', 'next:0']);
  const dlq = await p.c.call(RequestCode.GET_MAX_OFFSET, { topic: `%DLQ%${group}`, queueId: 0 });
  assert.equal(Number(dlq.extFields?.offset), 1);
});
