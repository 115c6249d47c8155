// SYNC_FLUSH group commit (issue 16 goal 3): every put is answered only once an fdatasync covering it has
// completed, concurrent puts share fdatasyncs (the store counts the group sizes), and the commit-log file
// is kept zero-filled ahead of its write end (commitLogZeroAhead) without changing what is stored.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeRecord } from '../../src/engine/protocol/message/index.js';
import type { MessageStore } from '../../src/engine/store/index.js';
import { msg, openStore, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const MiB = 1 << 20;
/** 4 MiB files: large enough for the 1 MiB zero-ahead steps to show. */
const FILE = 4 * MiB;

/** `total` puts of ~1 KB with `inflight` at a time; checks at each answer that an fdatasync covered it. */
async function putConcurrently(
  store: MessageStore,
  total: number,
  inflight: number,
  synced = true,
): Promise<number[]> {
  const ends: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < total) {
        const i = next++;
        const r = await store.putMessage(msg('GroupTopic', i % 4, `m-${i}-${'x'.repeat(1000)}`));
        assert.equal(r.status, 'PUT_OK');
        const end = r.appendResult!.wroteOffset + r.appendResult!.wroteBytes;
        assert.ok(
          !synced || store.commitLog.flushedOffset >= end,
          `put ending at ${end} answered before an fdatasync covered it (flushed ${store.commitLog.flushedOffset})`,
        );
        ends.push(end);
      }
    }),
  );
  return ends;
}

function firstFile(root: string): string {
  return join(root, 'commitlog', '00000000000000000000');
}

test('SYNC_FLUSH: 32 concurrent puts are answered after their fdatasync and share fdatasyncs', async () => {
  const root = tempDir();
  dirs.push(root);
  const store = await openStore(root, { flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: FILE });
  try {
    await putConcurrently(store, 2000, 32);
    const g = store.commitLog.groupCommit;
    assert.equal(g.puts, 2000, 'every put counted in exactly one group');
    assert.equal(
      g.counts.reduce((a, b) => a + b, 0),
      g.syncs - g.idle,
    );
    assert.ok(g.syncs < 2000 / 4, `${g.syncs} fdatasyncs for 2000 puts: no group commit`);
    assert.ok(g.maxGroup > 1 && g.maxGroup <= 32, `largest group ${g.maxGroup}`);
    // Each group's time is split into gathering (first waiting put → its fdatasync) and away (previous
    // fdatasync's end → that put): measured for the groups, not left at zero.
    assert.ok(g.gatherCount > 0 && g.gatherCount <= g.syncs, `${g.gatherCount} groups timed of ${g.syncs}`);
    assert.ok(g.awayCount > 0 && g.awayCount < g.gatherCount, `${g.awayCount} away gaps`);
    assert.ok(g.gatherMs >= 0 && g.awayMs >= 0);
    assert.match(
      store.getRuntimeStats().groupCommitSizes,
      /^1:\d+ 2-3:\d+ .*fdatasyncs.*; per group \d+\.\d\d ms gathering, \d+\.\d\d ms away$/,
    );
  } finally {
    await store.shutdown();
  }
});

test('SYNC_FLUSH keeps the log file allocated ahead of its end; the stored records and recovery are unchanged', async () => {
  const root = tempDir();
  dirs.push(root);
  const store = await openStore(root, {
    flushDiskType: 'SYNC_FLUSH',
    mappedFileSizeCommitLog: FILE,
    commitLogZeroAhead: 2 * MiB,
  });
  let end = 0;
  try {
    const ends = await putConcurrently(store, 500, 32);
    end = Math.max(...ends);
    // A sparse file holds blocks only where it was written: zero-ahead allocated about 2 MiB past the end.
    const allocated = fs.statSync(firstFile(root)).blocks * 512;
    assert.ok(allocated >= end + MiB, `only ${allocated} bytes allocated for a ${end}-byte log`);
    const tail = Buffer.alloc(MiB);
    const fd = fs.openSync(firstFile(root), 'r');
    fs.readSync(fd, tail, 0, tail.length, end);
    fs.closeSync(fd);
    assert.ok(tail.equals(Buffer.alloc(MiB)), 'bytes past the end are zeros');
  } finally {
    await store.shutdown();
  }
  // Reopened after a crash (abort file left): the same 500 records, nothing after them.
  fs.writeFileSync(join(root, 'abort'), '');
  const again = await openStore(root, { flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: FILE });
  try {
    assert.equal(again.getMaxPhyOffset(), end);
    let n = 0;
    for (let q = 0; q < 4; q++) {
      for (let off = 0; ; ) {
        const g = again.getMessage('GroupTopic', q, off, 32);
        if (g.status !== 'FOUND') break;
        for (const b of g.buffers) assert.match(decodeRecord(b).body.toString(), /^m-\d+-x{1000}$/);
        n += g.buffers.length;
        off = g.nextBeginOffset;
      }
    }
    assert.equal(n, 500);
  } finally {
    await again.shutdown();
  }
});

test('commitLogZeroAhead=0, and ASYNC_FLUSH, leave the log file sparse past its end', async () => {
  for (const over of [
    { flushDiskType: 'SYNC_FLUSH' as const, commitLogZeroAhead: 0 },
    { flushDiskType: 'ASYNC_FLUSH' as const },
  ]) {
    const root = tempDir();
    dirs.push(root);
    const store = await openStore(root, { ...over, mappedFileSizeCommitLog: FILE });
    try {
      const sync = over.flushDiskType === 'SYNC_FLUSH';
      const end = Math.max(...(await putConcurrently(store, 500, 32, sync)));
      await store.commitLog.flush();
      const allocated = fs.statSync(firstFile(root)).blocks * 512;
      assert.ok(allocated < end + MiB / 2, `${over.flushDiskType}: ${allocated} bytes allocated for ${end}`);
    } finally {
      await store.shutdown();
    }
  }
});
