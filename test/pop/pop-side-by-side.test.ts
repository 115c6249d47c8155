import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PushConsumer } from '../../src/engine/client/index.js';
import { waitFor } from '../broker/harness.js';
import { type PopCluster, startPopCluster } from './pop-harness.js';

// POP and classic push consumption of other groups on one topic: each group gets every message, and
// neither moves the other's offsets.

let p: PopCluster;
before(async () => {
  p = await startPopCluster();
});
after(async () => {
  await p?.stop();
});

test('a pop group and a push group on one topic each get every message once', {
  timeout: 60_000,
}, async () => {
  const topic = 'SideT';
  const popGroup = 'GSidePop';
  const pushGroup = 'GSidePush';
  await p.c.createTopic(topic, 4);
  const pushed: string[] = [];
  const push = new PushConsumer({
    namesrvAddr: p.c.namesrv,
    instanceName: `side${process.pid}`,
    groupName: pushGroup,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  push.subscribe(topic, '*');
  push.registerMessageListener((msgs) => {
    for (const m of msgs) pushed.push(m.body.toString());
  });
  await push.start();
  try {
    const sent = Array.from({ length: 20 }, (_, i) => `s${i}`);
    for (const b of sent) await p.send(topic, b);
    const popped: string[] = [];
    assert.ok(
      await waitFor(
        async () => {
          const r = await p.pop(popGroup, topic, { maxMsgNums: 7, invisibleTime: 30_000 });
          for (const m of r.msgs) {
            popped.push(m.body.toString());
            await p.ack(popGroup, m);
          }
          return popped.length >= 20;
        },
        20_000,
        100,
      ),
      `pop group got ${popped.length}`,
    );
    assert.ok(await waitFor(() => pushed.length >= 20, 30_000), `push group got ${pushed.length}`);
    assert.deepEqual([...popped].sort(), [...sent].sort());
    assert.deepEqual([...new Set(pushed)].sort(), [...sent].sort());
    assert.equal((await p.pop(popGroup, topic)).status, 'POLLING_NOT_FOUND');
  } finally {
    await push.shutdown();
  }
});
