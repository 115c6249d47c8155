import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, test } from 'node:test';
import { decodeRecord, javaHashCode, readInt64 } from '../../src/engine/protocol/message/index.js';
import type { MessageStore } from '../../src/engine/store/index.js';
import { msg, openStore, tempDir } from './helpers.js';

// getMessage scans up to 800 consume-queue entries (Java's 16,000 bytes) for a tag filter, reading them in
// growing chunks: what a pull finds and where the next one starts must not depend on the chunk bounds.

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const COUNT = 1000;
const TAG_B_AT = [40, 300, 700];
const TAG_C_AT = 900;
const conf = { mappedFileSizeCommitLog: 1024 * 1024, mappedFileSizeConsumeQueue: 20 * 2000 };

function tagOf(i: number): string {
  return TAG_B_AT.includes(i) ? 'TagB' : i === TAG_C_AT ? 'TagC' : 'TagA';
}

const only = (tag: string) => (code: number) => code === javaHashCode(tag);

function queueOffsets(store: MessageStore, from: number, max: number, tag?: string) {
  const r = store.getMessage('ScanTopic', 0, from, max, tag ? only(tag) : undefined);
  return { status: r.status, offsets: r.buffers.map((b) => readInt64(b, 20)), next: r.nextBeginOffset };
}

function checkScans(store: MessageStore): void {
  // Matches spread over the three chunks (33, 264, then the rest of the 800); the scan ends at entry 800.
  assert.deepEqual(queueOffsets(store, 0, 32, 'TagB'), { status: 'FOUND', offsets: TAG_B_AT, next: 800 });
  // A full batch ends the scan on the entry after its last message.
  assert.deepEqual(queueOffsets(store, 0, 2, 'TagB'), { status: 'FOUND', offsets: [40, 300], next: 301 });
  // Nothing within 800 entries: no match, and the next pull starts where the scan stopped.
  assert.deepEqual(queueOffsets(store, 0, 32, 'TagC'), {
    status: 'NO_MATCHED_MESSAGE',
    offsets: [],
    next: 800,
  });
  assert.deepEqual(queueOffsets(store, 800, 32, 'TagC'), { status: 'FOUND', offsets: [900], next: COUNT });
  assert.deepEqual(queueOffsets(store, 701, 32, 'TagB'), {
    status: 'NO_MATCHED_MESSAGE',
    offsets: [],
    next: COUNT,
  });
  const plain = queueOffsets(store, 5, 32);
  assert.equal(plain.status, 'FOUND');
  assert.deepEqual(
    plain.offsets,
    Array.from({ length: 32 }, (_, i) => 5 + i),
  );
  assert.equal(plain.next, 37);
}

test('a tag-filtered pull scans 800 queue entries whatever the read chunks, in memory and on disk', async () => {
  const root = tempDir();
  dirs.push(root);
  let store = await openStore(root, conf);
  try {
    for (let i = 0; i < COUNT; i += 100) {
      const puts = Array.from({ length: 100 }, (_, k) =>
        store.putMessage(msg('ScanTopic', 0, `m${i + k}`, { TAGS: tagOf(i + k) })),
      );
      for (const r of await Promise.all(puts)) assert.equal(r.status, 'PUT_OK');
    }
    checkScans(store);
    await store.shutdown();
    store = await openStore(root, conf);
    checkScans(store);
  } finally {
    await store.shutdown();
  }
});

test("a queue's records interleaved with other queues' are read in one pread across small gaps, exactly", async () => {
  const root = tempDir();
  dirs.push(root);
  const store = await openStore(root, { ...conf, maxMessageSize: 64 * 1024 });
  try {
    // Queue 0's records with 1-3 records of queues 1 and 2 between them, then a 20 KB gap, then more.
    const layout: [number, string][] = [];
    for (let i = 0; i < 10; i++) {
      layout.push([0, `q0-${i}-${'x'.repeat(i * 37)}`]);
      for (let k = 0; k <= i % 3; k++) layout.push([1 + (k % 2), `other-${i}-${k}-${'y'.repeat(300)}`]);
    }
    layout.push([1, 'z'.repeat(10_000)], [2, 'z'.repeat(10_000)]);
    for (let i = 10; i < 14; i++) layout.push([0, `q0-${i}`], [1, `other-late-${i}`]);
    for (const [q, body] of layout)
      assert.equal((await store.putMessage(msg('MixTopic', q, body))).status, 'PUT_OK');
    const r = store.getMessage('MixTopic', 0, 0, 32);
    assert.equal(r.status, 'FOUND');
    const want = layout.filter(([q]) => q === 0).map(([, b]) => b);
    assert.deepEqual(
      r.buffers.map((b) => decodeRecord(b).body.toString()),
      want,
    );
    assert.deepEqual(
      r.buffers.map((b) => readInt64(b, 20)),
      want.map((_, i) => i),
    );
    // The first ten share one read; past the 20 KB gap a new read starts.
    assert.ok(r.buffers.slice(0, 10).every((b) => b.buffer === r.buffers[0]!.buffer));
    assert.notEqual(r.buffers[10]!.buffer, r.buffers[0]!.buffer);
    assert.equal(
      r.bufferTotalSize,
      r.buffers.reduce((n, b) => n + b.length, 0),
    );
  } finally {
    await store.shutdown();
  }
});
