import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join, sep } from 'node:path';
import { after, test } from 'node:test';
import { decodeRecord } from '../../src/engine/protocol/message/index.js';
import type { MessageStore } from '../../src/engine/store/index.js';
import { msg, openStore, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const FILE = 64 * 1024;

async function fill(store: MessageStore, n: number, from = 0): Promise<number[]> {
  const rs = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      store.putMessage(
        msg('RollTopic', 0, Buffer.alloc(300 + ((from + i) % 700), from + i), { KEYS: `key${from + i}` }),
      ),
    ),
  );
  for (const r of rs) assert.equal(r.status, 'PUT_OK');
  return rs.map((r) => r.appendResult!.wroteOffset);
}

function readAll(store: MessageStore, topic: string, q: number): Buffer[] {
  const out: Buffer[] = [];
  for (let o = store.getMinOffsetInQueue(topic, q); o < store.getMaxOffsetInQueue(topic, q); ) {
    const g = store.getMessage(topic, q, o, 32);
    assert.equal(g.status, 'FOUND');
    out.push(...g.buffers);
    o = g.nextBeginOffset;
  }
  return out;
}

test('commit log and consume queue roll over small files with END blanks; clean restart reads all back', async () => {
  const root = tempDir();
  dirs.push(root);
  let store = await openStore(root);
  const offsets = await fill(store, 600);
  await store.shutdown();

  const clFiles = fs.readdirSync(join(root, 'commitlog')).sort();
  assert.ok(clFiles.length >= 4, `${clFiles.length} commit-log files`);
  clFiles.forEach((name, i) => {
    assert.equal(name, String(i * FILE).padStart(20, '0'));
    assert.equal(fs.statSync(join(root, 'commitlog', name)).size, FILE);
  });
  // Every full file ends with a blank marker right after its last record.
  const first = fs.readFileSync(join(root, 'commitlog', clFiles[0]!));
  let pos = 0;
  while (first.readInt32BE(pos + 4) === -626843481) pos += first.readInt32BE(pos);
  assert.equal(first.readInt32BE(pos + 4), -875286124);
  assert.equal(first.readInt32BE(pos), FILE - pos);
  assert.equal(offsets[offsets.length - 1]! >= FILE, true);
  const cqFiles = fs.readdirSync(join(root, 'consumequeue', 'RollTopic', '0')).sort();
  assert.deepEqual(cqFiles, [
    '00000000000000000000',
    '00000000000000002000',
    '00000000000000004000',
    '00000000000000006000',
    '00000000000000008000',
    '00000000000000010000',
  ]);

  store = await openStore(root);
  const all = readAll(store, 'RollTopic', 0);
  assert.equal(all.length, 600);
  all.forEach((b, i) => {
    const d = decodeRecord(b);
    assert.equal(d.queueOffset, i);
    assert.equal(d.commitLogOffset, offsets[i]);
    assert.ok(d.body.equals(Buffer.alloc(300 + (i % 700), i)));
  });
  const r = await store.putMessage(msg('RollTopic', 0, 'after'));
  assert.equal(r.appendResult!.queueOffset, 600);
  await store.shutdown();
});

/** Make the next open an abnormal recovery, as after a crash. */
function markCrashed(root: string): void {
  fs.writeFileSync(join(root, 'abort'), '');
}

function lastFile(root: string): string {
  const names = fs.readdirSync(join(root, 'commitlog')).sort();
  return join(root, 'commitlog', names[names.length - 1]!);
}

