import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sleep, waitFor } from '../broker/harness.js';
import { killProc } from '../helpers/servers.js';
import { bodies, type PopCluster, startPopCluster } from './pop-harness.js';

// POP state is durable: check points and acks are in the commit log before the client hears of them, so
// a broker killed with SIGKILL (no shutdown, no last snapshot) still brings back every unacked message
// after its invisible time, and never an acked one.

let p: PopCluster;
before(async () => {
  p = await startPopCluster();
});
after(async () => {
  await p?.stop();
});

test('kill -9 right after pop and ack: unacked messages come back after their invisible time, acked never', {
  timeout: 60_000,
}, async () => {
  const topic = 'PopKillT';
  const group = 'GPopKill';
  await p.c.createTopic(topic, 2);
  for (const b of ['k1', 'k2', 'k3', 'k4']) await p.send(topic, b);
  const popped = await p.pop(group, topic, { invisibleTime: 4000 });
  assert.deepEqual(bodies(popped), ['k1', 'k2', 'k3', 'k4']);
  const poppedAt = Date.now();
  for (const m of popped.msgs.filter((m) => ['k1', 'k3'].includes(m.body.toString()))) await p.ack(group, m);
  // Killed at once: well inside the 1 s between two saves of the pop state.
  await killProc(p.c.broker, 'SIGKILL');
  await p.c.restartBroker();

  const early = await p.pop(group, topic);
  if (Date.now() - poppedAt < 3800)
    assert.equal(early.status, 'POLLING_NOT_FOUND', 'still leased after the restart, and nothing re-popped');
  const back: string[] = [...bodies(early)];
  assert.ok(
    await waitFor(
      async () => {
        const r = await p.pop(group, topic, { invisibleTime: 60_000 });
        for (const m of r.msgs) {
          back.push(m.body.toString());
          assert.equal(m.reconsumeTimes, 1, `${m.body} comes back with its attempt counted`);
          await p.ack(group, m);
        }
        return back.length >= 2;
      },
      20_000,
      200,
    ),
    `the unacked came back (got ${back.join(',')})`,
  );
  assert.ok(Date.now() - poppedAt >= 3900, 'not before their invisible time');
  assert.deepEqual(back.sort(), ['k2', 'k4']);
  await sleep(1500);
  assert.equal((await p.pop(group, topic)).status, 'POLLING_NOT_FOUND', 'acked k1, k3 never return');
});

test('kill -9 after the state was saved: leases replay from the revive topic, pops go on where they were', {
  timeout: 60_000,
}, async () => {
  const topic = 'PopKill2T';
  const group = 'GPopKill2';
  await p.c.createTopic(topic, 1);
  await p.send(topic, 'j1');
  await p.send(topic, 'j2');
  const first = await p.pop(group, topic, { maxMsgNums: 1, invisibleTime: 2500 });
  assert.deepEqual(bodies(first), ['j1']);
  await sleep(1500); // a save of the pop state happens in between
  const second = await p.pop(group, topic, { maxMsgNums: 1, invisibleTime: 60_000 });
  assert.deepEqual(bodies(second), ['j2']);
  await p.ack(group, second.msgs[0]!);
  await killProc(p.c.broker, 'SIGKILL');
  await p.c.restartBroker();
  const back: string[] = [];
  assert.ok(
    await waitFor(
      async () => {
        const r = await p.pop(group, topic);
        for (const m of r.msgs) {
          back.push(m.body.toString());
          await p.ack(group, m);
        }
        return back.length >= 1;
      },
      15_000,
      200,
    ),
  );
  await sleep(1000);
  const r = await p.pop(group, topic);
  back.push(...bodies(r));
  assert.deepEqual(back, ['j1'], 'j1 came back once, acked j2 never');
});
