// A SYNC_FLUSH broker under 32 sends in flight answers every send after its group commit and reports the
// group sizes it formed (commitLogGroupCommitSizes in GET_BROKER_RUNTIME_INFO; bench/sync-flush.ts prints
// it). Against a real name server + broker; the store is then reopened to check nothing acknowledged is
// missing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { Producer } from '../../src/engine/client/producer/producer.js';
import { stopProc } from '../helpers/servers.js';
import { type Cluster, startCluster } from './harness.js';

let c: Cluster;
let admin: AdminClient;

before(async () => {
  c = await startCluster({ flushDiskType: 'SYNC_FLUSH' });
  admin = new AdminClient({ namesrvAddr: c.namesrv });
});

after(async () => {
  await admin?.close();
  await c?.stop();
});

/** "1:3 2-3:10 …; N fdatasyncs (I idle), …" → puts per range and the fdatasync count. */
function parseGroups(s: string): { groups: number; syncs: number; max: number } {
  const m = /; (\d+) fdatasyncs \((\d+) idle\), [\d.]+ puts each, max (\d+),/.exec(s);
  assert.ok(m, `commitLogGroupCommitSizes: ${s}`);
  let groups = 0;
  for (const [, n] of s.split(';')[0]!.matchAll(/:(\d+)/g)) groups += Number(n);
  return { groups, syncs: Number(m[1]), max: Number(m[3]) };
}

test('SYNC_FLUSH with 32 sends in flight: groups formed, reported in runtime info, nothing acknowledged lost', async () => {
  await c.createTopic('GroupCommitTopic', 4);
  const producer = new Producer({ namesrvAddr: c.namesrv, groupName: 'gcProducer' });
  await producer.start();
  const acked: { queueId: number; queueOffset: number }[] = [];
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < 1000) {
          const i = next++;
          const r = await producer.send({ topic: 'GroupCommitTopic', body: Buffer.alloc(1024, i % 256) });
          assert.equal(r.sendStatus, 'SEND_OK');
          acked.push({ queueId: r.messageQueue.queueId, queueOffset: r.queueOffset });
        }
      }),
    );
  } finally {
    await producer.shutdown();
  }
  const info = await admin.fetchBrokerRuntimeStats(c.brokerAddr);
  const g = parseGroups(info.commitLogGroupCommitSizes ?? '');
  assert.ok(g.groups >= 1 && g.groups < 1000 / 2, `${g.groups} groups for 1000 sends: no group commit`);
  assert.ok(g.max > 1 && g.max <= 32, `largest group ${g.max}`);

  // Restart on the same store: every acknowledged send is there at its queue offset.
  await stopProc(c.broker);
  await c.restartBroker();
  const perQueue = new Map<number, number>();
  for (const a of acked) perQueue.set(a.queueId, Math.max(perQueue.get(a.queueId) ?? 0, a.queueOffset + 1));
  const stats = await admin.getTopicStatsInfo(c.brokerAddr, 'GroupCommitTopic');
  assert.equal(acked.length, 1000);
  for (const [q, max] of perQueue) {
    const row = stats.offsetTable.find(([mq]) => mq.queueId === q)?.[1];
    assert.ok(row && row.maxOffset >= max, `queue ${q}: max offset ${row?.maxOffset}, acknowledged ${max}`);
  }
});