test('abnormal recovery cuts a last record whose properties end in a zero page (a write cut at a page boundary)', async () => {
  const root = tempDir();
  dirs.push(root);
  let store = await openStore(root);
  // A first record, then one whose properties text straddles the 4 KiB boundary.
  const first = await store.putMessage(msg('TornProps', 0, Buffer.alloc(3800, 1), { KEYS: 'first' }));
  const longValue = 'v'.repeat(400);
  const second = await store.putMessage(
    msg('TornProps', 0, Buffer.alloc(10, 2), { KEYS: 'second', X: longValue }),
  );
  const at = second.appendResult!.wroteOffset;
  const end = at + second.appendResult!.wroteBytes;
  assert.ok(
    at < 4096 && end > 4096 && end - 4096 < longValue.length,
    'the properties straddle the page boundary',
  );
  await store.shutdown();

  // A clean shutdown keeps it; so does a crash that wrote it whole.
  markCrashed(root);
  store = await openStore(root);
  assert.equal(store.getMaxPhyOffset(), end);
  await store.shutdown();

  // The crash cut its write at the page boundary: the page after it is zeros.
  markCrashed(root);
  const fd = fs.openSync(lastFile(root), 'r+');
  fs.writeSync(fd, Buffer.alloc(end - 4096), 0, end - 4096, 4096);
  fs.closeSync(fd);
  const logs: string[] = [];
  store = await openStore(root, {}, { log: (m) => logs.push(m) });
  assert.equal(store.getMaxPhyOffset(), at, 'the torn record is cut');
  assert.equal(store.getMaxOffsetInQueue('TornProps', 0), 1);
  assert.equal(
    store.lookMessageByOffset(first.appendResult!.wroteOffset)?.length,
    first.appendResult!.wroteBytes,
  );
  assert.ok(
    logs.some((l) => /zero page \(torn write\)/.test(l)),
    logs.join('\n'),
  );
  await store.shutdown();
});

test('abnormal recovery cuts a truncated (torn) last record and drops its queue entry', async () => {
  const root = tempDir();
  dirs.push(root);
  let store = await openStore(root);
  const offsets = await fill(store, 50);
  const end = store.getMaxPhyOffset();
  await store.shutdown();
  markCrashed(root);
  // Tear the last record: zero its second half, as a write cut by power loss would.
  const last = offsets[offsets.length - 1]!;
  const fd = fs.openSync(lastFile(root), 'r+');
  const fileStart = Math.floor(last / FILE) * FILE;
  const half = Math.floor((end - last) / 2);
  fs.writeSync(fd, Buffer.alloc(end - last - half), 0, end - last - half, last - fileStart + half);
  fs.closeSync(fd);

  store = await openStore(root);
  assert.equal(store.getMaxPhyOffset(), last);
  assert.equal(store.getMaxOffsetInQueue('RollTopic', 0), 49);
  assert.equal(readAll(store, 'RollTopic', 0).length, 49);
  assert.equal(store.lookMessageByOffset(last), null);
  const r = await store.putMessage(msg('RollTopic', 0, 'next'));
  assert.equal(r.appendResult!.wroteOffset, last);
  assert.equal(r.appendResult!.queueOffset, 49);
  assert.deepEqual(store.queryMessage('RollTopic', 'key49', 32, 0, Date.now() + 1000).buffers, []);
  await store.shutdown();
});

test('abnormal recovery cuts a garbage tail and zeroes it; records before it stay', async () => {
  const root = tempDir();
  dirs.push(root);
  let store = await openStore(root);
  await fill(store, 40);
  const end = store.getMaxPhyOffset();
  await store.shutdown();
  markCrashed(root);
  const garbage = Buffer.alloc(5000);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) & 0xff;
  const fd = fs.openSync(lastFile(root), 'r+');
  fs.writeSync(fd, garbage, 0, garbage.length, end % FILE);
  fs.closeSync(fd);

  store = await openStore(root);
  assert.equal(store.getMaxPhyOffset(), end);
  assert.equal(readAll(store, 'RollTopic', 0).length, 40);
  const tail = fs.readFileSync(lastFile(root)).subarray(end % FILE, (end % FILE) + garbage.length);
  assert.ok(tail.equals(Buffer.alloc(garbage.length)), 'garbage zeroed');
  const r = await store.putMessage(msg('RollTopic', 0, 'next'));
  assert.equal(r.appendResult!.wroteOffset, end);
  await store.shutdown();
  // A second (clean) restart sees exactly 41 records.
  store = await openStore(root);
  assert.equal(readAll(store, 'RollTopic', 0).length, 41);
  await store.shutdown();
});

