import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Producer, PushConsumer } from '../../src/engine/client/index.js';
import { type Cluster, startCluster, waitFor } from './servers.js';

let cluster: Cluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.stop();
});

test('clustering: every message exactly once across a join and a leave, queues rebalanced', {
  timeout: 60000,
}, async () => {
  const topic = `RB_${Date.now().toString(36)}`;
  const group = `CG_RB_${process.pid}`;
  const producer = new Producer({
    namesrvAddr: cluster.namesrv,
    instanceName: `rb-p-${process.pid}`,
    defaultTopicQueueNums: 8,
  });
  await producer.start();
  await producer.send({ topic, body: 'warmup' });
  const seen = new Map<string, string[]>();
  const byConsumer = new Map<string, number>();
  const make = (name: string) => {
    const c = new PushConsumer({
      namesrvAddr: cluster.namesrv,
      instanceName: `rb-${name}-${process.pid}`,
      groupName: group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      heartbeatBrokerInterval: 5000,
    });
    c.subscribe(topic, '*');
    c.registerMessageListener(async (msgs) => {
      for (const m of msgs) {
        const body = m.body.toString();
        seen.set(body, [...(seen.get(body) ?? []), name]);
        byConsumer.set(name, (byConsumer.get(name) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 1));
      return 'CONSUME_SUCCESS' as const;
    });
    return c;
  };
  const c1 = make('c1');
  const c2 = make('c2');
  const c3 = make('c3');
  // Keep sending (paced) until the join and the leave are both done, so both hand-overs happen under load.
  let sent = 0;
  let stopSending = false;
  const sending = (async () => {
    while (!stopSending) {
      const jobs = [];
      for (let i = 0; i < 25; i++) jobs.push(producer.send({ topic, body: `m${sent++}` }));
      await Promise.all(jobs);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const mine = (c: PushConsumer) => c.assignedQueues().filter((q) => q.topic === topic).length;
  const shares = () => [c1, c2, c3].map(mine).sort().join('/');
  try {
    await Promise.all([c1.start(), c2.start()]);
    await waitFor(() => mine(c1) === 4 && mine(c2) === 4, 15000, 'c1 and c2 share 8 queues');
    await waitFor(() => seen.size > 300, 15000, 'first messages');
    await c3.start();
    const c3Before = byConsumer.get('c3') ?? 0;
    await waitFor(() => (byConsumer.get('c3') ?? 0) > c3Before, 15000, 'c3 receives messages after joining');
    await waitFor(() => shares() === '2/3/3', 10000, 'three members splitting 8 queues 3/3/2');
    await c1.shutdown();
    await waitFor(() => mine(c2) + mine(c3) === 8, 15000, 'c2 and c3 take over c1 queues');
    const afterLeave = seen.size;
    await waitFor(() => seen.size > afterLeave + 200, 15000, 'messages flowing after the leave');
    stopSending = true;
    await sending;
    const total = sent + 1;
    await waitFor(() => seen.size >= total, 30000, `all ${total} messages`);
    await new Promise((r) => setTimeout(r, 500));
    const dups = [...seen].filter(([, who]) => who.length > 1);
    assert.deepEqual(dups.slice(0, 5), [], `${dups.length} duplicated messages`);
    assert.equal(seen.size, total);
    assert.ok((byConsumer.get('c1') ?? 0) > 0 && (byConsumer.get('c2') ?? 0) > 0);
  } finally {
    stopSending = true;
    await sending;
    await Promise.all([c1.shutdown(), c2.shutdown(), c3.shutdown()]);
    await producer.shutdown();
  }
});
