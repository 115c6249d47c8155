import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { allocateAveragely, allocateByCircle } from '../../src/engine/client/allocate.js';
import { LocalFileOffsetStore } from '../../src/engine/client/consumer/offset-store.js';
import { LatencyFaultTolerance } from '../../src/engine/client/fault-tolerance.js';
import type { MessageExt } from '../../src/engine/client/message.js';
import type { MessageQueue } from '../../src/engine/client/message-queue.js';
import { ProcessQueue } from '../../src/engine/client/process-queue.js';
import { selectByHash } from '../../src/engine/client/queue-selector.js';
import { buildSubscription, TagExpressionError, tagMatches } from '../../src/engine/client/tag-expression.js';
import { OrderedWindow } from '../../src/engine/client/tools/ordered-window.js';

const mqs = (n: number): MessageQueue[] =>
  Array.from({ length: n }, (_, i) => ({ topic: 'T', brokerName: 'b', queueId: i }));

test('average allocation gives contiguous blocks, extra queues to the first members, none twice', () => {
  const all = mqs(8);
  const cids = ['c1', 'c2', 'c3'];
  const got = cids.map((c) => allocateAveragely.allocate('g', c, all, cids).map((q) => q.queueId));
  assert.deepEqual(got, [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7],
  ]);
  // More members than queues: the extra members get nothing.
  const many = ['a', 'b', 'c', 'd', 'e'];
  const shares = many.map((c) => allocateAveragely.allocate('g', c, mqs(3), many).map((q) => q.queueId));
  assert.deepEqual(shares, [[0], [1], [2], [], []]);
  assert.deepEqual(allocateAveragely.allocate('g', 'x', all, cids), [], 'a non-member gets nothing');
  const circle = cids.map((c) => allocateByCircle.allocate('g', c, all, cids).map((q) => q.queueId));
  assert.deepEqual(circle, [
    [0, 3, 6],
    [1, 4, 7],
    [2, 5],
  ]);
});

test('tag expressions: *, alternatives with Java hash codes, and clear errors', () => {
  assert.equal(buildSubscription('T', '*').subString, '*');
  assert.equal(buildSubscription('T', '').subString, '*');
  const s = buildSubscription('T', ' TagA || TagB||TagA ');
  assert.deepEqual(s.tagsSet, ['TagA', 'TagB']);
  assert.equal(s.subString, 'TagA||TagB');
  assert.equal(s.codeSet[0], 2598919, 'Java "TagA".hashCode()');
  assert.ok(tagMatches(s, 'TagB'));
  assert.ok(!tagMatches(s, 'TagC'));
  assert.ok(!tagMatches(s, undefined));
  assert.ok(tagMatches(buildSubscription('T', '*'), undefined));
  for (const bad of ['A ||', '|| B', 'A | B', 'A B', 'A || * ']) {
    assert.throws(() => buildSubscription('T', bad), TagExpressionError, bad);
  }
  assert.throws(() => buildSubscription('T', 'A ||'), /empty tag/);
});

test('local offset file round-trips in Java OffsetSerializeWrapper form', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mq-offsets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = new LocalFileOffsetStore('127.0.0.1@1', 'G', dir);
  const q0 = { topic: 'T', brokerName: 'broker-a', queueId: 0 };
  const q1 = { topic: 'T', brokerName: 'broker-a', queueId: 1 };
  a.update(q0, 10, false);
  a.update(q1, 7, false);
  a.update(q1, 5, true); // increaseOnly: ignored
  await a.persistAll([q0, q1]);
  const text = readFileSync(join(dir, '127.0.0.1@1', 'G', 'offsets.json'), 'utf8');
  assert.equal(
    text,
    '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:10,{"brokerName":"broker-a","queueId":1,"topic":"T"}:7}}',
  );
  const b = new LocalFileOffsetStore('127.0.0.1@1', 'G', dir);
  await b.load();
  assert.equal(await b.read(q0, 'memoryThenStore'), 10);
  assert.equal(await b.read(q1, 'store'), 7);
  assert.equal(await b.read({ ...q1, queueId: 9 }, 'store'), -1);
});

function msg(offset: number, size = 10): MessageExt {
  return { queueOffset: offset, body: Buffer.alloc(size) } as MessageExt;
}

test('process queue commits only past the lowest unconsumed message', () => {
  const pq = new ProcessQueue();
  pq.put([msg(5), msg(6), msg(7)]);
  assert.equal(pq.count, 3);
  assert.equal(pq.bytes, 30);
  assert.equal(pq.remove([msg(6)]), 5, 'offset 5 still pending');
  assert.equal(pq.remove([msg(5)]), 7);
  assert.equal(pq.remove([msg(7)]), 8, 'empty: one past the highest');
  assert.equal(pq.maxSpan(), 0);
  pq.put([msg(7)]);
  assert.equal(pq.count, 0, 'an offset already seen is not cached again');
});

test('process queue orderly take/commit/rollback keeps order', () => {
  const pq = new ProcessQueue();
  pq.put([msg(1), msg(2), msg(3)]);
  assert.deepEqual(
    pq.take(2).map((m) => m.queueOffset),
    [1, 2],
  );
  pq.rollback();
  assert.deepEqual(
    pq.take(3).map((m) => m.queueOffset),
    [1, 2, 3],
  );
  assert.equal(pq.commit(), 4);
  assert.equal(pq.bytes, 0);
});

test('fault tolerance keeps a failed broker out, then lets it back', () => {
  let now = 1000;
  const f = new LatencyFaultTolerance(() => now);
  f.update('a', 10);
  assert.ok(f.isAvailable('a'), 'fast sends do not isolate');
  f.update('b', 0, true);
  assert.ok(!f.isAvailable('b'));
  assert.equal(f.pickOneAtLeast(['b', 'a']), 'a');
  now += 600001;
  assert.ok(f.isAvailable('b'));
});

test('hash selector is stable per key', () => {
  const qs = mqs(8);
  const a = selectByHash(qs, null, 'order-42');
  assert.deepEqual(selectByHash(qs, null, 'order-42'), a);
  assert.ok(qs.includes(a));
});

test('ordered window bounds in-flight jobs and keeps submission order', async () => {
  const out: number[] = [];
  let inFlight = 0;
  let peak = 0;
  const w = new OrderedWindow<number>(4, (n) => out.push(n));
  for (let i = 0; i < 20; i++) {
    await w.submit(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, (20 - i) % 5));
      inFlight--;
      return i;
    });
  }
  await w.drain();
  assert.deepEqual(
    out,
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.ok(peak <= 4 && peak >= 2, `peak ${peak}`);
});

test('send header V2 uses the one-letter keys Java reads, values as strings', async () => {
  const { toSendHeaderV2 } = await import('../../src/engine/protocol/requests/send-message.js');
  const { toExtFields } = await import('../../src/engine/protocol/remoting-command.js');
  const ext = toExtFields(
    toSendHeaderV2({
      producerGroup: 'PG',
      topic: 'T',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: 3,
      sysFlag: 0x301,
      bornTimestamp: 1700000000000,
      flag: 0,
      properties: 'TAGS\u0001a\u0002WAIT\u0001true',
      reconsumeTimes: 0,
      unitMode: false,
      batch: false,
      brokerName: 'broker-a',
    }),
  );
  assert.deepEqual(ext, {
    a: 'PG',
    b: 'T',
    c: 'TBW102',
    d: '4',
    e: '3',
    f: '769',
    g: '1700000000000',
    h: '0',
    i: 'TAGS\u0001a\u0002WAIT\u0001true',
    j: '0',
    k: 'false',
    m: 'false',
    n: 'broker-a',
  });
});
