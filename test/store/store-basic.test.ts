import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeOffsetMsgId, decodeRecord, javaHashCode } from '../../src/engine/protocol/message/index.js';
import { HOST, msg, openStore, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('put then get reads back the exact records with consecutive queue offsets', async () => {
  const root = tempDir();
  dirs.push(root);
  const store = await openStore(root);
  const r = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      store.putMessage(msg('TopicA', 1, `hello-${i}`, { TAGS: i % 2 ? 'TagA' : 'TagB', KEYS: `k${i}` })),
    ),
  );
  assert.deepEqual(
    r.map((x) => x.status),
    Array(10).fill('PUT_OK'),
  );
  assert.deepEqual(
    r.map((x) => x.appendResult!.queueOffset),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  const first = r[0]!.appendResult!;
  assert.equal(first.wroteOffset, 0);
  assert.equal(decodeOffsetMsgId(first.msgId).offset, 0);
  assert.equal(decodeOffsetMsgId(r[3]!.appendResult!.msgId).offset, r[3]!.appendResult!.wroteOffset);

  const g = store.getMessage('TopicA', 1, 0, 32);
  assert.equal(g.status, 'FOUND');
  assert.equal(g.buffers.length, 10);
  assert.equal(g.nextBeginOffset, 10);
  assert.equal(g.maxOffset, 10);
  const d = decodeRecord(g.buffers[4]!);
  assert.equal(d.body.toString(), 'hello-4');
  assert.equal(d.queueOffset, 4);
  assert.equal(d.commitLogOffset, r[4]!.appendResult!.wroteOffset);
  assert.equal(d.properties.KEYS, 'k4');
  assert.deepEqual(d.storeHost.ip, HOST.ip);

  const filtered = store.getMessage('TopicA', 1, 0, 32, (code) => code === javaHashCode('TagA'));
  assert.equal(filtered.buffers.length, 5);
  assert.equal(store.getMessage('TopicA', 1, 10, 32).status, 'OFFSET_OVERFLOW_ONE');
  assert.equal(store.getMessage('TopicA', 1, 11, 32).status, 'OFFSET_OVERFLOW_BADLY');
  assert.equal(store.getMessage('TopicA', 2, 0, 32).status, 'NO_MATCHED_LOGIC_QUEUE');

  const q = store.queryMessage('TopicA', 'k7', 32, 0, Number.MAX_SAFE_INTEGER);
  assert.equal(q.buffers.length, 1);
  assert.equal(decodeRecord(q.buffers[0]!).body.toString(), 'hello-7');
  await store.shutdown();
  assert.ok(!fs.existsSync(join(root, 'abort')));
  assert.ok(fs.existsSync(join(root, 'consumequeue', 'TopicA', '1', '00000000000000000000')));
});

test('cleanUnusedTopic drops unconfigured topics but never the schedule or system (transaction) queues', async () => {
  const root = tempDir();
  const store = await openStore(root);
  try {
    for (const topic of ['Orphan', 'Configured', 'RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRANS_OP_HALF_TOPIC']) {
      assert.equal((await store.putMessage(msg(topic, 0, `in ${topic}`))).status, 'PUT_OK');
    }
    const dropped = store.cleanUnusedTopic((t) => t === 'Configured');
    assert.deepEqual(dropped, ['Orphan']);
    assert.equal(store.getMaxOffsetInQueue('Orphan', 0), 0);
    for (const kept of ['Configured', 'RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRANS_OP_HALF_TOPIC'])
      assert.equal(store.getMaxOffsetInQueue(kept, 0), 1, kept);
  } finally {
    await store.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a read of a queue is not cut where its entries stop being on disk and go on in memory', async () => {
  const root = tempDir();
  const store = await openStore(root);
  try {
    for (let i = 0; i < 5; i++) await store.putMessage(msg('SplitQueue', 0, `old${i}`));
    await store.writeQueuesNow(); // the first five entries on disk
    for (let i = 0; i < 5; i++) await store.putMessage(msg('SplitQueue', 0, `new${i}`));
    const cq = store.findConsumeQueue('SplitQueue', 0)!;
    assert.ok(cq.pendingBytes > 0, 'the last five are still in memory');
    const g = store.getMessage('SplitQueue', 0, 0, 32);
    assert.equal(g.status, 'FOUND');
    assert.equal(g.buffers.length, 10);
    assert.equal(g.nextBeginOffset, 10);
    assert.deepEqual(
      g.buffers.map((b) => decodeRecord(b).body.toString()),
      ['old0', 'old1', 'old2', 'old3', 'old4', 'new0', 'new1', 'new2', 'new3', 'new4'],
    );
  } finally {
    await store.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
