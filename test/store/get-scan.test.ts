import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, test } from 'node:test';
import { javaHashCode, readInt64 } from '../../src/engine/protocol/message/index.js';
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
