// The index keeps changed slot values in memory up to maxIndexDirtySlots, then writes them into the file's
// slot table (one write each when few, else read-modify-write of 1 MB slices). Every key must be found
// through those written slots, across several slices and along chains that pass through them, before
// and after a restart.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { HOST, msg, openStore, tempDir } from './helpers.js';

const TOPIC = 'SlotTopic';

async function putAll(root: string, slots: number, dirty: number, n: number): Promise<Map<string, number[]>> {
  const store = await openStore(root, {
    maxHashSlotNum: slots,
    maxIndexNum: n * 3,
    maxIndexDirtySlots: dirty,
    mappedFileSizeCommitLog: 1 << 20,
  });
  const want = new Map<string, number[]>();
  try {
    for (let i = 0; i < n; i++) {
      // Every key twice (a chain of two through its slot) and a shared key on every 7th message.
      const key = `k${i % (n / 2)}`;
      const keys = i % 7 === 0 ? `${key} shared` : key;
      const r = await store.putMessage({
        ...msg(TOPIC, i % 4, `body-${i}`, { KEYS: keys }),
        storeHost: HOST,
      });
      assert.equal(r.status, 'PUT_OK');
      const at = r.appendResult!.wroteOffset;
      for (const k of keys.split(' ')) want.set(k, [at, ...(want.get(k) ?? [])]);
    }
    await store.writeQueuesNow();
    check(store, want);
  } finally {
    await store.shutdown();
  }
  return want;
}

function check(store: Awaited<ReturnType<typeof openStore>>, want: Map<string, number[]>): void {
  for (const [k, offsets] of want) {
    const q = store.queryMessage(TOPIC, k, 1000, 0, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(
      [...q.phyOffsets].sort((a, b) => b - a),
      offsets.slice(0, 1000),
      `key ${k}`,
    );
  }
}

for (const [name, slots, dirty] of [
  ['many dirty slots over three 1 MB slices, the last one partial', 600_000, 600],
  ['few dirty slots at a time, one write each', 600_000, 40],
  ['a small table where most keys share a slot with others', 97, 50],
] as const) {
  test(`index slots written from memory: ${name}`, async () => {
    const root = tempDir();
    try {
      const want = await putAll(root, slots, dirty, 4000);
      const store = await openStore(root, {
        maxHashSlotNum: slots,
        maxIndexNum: 12_000,
        maxIndexDirtySlots: dirty,
        mappedFileSizeCommitLog: 1 << 20,
      });
      try {
        check(store, want);
      } finally {
        await store.shutdown();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}
