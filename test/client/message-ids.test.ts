// `mq queryMsgById -i` takes either id `mq producer send` prints: the unique key (msgId) or the offset id.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/servers.js';
import { type Cluster, startCluster } from './servers.js';

let cluster: Cluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.stop();
});

// TMPDIR: queryMsgById saves bodies under <tmp>/rocketmq/msgbodys, as Java does; keep them in the test's dir.
const mq = (args: string[]) =>
  runCli([...args, '-n', cluster.namesrv], {
    env: { ...cluster.env, TMPDIR: cluster.dir },
    timeoutMs: 40_000,
  });

interface Found {
  messages: Array<{ msgId: string; offsetMsgId: string; topic: string; body: string }>;
}

test('queryMsgById finds a message by the msgId producer send prints, and by its offsetMsgId', {
  timeout: 60_000,
}, async () => {
  const topic = `IdsTopic_${process.pid}`;
  // Another topic with messages, so the search by unique key has more than one topic to look through.
  assert.equal((await mq(['producer', 'send', '-t', `${topic}_other`, '--body', 'other'])).code, 0);
  const sent = await mq(['producer', 'send', '-t', topic, '--body', 'find me', '--json']);
  assert.equal(sent.code, 0, sent.stderr);
  const ids = JSON.parse(sent.stdout) as { msgId: string; offsetMsgId: string };
  assert.match(ids.msgId, /^[0-9A-F]{32}$/);
  assert.match(ids.offsetMsgId, /^[0-9A-F]{32}$/);
  assert.notEqual(ids.msgId, ids.offsetMsgId);
  // The plain (human) output names the same msgId.
  const plain = await mq(['producer', 'send', '-t', topic, '--body', 'plain one']);
  const plainId = /msgId=([0-9A-F]{32})/.exec(plain.stdout)?.[1];
  assert.ok(plainId, plain.stdout);

  for (const id of [ids.msgId, ids.offsetMsgId]) {
    const r = await mq(['queryMsgById', '-i', id, '--json']);
    assert.equal(r.code, 0, `${id}: ${r.stderr}`);
    const [m] = (JSON.parse(r.stdout) as Found).messages;
    assert.equal(m?.msgId, ids.msgId);
    assert.equal(m?.offsetMsgId, ids.offsetMsgId);
    assert.equal(m?.topic, topic);
    assert.equal(m?.body, 'find me');
  }
  const text = await mq(['queryMsgById', '-i', plainId]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`Topic: +${topic}\n`));
  assert.match(text.stdout, new RegExp(`UNIQ_KEY=${plainId}`));
  const withTopic = await mq(['queryMsgById', '-i', `${ids.msgId},${plainId}`, '-t', topic, '--json']);
  assert.equal(withTopic.code, 0, withTopic.stderr);
  assert.deepEqual(
    (JSON.parse(withTopic.stdout) as Found).messages.map((m) => m.body),
    ['find me', 'plain one'],
  );

  // An id nobody sent: one line naming it and what was searched.
  const unknown = `${ids.msgId.slice(0, 28)}${ids.msgId.endsWith('0000') ? 'FFFF' : '0000'}`;
  const miss = await mq(['queryMsgById', '-i', unknown]);
  assert.equal(miss.code, 1);
  assert.match(miss.stderr, new RegExp(`no message with id ${unknown}: .*no unique key .* in \\d+ topics`));
  const bad = await mq(['queryMsgById', '-i', 'xyz']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /xyz is not a message id/);
});