test('a body CRC mismatch in the last record is cut when checkCRCOnRecover', async () => {
  const root = tempDir();
  dirs.push(root);
  let store = await openStore(root);
  const offsets = await fill(store, 10);
  await store.shutdown();
  markCrashed(root);
  const last = offsets[9]!;
  const fd = fs.openSync(lastFile(root), 'r+');
  fs.writeSync(fd, Buffer.from([0xee]), 0, 1, (last % FILE) + 100);
  fs.closeSync(fd);
  store = await openStore(root);
  assert.equal(store.getMaxOffsetInQueue('RollTopic', 0), 9);
  assert.equal(store.getMaxPhyOffset(), last);
  await store.shutdown();
});

test('consume queues and index are rebuilt from the commit log alone', async () => {
  const root = tempDir();
  dirs.push(root);
  let store = await openStore(root);
  await fill(store, 300);
  await store.shutdown();
  fs.rmSync(join(root, 'consumequeue'), { recursive: true });
  fs.rmSync(join(root, 'index'), { recursive: true });
  fs.rmSync(join(root, 'checkpoint'));
  markCrashed(root);
  store = await openStore(root);
  assert.equal(store.getMaxOffsetInQueue('RollTopic', 0), 300);
  assert.equal(readAll(store, 'RollTopic', 0).length, 300);
  const q = store.queryMessage('RollTopic', 'key123', 32, 0, Date.now() + 1000);
  assert.equal(q.buffers.length, 1);
  assert.equal(decodeRecord(q.buffers[0]!).queueOffset, 123);
  await store.shutdown();
});

test('after a crash only what the queues and the index lack is dispatched again; every message and key is found', async () => {
  const root = tempDir();
  const crashed = tempDir();
  dirs.push(root, crashed);
  // Queues, index and checkpoint are flushed only when the test says so.
  const cfg = { flushIntervalConsumeQueue: 3_600_000 };
  const store = await openStore(root, cfg);
  const offsets = await fill(store, 400);
  await store.flushLogicsAndCheckpoint();
  offsets.push(...(await fill(store, 40, 400)));
  await store.commitLog.waitWritten();
  // What a kill -9 leaves: the files as the kernel has them, the abort file included, the lock stale.
  fs.cpSync(root, crashed, { recursive: true, filter: (src) => !src.endsWith(`${sep}lock`) });
  await store.shutdown();
  assert.ok(fs.readdirSync(join(crashed, 'commitlog')).length >= 4, 'a log of several files');

  const s = await openStore(crashed, cfg);
  const rep = s.recoveryReport;
  assert.equal(rep.lastExitOK, false);
  assert.equal(rep.recordsChecked, 440);
  // The index holds every key up to record 399 (the last one flushed): dispatch resumes there, not at the
  // walk's first file, and the 40 records after it get their queue entries and keys.
  assert.equal(rep.redispatchFrom, offsets[399]);
  assert.equal(rep.redispatched, 41);
  assert.match(rep.summary(), /dispatched 41 records again from \d+ \(what queues and index lacked\)/);
  assert.equal(s.getMaxOffsetInQueue('RollTopic', 0), 440);
  const all = readAll(s, 'RollTopic', 0);
  assert.equal(all.length, 440);
  for (let i = 0; i < 440; i++) {
    const d = decodeRecord(all[i]!);
    assert.equal(d.commitLogOffset, offsets[i]);
    assert.equal(d.properties.KEYS, `key${i}`);
    assert.ok(d.body.equals(Buffer.alloc(300 + (i % 700), i)), `body of message ${i}`);
    const q = s.queryMessage('RollTopic', `key${i}`, 4, 0, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(q.phyOffsets, [offsets[i]], `key${i} in the index`);
  }
  // The queue ends where the log does: the next message follows on at both.
  const end = s.getMaxPhyOffset();
  assert.equal(end, offsets[439]! + all[439]!.length);
  const r = await s.putMessage(msg('RollTopic', 0, 'next', { KEYS: 'next' }));
  assert.equal(r.appendResult!.queueOffset, 440);
  assert.equal(r.appendResult!.wroteOffset, end);
  await s.shutdown();
});
