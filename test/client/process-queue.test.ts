// The process queue keeps pulled messages in an offset-ordered array with holes where consumed ones were
// (it was a Map). Against a plain reference model: concurrent batches finishing in any order, offsets
// with gaps (filtered messages), messages not (or no longer) cached, and an orderly take / rollback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageExt } from '../../src/engine/client/message.js';
import { ProcessQueue } from '../../src/engine/client/process-queue.js';

const msg = (offset: number, size = 1 + (offset % 7)): MessageExt =>
  ({ queueOffset: offset, body: Buffer.alloc(size) }) as MessageExt;

/** Deterministic pseudo-random numbers (the test must not change from run to run). */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

test('process queue: commit offsets and counts match a reference model through 20k random removals', () => {
  const rand = rng(7);
  const pq = new ProcessQueue();
  const model = new Map<number, number>(); // offset -> body size
  let next = 0;
  let max = -1;
  for (let round = 0; round < 400; round++) {
    // A pull: 32 offsets with gaps (tag-filtered messages are never cached).
    const pulled: MessageExt[] = [];
    for (let i = 0; i < 32; i++) {
      next += 1 + (rand() < 0.2 ? Math.floor(rand() * 5) : 0);
      pulled.push(msg(next));
    }
    pq.put(pulled);
    for (const m of pulled) model.set(m.queueOffset, m.body.length);
    max = next;
    // Finish a few random batches, including offsets never cached or already removed.
    const live = [...model.keys()];
    for (let b = 0; b < 2; b++) {
      const batch: MessageExt[] = [];
      for (let i = 0; i < 25 && live.length > 0; i++) {
        const k = Math.floor(rand() * live.length);
        batch.push(msg(live[k]!));
        if (rand() < 0.1) batch.push(msg(live[k]! + 0.5)); // not cached
      }
      const got = pq.remove(batch);
      for (const m of batch) model.delete(m.queueOffset);
      const want = model.size > 0 ? Math.min(...model.keys()) : max + 1;
      assert.equal(got, want, `round ${round}: commit offset`);
      assert.equal(pq.count, model.size);
      assert.equal(
        pq.bytes,
        [...model.values()].reduce((a, s) => a + s, 0),
      );
      assert.equal(pq.maxSpan(), model.size > 0 ? max - Math.min(...model.keys()) : 0);
    }
  }
  // Drain what is left, newest first: the commit offset stays at the oldest until it goes.
  const rest = [...model.keys()].sort((a, b) => b - a);
  for (const off of rest) {
    model.delete(off);
    assert.equal(pq.remove([msg(off)]), model.size > 0 ? Math.min(...model.keys()) : max + 1);
  }
  assert.equal(pq.count, 0);
  assert.equal(pq.bytes, 0);
  assert.equal(pq.remove([msg(1)]), -1, 'nothing cached');
});

test('process queue: orderly take after holes, rollback in offset order, then commit', () => {
  const pq = new ProcessQueue();
  pq.put([1, 2, 3, 5, 8, 9].map((o) => msg(o, 10)));
  assert.equal(pq.remove([msg(2), msg(5)]), 1);
  assert.deepEqual(
    pq.take(2).map((m) => m.queueOffset),
    [1, 3],
  );
  assert.equal(pq.count, 2);
  pq.rollback();
  assert.equal(pq.count, 4);
  assert.deepEqual(
    pq.take(10).map((m) => m.queueOffset),
    [1, 3, 8, 9],
  );
  assert.equal(pq.commit(), 10);
  assert.equal(pq.bytes, 0);
  assert.equal(pq.hasPending(), false);
});
