// A broker that stops answering in the middle of admin work, and `mq shutdown broker` under load.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { Producer } from '../../src/engine/client/producer/producer.js';
import { type Cluster, mq, mqJson, startBroker, startCluster, waitFor } from './servers.js';

let c: Cluster;
let admin: AdminClient;

before(async () => {
  c = await startCluster();
  admin = new AdminClient({ namesrvAddr: c.namesrvAddr });
});

after(async () => {
  await admin?.close();
  if (c?.broker) c.broker.child.kill('SIGCONT');
  await c?.stop();
});

test('mq shutdown broker under load: every acknowledged message is still there after restart, checkpoint written', async () => {
  const topic = 'ShutdownTopic';
  const up = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', topic, '-r', '2', '-w', '2']);
  assert.equal(up.code, 0, up.stderr);
  await waitFor(async () => (await admin.fetchAllTopicList()).includes(topic), 10_000, 'topic');
  const producer = new Producer({
    namesrvAddr: c.namesrvAddr,
    groupName: 'shutdownProducer',
    instanceName: 'shutdown-load',
    retryTimesWhenSendFailed: 0,
  });
  await producer.start();
  const acked: string[] = [];
  let stop = false;
  const load = (async () => {
    for (let i = 0; !stop; i++) {
      try {
        const r = await producer.send({ topic, body: `load-${i}`, keys: `k${i}` });
        if (r.sendStatus === 'SEND_OK') acked.push(r.offsetMsgId);
      } catch {
        // the broker is going away: unacknowledged sends don't count
      }
    }
  })();
  await waitFor(async () => acked.length >= 50, 15_000, 'load');
  const sd = await mq(c, ['shutdown', 'broker', '--pid-file', join(c.dir, 'broker.pid')]);
  stop = true;
  await load;
  await producer.shutdown();
  assert.equal(sd.code, 0, sd.stderr);
  assert.match(sd.stdout, /shut down cleanly/);
  await c.broker!.exited;
  const store = join(c.dir, 'store');
  assert.ok(existsSync(join(store, 'checkpoint')), `no checkpoint in ${readdirSync(store).join(',')}`);
  assert.equal(statSync(join(store, 'checkpoint')).size > 0, true);

  // Restart on the same store and read every acknowledged message back by its offset id.
  await startBroker(c);
  // The restarted broker has a new port; offset ids name the old one, so read by commit-log offset.
  const fresh = await waitFor(
    async () => {
      const ci = await admin.examineBrokerClusterInfo();
      const a = ci.brokerAddrTable['broker-a']?.brokerAddrs['0'];
      return a === c.brokerAddr ? a : undefined;
    },
    15_000,
    're-registration',
  );
  const st = await mqJson<{ queues: Array<{ maxOffset: number }> }>(c, ['topicStatus', '-t', topic]);
  const stored = st.queues.reduce((s, q) => s + q.maxOffset, 0);
  assert.ok(stored >= acked.length, `stored ${stored} < acknowledged ${acked.length}`);
  const { decodeOffsetMsgId } = await import('../../src/engine/protocol/message/message-id.js');
  for (const id of acked) {
    const rec = await admin.viewMessage(fresh, decodeOffsetMsgId(id).offset);
    assert.equal(rec.topic, topic);
  }
});

test('a broker that stops answering mid-command: one-line error and non-zero exit', async () => {
  const addr = (await admin.examineBrokerClusterInfo()).brokerAddrTable['broker-a']!.brokerAddrs['0']!;
  // Freeze the broker process: its socket stays open but nothing answers (a hung or dying broker).
  const pid = Number((await import('node:fs')).readFileSync(join(c.dir, 'broker.pid'), 'utf8').trim());
  process.kill(pid, 'SIGSTOP');
  try {
    const st = await mq(c, ['brokerStatus', '-b', addr]);
    assert.equal(st.code, 1);
    assert.equal(st.stdout, '');
    assert.equal(st.stderr.trim().split('\n').length, 1, st.stderr);
    assert.match(st.stderr, /^brokerStatus: GET_BROKER_RUNTIME_INFO: .*timeout/);
    // clusterList still prints the name server's view, marks the broker and exits non-zero.
    const cl = await mq(c, ['clusterList']);
    assert.equal(cl.code, 1);
    assert.match(cl.stdout, /broker-a/);
    assert.equal(cl.stderr.trim().split('\n').length, 1, cl.stderr);
    assert.match(cl.stderr, new RegExp(`^clusterList: ${addr.replace(/\./g, '\\.')}: `));
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  // Killed outright: connection refused, same contract.
  process.kill(pid, 'SIGKILL');
  await c.broker!.exited;
  const gone = await mq(c, ['topicStatus', '-t', 'ShutdownTopic']);
  assert.equal(gone.code, 1);
  assert.equal(gone.stderr.trim().split('\n').length, 1, gone.stderr);
  // The name server drops a broker whose connection closed, so either answer is a clean one-liner.
  assert.match(gone.stderr, /ECONNREFUSED|connect|TOPIC_NOT_EXIST/);
});
