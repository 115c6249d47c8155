import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Producer } from '../../src/engine/client/index.js';
import { type Cluster, startCluster } from './servers.js';

let cluster: Cluster;
before(async () => {
  cluster = await startCluster({ brokers: 2 });
});
after(async () => {
  await cluster?.stop();
});

test('a crashed broker: sends retry on the other one, and fault avoidance keeps it aside', {
  timeout: 40000,
}, async () => {
  const topic = `FO_${process.pid}`;
  const producer = new Producer({
    namesrvAddr: cluster.namesrv,
    instanceName: `fo-${process.pid}`,
    sendMsgTimeout: 5000,
  });
  await producer.start();
  try {
    const before = [];
    for (let i = 0; i < 16; i++) before.push(await producer.send({ topic, body: `b${i}` }));
    assert.deepEqual(
      [...new Set(before.map((r) => r.messageQueue.brokerName))].sort(),
      ['broker-a', 'broker-b'],
      'round robin over both brokers (TBW102 route covered both)',
    );
    await cluster.killBroker(0);
    const t0 = Date.now();
    const afterKill = [];
    for (let i = 0; i < 40; i++) afterKill.push(await producer.send({ topic, body: `a${i}` }));
    const ms = Date.now() - t0;
    assert.ok(afterKill.every((r) => r.sendStatus === 'SEND_OK' && r.messageQueue.brokerName === 'broker-b'));
    assert.ok(ms < 10000, `40 sends after the crash took ${ms} ms`);
  } finally {
    await producer.shutdown();
  }
});
