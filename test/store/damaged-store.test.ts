// Issue 13, items 4-8: a damaged store starts and loses only what is damaged. Each test writes 3,000
// messages through a real MessageStore into a temp store, stops it, writes bytes into the real files
// (commit log, consume queues, checkpoint), starts it again and counts what is readable.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeRecord } from '../../src/engine/protocol/message/index.js';
import type { MessageStore } from '../../src/engine/store/index.js';
import { crashBody, msg, openStore, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const FILE = 64 * 1024;
const TOPIC = 'Dmg';
const QUEUES = 4;
const N = 3000;
const MAGIC = -626843481;

interface Written {
  root: string;
  /** Commit-log offset and size of message i. */
  at: { offset: number; size: number; queueId: number; queueOffset: number }[];
  end: number;
}

/** 3,000 messages round-robin over 4 queues (750 each), bodies derived from their index; clean shutdown. */
async function populate(): Promise<Written> {
  const root = tempDir('mq-damaged-');
  dirs.push(root);
  const store = await openStore(root);
  const at: Written['at'] = [];
  for (let i = 0; i < N; i += 100) {
    const rs = await Promise.all(
      Array.from({ length: 100 }, (_, k) =>
        store.putMessage(
          msg(TOPIC, (i + k) % QUEUES, crashBody(`m${i + k}`, 150 + ((i + k) % 90)), {
            IDX: String(i + k),
            KEYS: `k${i + k}`,
          }),
        ),
      ),
    );
    for (const r of rs) {
      assert.equal(r.status, 'PUT_OK');
      const a = r.appendResult!;
      at.push({
        offset: a.wroteOffset,
        size: a.wroteBytes,
        queueId: at.length % QUEUES,
        queueOffset: a.queueOffset,
      });
    }
  }
  const end = store.getMaxPhyOffset();
  await store.shutdown();
  return { root, at, end };
}

/** Reopen with a log collector. */
async function reopen(root: string): Promise<{ store: MessageStore; logs: string[] }> {
  const logs: string[] = [];
  const store = await openStore(root, {}, { log: (m) => logs.push(m) });
  return { store, logs };
}

/** Indexes of messages readable through the queues with the right body, and the damaged pulls met. */
function readable(store: MessageStore): { ok: Set<number>; damaged: number } {
  const ok = new Set<number>();
  let damaged = 0;
  for (let q = 0; q < QUEUES; q++) {
    let o = store.getMinOffsetInQueue(TOPIC, q);
    const max = store.getMaxOffsetInQueue(TOPIC, q);
    for (let guard = 0; o < max && guard < 10_000; guard++) {
      const g = store.getMessage(TOPIC, q, o, 32);
      if (g.damaged) damaged++;
      for (const b of g.buffers) {
        const d = decodeRecord(b);
        const idx = Number(d.properties.IDX);
        assert.equal(d.queueId, q);
        if (d.body.equals(crashBody(`m${idx}`, 150 + (idx % 90)))) ok.add(idx);
      }
      if (g.nextBeginOffset <= o) break;
      o = g.nextBeginOffset;
    }
  }
  return { ok, damaged };
}

function markCrashed(root: string): void {
  fs.writeFileSync(join(root, 'abort'), '');
}

/** Deterministic "random" bytes. */
function garbage(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

function clPath(root: string, offset: number): string {
  return join(root, 'commitlog', String(Math.floor(offset / FILE) * FILE).padStart(20, '0'));
}

/** Write bytes at a commit-log offset, into its file. */
function writeLog(root: string, offset: number, bytes: Buffer): void {
  const fd = fs.openSync(clPath(root, offset), 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, offset % FILE);
  fs.closeSync(fd);
}

function cqDir(root: string, q: number): string {
  return join(root, 'consumequeue', TOPIC, String(q));
}

/** Write bytes at a queue's logical byte offset, into its file (2,000-byte files: 100 entries). */
function writeQueue(root: string, q: number, logical: number, bytes: Buffer): void {
  const name = String(Math.floor(logical / 2000) * 2000).padStart(20, '0');
  const fd = fs.openSync(join(cqDir(root, q), name), 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, logical % 2000);
  fs.closeSync(fd);
}

/** Every consume-queue file's bytes, by path under consumequeue/. */
function snapshotQueues(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (let q = 0; q < QUEUES; q++)
    for (const n of fs.readdirSync(cqDir(root, q)))
      out.set(`${q}/${n}`, fs.readFileSync(join(cqDir(root, q), n)));
  return out;
}

test('item 4: a commit-log tail holding a plausible header then garbage is cut, naming file and offset; nothing acknowledged is lost', async () => {
  for (const crashed of [false, true]) {
    const w = await populate();
    const head = Buffer.alloc(8);
    head.writeInt32BE(400, 0);
    head.writeInt32BE(MAGIC, 4);
    writeLog(w.root, w.end, Buffer.concat([head, garbage(392, 7)]));
    if (crashed) markCrashed(w.root);
    const { store, logs } = await reopen(w.root);
    assert.equal(store.getMaxPhyOffset(), w.end);
    assert.equal(readable(store).ok.size, N, logs.join('\n'));
    const cut = logs.find((l) => l.startsWith('commit log: cut at'));
    assert.ok(cut?.includes(`${clPath(w.root, w.end)}:${w.end % FILE}`), logs.join('\n'));
    assert.match(store.recoveryReport.summary(), /cut the commit log at/);
    // The garbage is gone from the file: the next write lands where it was and a restart is clean.
    const r = await store.putMessage(msg(TOPIC, 0, 'after'));
    assert.equal(r.appendResult!.wroteOffset, w.end);
    await store.shutdown();
  }
});

test('item 4+5: 50 random entries in the middle of a consume-queue file: start succeeds, the queue is rebuilt, 0 lost', async () => {
  for (const crashed of [false, true]) {
    const w = await populate();
    const before = snapshotQueues(w.root);
    // Queue 1, file 3 (entries 300..399): entries 325..374 become random bytes.
    writeQueue(w.root, 1, 325 * 20, garbage(50 * 20, 11));
    if (crashed) markCrashed(w.root);
    const { store, logs } = await reopen(w.root);
    if (crashed) {
      // After a crash every entry is checked at start: the queue is cut at the garbage and rebuilt.
      assert.ok(
        logs.some((l) => l.includes(`consume queue ${TOPIC}/1:`) && l.includes('00000000000000006000:500')),
        logs.join('\n'),
      );
      assert.equal(store.recoveryReport.queuesRebuilt.length, 1);
      assert.equal(store.recoveryReport.entriesRebuilt, 750 - 325);
    }
    // After a clean shutdown the start checks only the last files; the first read of the garbage repairs
    // it from the commit log.
    assert.equal(readable(store).ok.size, N, logs.join('\n'));
    if (!crashed)
      assert.ok(
        logs.some((l) => /Dmg\/1: entry 325 did not lead to its record; repaired 50 entries/.test(l)),
        logs.join('\n'),
      );
    await store.shutdown();
    assert.deepEqual(snapshotQueues(w.root), before, 'the rebuilt queue is byte for byte what was written');
  }
});

test('item 4+7: a checkpoint of random bytes falls back to recovering from the files themselves', async () => {
  const w = await populate();
  fs.writeFileSync(join(w.root, 'checkpoint'), garbage(4096, 3));
  let { store, logs } = await reopen(w.root);
  assert.equal(readable(store).ok.size, N, logs.join('\n'));
  const rep = store.recoveryReport;
  assert.match(rep.checkpointDamage ?? '', /checkpoint: physicMsgTimestamp at offset 0 is not a timestamp/);
  assert.equal(rep.walkFrom, 0, 'walked from the first commit-log file');
  assert.equal(rep.recordsChecked, N);
  assert.ok(logs.some((l) => l.startsWith('checkpoint damaged')));
  await store.shutdown();

  // After a crash with a damaged checkpoint, damage in the FIRST commit-log file is still found: the
  // walk starts at the first file, not where a garbage timestamp would put it.
  markCrashed(w.root);
  fs.writeFileSync(join(w.root, 'checkpoint'), garbage(4096, 5));
  const victim = w.at[40]!;
  writeLog(w.root, victim.offset + 100, garbage(16, 9));
  ({ store, logs } = await reopen(w.root));
  const r = readable(store);
  assert.equal(r.ok.size, N - 1);
  assert.ok(!r.ok.has(40));
  assert.deepEqual(
    store.recoveryReport.skipped.map((s) => [s.from, s.to]),
    [[victim.offset, victim.offset + victim.size]],
  );
  assert.equal(store.getMaxPhyOffset(), w.end);
  await store.shutdown();
});

test('item 5: missing, zeroed and truncated consume queues are rebuilt from the commit log (0 of 3,000 lost)', async () => {
  const w = await populate();
  const before = snapshotQueues(w.root);
  // Queue 2 deleted; queue 3 zeroed; queue 0: last file cut to 1,000 bytes and the two before it deleted.
  fs.rmSync(cqDir(w.root, 2), { recursive: true });
  for (const n of fs.readdirSync(cqDir(w.root, 3))) {
    const p = join(cqDir(w.root, 3), n);
    fs.writeFileSync(p, Buffer.alloc(fs.statSync(p).size));
  }
  const q0 = fs.readdirSync(cqDir(w.root, 0)).sort();
  fs.truncateSync(join(cqDir(w.root, 0), q0[q0.length - 1]!), 1000);
  fs.rmSync(join(cqDir(w.root, 0), q0[q0.length - 2]!));
  fs.rmSync(join(cqDir(w.root, 0), q0[q0.length - 3]!));
  const { store, logs } = await reopen(w.root);
  assert.equal(readable(store).ok.size, N, logs.join('\n'));
  for (let q = 0; q < QUEUES; q++) assert.equal(store.getMaxOffsetInQueue(TOPIC, q), 750);
  assert.equal(store.recoveryReport.queuesRebuilt.length, 3, logs.join('\n'));
  assert.match(store.recoveryReport.summary(), /rebuilt 3 consume queues \(\d+ entries\)/);
  const r = await store.putMessage(msg(TOPIC, 2, 'next'));
  assert.equal(r.appendResult!.queueOffset, 750);
  await store.shutdown();
  const after = snapshotQueues(w.root);
  // Byte for byte as written (the file of queue 2's entry 750 also holds the message put since).
  for (const [k, v] of before) {
    let n = v.length;
    while (n > 0 && v[n - 1] === 0) n--;
    assert.ok(after.get(k)?.subarray(0, n).equals(v.subarray(0, n)), `${k} rebuilt exactly`);
  }
});

test('item 5: entries that do not match their record (wrong offset, size or tags code) are rebuilt', async () => {
  const w = await populate();
  const before = snapshotQueues(w.root);
  const entry = (q: number, i: number) => {
    const name = String(Math.floor((i * 20) / 2000) * 2000).padStart(20, '0');
    return fs.readFileSync(join(cqDir(w.root, q), name)).subarray((i * 20) % 2000, ((i * 20) % 2000) + 20);
  };
  // Recent entries (in the commit-log range every start walks): offset +1, size +1, another tags code.
  const e1 = Buffer.from(entry(1, 700));
  e1.writeUInt32BE(e1.readUInt32BE(4) + 1, 4);
  writeQueue(w.root, 1, 700 * 20, e1);
  const e2 = Buffer.from(entry(2, 710));
  e2.writeInt32BE(e2.readInt32BE(8) + 1, 8);
  writeQueue(w.root, 2, 710 * 20, e2);
  const e3 = Buffer.from(entry(3, 720));
  e3.writeUInt32BE(12345, 16);
  writeQueue(w.root, 3, 720 * 20, e3);
  const { store, logs } = await reopen(w.root);
  assert.equal(readable(store).ok.size, N, logs.join('\n'));
  assert.equal(store.recoveryReport.queuesRebuilt.length, 3, logs.join('\n'));
  assert.ok(logs.some((l) => /Dmg\/3: entry 720 .* does not match the record/.test(l)));
  await store.shutdown();
  assert.deepEqual(snapshotQueues(w.root), before);
});

test('item 6: 16 bad bytes in the middle of the commit log cost that record only, logged with file and range', async () => {
  // Before: recovery cut the log at the damaged record and deleted every later file.
  const cases: { name: string; fromLast: number; at: number; bytes: Buffer; crashed: boolean }[] = [
    {
      name: 'random bytes mid-record, 3rd-to-last file',
      fromLast: 2,
      at: 100,
      bytes: garbage(16, 21),
      crashed: false,
    },
    {
      name: 'zeros over a record header, previous file',
      fromLast: 1,
      at: 0,
      bytes: Buffer.alloc(16),
      crashed: false,
    },
    {
      name: 'random bytes, last file, after a crash',
      fromLast: 0,
      at: 100,
      bytes: garbage(16, 23),
      crashed: true,
    },
  ];
  for (const c of cases) {
    const w = await populate();
    // A record of the file (the last holds only ~15): in the range a start walks (its last 3 files).
    const file = Math.floor((w.end - 1) / FILE) - c.fromLast;
    const victim = w.at.findIndex((a) => Math.floor(a.offset / FILE) === file) + (c.fromLast ? 20 : 3);
    const v = w.at[victim]!;
    writeLog(w.root, v.offset + c.at, c.bytes);
    if (c.crashed) markCrashed(w.root);
    const { store, logs } = await reopen(w.root);
    const r = readable(store);
    assert.equal(r.ok.size, N - 1, c.name);
    assert.ok(!r.ok.has(victim), c.name);
    assert.equal(store.getMaxPhyOffset(), w.end, `${c.name}: nothing after it was cut`);
    assert.deepEqual(
      store.recoveryReport.skipped.map((s) => [s.from, s.to]),
      [[v.offset, v.offset + v.size]],
      c.name,
    );
    assert.ok(
      logs.includes(
        `commit log: skipped damaged bytes [${v.offset}, ${v.offset + v.size}) in ${clPath(w.root, v.offset)} (${store.recoveryReport.skipped[0]!.reason})`,
      ),
      logs.join('\n'),
    );
    // The lost record's entry no longer leads a consumer to it, and the queue offsets after it hold.
    const after = store.getMessage(TOPIC, v.queueId, v.queueOffset, 4);
    assert.equal(decodeRecord(after.buffers[0]!).queueOffset, v.queueOffset + 1, c.name);
    const next = await store.putMessage(msg(TOPIC, v.queueId, 'next'));
    assert.equal(next.appendResult!.wroteOffset, w.end);
    assert.equal(next.appendResult!.queueOffset, 750);
    await store.shutdown();
  }
});

test('item 6: a damaged record whose queue was lost too: the rebuilt queue keeps its offsets, a blank for the record', async () => {
  const w = await populate();
  const v = w.at[2500]!;
  writeLog(w.root, v.offset + 100, garbage(16, 31));
  fs.rmSync(cqDir(w.root, v.queueId), { recursive: true });
  markCrashed(w.root);
  const { store } = await reopen(w.root);
  assert.equal(readable(store).ok.size, N - 1);
  assert.equal(store.getMaxOffsetInQueue(TOPIC, v.queueId), 750);
  const g = store.getMessage(TOPIC, v.queueId, v.queueOffset - 1, 3);
  assert.deepEqual(
    g.buffers.map((b) => decodeRecord(b).queueOffset),
    [v.queueOffset - 1, v.queueOffset + 1, v.queueOffset + 2],
  );
  assert.equal(store.recoveryReport.blanksFilled, 1);
  await store.shutdown();
});

test('item 8: the pull path never hands out a record failing its size/magic check; an error for that offset, logged once', async () => {
  const w = await populate();
  const { store, logs } = await reopen(w.root);
  // Damaged while running, in a file no start walks (bit rot): magic of one record, size of another.
  const a = w.at[100]!;
  const b = w.at[108]!;
  assert.equal(a.queueId, b.queueId);
  const bad = Buffer.alloc(4);
  bad.writeInt32BE(0x12345678);
  writeLog(w.root, a.offset + 4, bad);
  const size = Buffer.alloc(4);
  size.writeInt32BE(b.size + 8);
  writeLog(w.root, b.offset, size);

  const q = a.queueId;
  const g1 = store.getMessage(TOPIC, q, a.queueOffset - 3, 32);
  assert.equal(g1.status, 'FOUND');
  assert.deepEqual(g1.queueOffsets, [a.queueOffset - 3, a.queueOffset - 2, a.queueOffset - 1]);
  assert.equal(g1.nextBeginOffset, a.queueOffset, 'stops before the damaged record');
  for (let i = 0; i < 2; i++) {
    const g2 = store.getMessage(TOPIC, q, a.queueOffset, 32);
    assert.equal(g2.buffers.length, 0);
    assert.equal(g2.status, 'MESSAGE_WAS_REMOVING');
    assert.deepEqual(g2.damaged, {
      from: a.queueOffset,
      to: a.queueOffset + 1,
      phyOffset: a.offset,
      reason: 'magic code 0x12345678',
    });
    assert.equal(g2.nextBeginOffset, a.queueOffset + 1);
  }
  const g3 = store.getMessage(TOPIC, q, a.queueOffset + 1, 32);
  assert.deepEqual(g3.queueOffsets, [a.queueOffset + 1]);
  assert.equal(b.queueOffset, a.queueOffset + 2);
  const g4 = store.getMessage(TOPIC, q, b.queueOffset, 32);
  assert.equal(g4.damaged?.reason, `record size ${b.size + 8}, queue entry says ${b.size}`);
  const lines = logs.filter((l) => l.startsWith(`pull ${TOPIC}/${q}`));
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.ok(lines[0]!.includes(`${clPath(w.root, a.offset)}:${a.offset % FILE}`));
  // Everything else stays readable.
  assert.equal(readable(store).ok.size, N - 2);
  await store.shutdown();
});

test('a clean start of an undamaged store reports nothing to repair and rebuilds nothing', async () => {
  const w = await populate();
  const before = snapshotQueues(w.root);
  const { store, logs } = await reopen(w.root);
  assert.match(
    store.recoveryReport.summary(),
    /^store recovery \(clean shutdown\): checked \d+ commit-log records .* nothing to repair; \d+ ms$/,
  );
  assert.equal(logs.length, 1, logs.join('\n'));
  assert.equal(store.recoveryReport.queuesRebuilt.length, 0);
  await store.shutdown();
  assert.deepEqual(snapshotQueues(w.root), before);
});

test('item 6 on a slave: the damaged bytes the master kept are stepped over while the slave dispatches', async () => {
  const w = await populate();
  const lastFileStart = Math.floor((w.end - 1) / FILE) * FILE;
  const first = w.at.findIndex((a) => a.offset >= lastFileStart);
  const v = w.at[first + 3]!;
  writeLog(w.root, v.offset + 100, garbage(16, 41));
  const master = (await reopen(w.root)).store;
  const sroot = tempDir('mq-damaged-slave-');
  dirs.push(sroot);
  const logs: string[] = [];
  const slave = await openStore(sroot, { brokerRole: 'SLAVE' }, { log: (m) => logs.push(m) });
  // An empty slave starts at the head of the master's last file; 1 KiB chunks cut records anywhere.
  for (let off = lastFileStart; off < w.end; ) {
    const chunk = master.getCommitLogData(off, 1024)!;
    assert.ok(slave.appendToCommitLog(off, chunk));
    off += chunk.length;
  }
  assert.equal(slave.getMaxPhyOffset(), w.end);
  let got = 0;
  for (let q = 0; q < QUEUES; q++) {
    const min = slave.getMinOffsetInQueue(TOPIC, q);
    const max = slave.getMaxOffsetInQueue(TOPIC, q);
    assert.equal(max, 750, `slave queue ${q} reaches the master's end`);
    for (let o = min; o < max; ) {
      const g = slave.getMessage(TOPIC, q, o, 32);
      got += g.buffers.length;
      o = g.nextBeginOffset;
    }
  }
  assert.equal(got, w.at.length - first - 1, 'every record of the last file but the damaged one');
  assert.ok(
    logs.some((l) => l.startsWith(`commit log: skipped damaged bytes [${v.offset}, ${v.offset + v.size})`)),
  );
  await slave.shutdown();
  await master.shutdown();
});

test('consume-queue files all of another size: a configuration mismatch is refused, naming the file and key', async () => {
  const w = await populate();
  await assert.rejects(
    openStore(w.root, { mappedFileSizeConsumeQueue: 4000 }),
    /consumequeue\/Dmg\/\d\/00000000000000000000: size 2000 differs from the configured consume-queue file size 4000 \(mappedFileSizeConsumeQueue/,
  );
  // Nothing was rewritten: the right configuration opens the store with nothing to repair.
  const { store } = await reopen(w.root);
  assert.equal(readable(store).ok.size, N);
  assert.equal(store.recoveryReport.queuesRebuilt.length, 0);
  await store.shutdown();
});

test('a topic deleted by an admin is not rebuilt as a "missing" queue, and its re-created queue keeps only new messages', async () => {
  const w = await populate();
  let { store } = await reopen(w.root);
  assert.equal(store.deleteTopics([TOPIC]), 1);
  for (let i = 0; i < 10; i++) await store.putMessage(msg(TOPIC, 0, `new${i}`));
  await store.shutdown();
  for (const crashed of [false, true]) {
    if (crashed) markCrashed(w.root);
    let logs: string[];
    ({ store, logs } = await reopen(w.root));
    assert.deepEqual([...store.getTopicQueues().entries()], [[TOPIC, [0]]], logs.join('\n'));
    assert.equal(store.getMaxOffsetInQueue(TOPIC, 0), 10);
    const g = store.getMessage(TOPIC, 0, 0, 32);
    assert.deepEqual(
      g.buffers.map((b) => decodeRecord(b).body.toString()),
      Array.from({ length: 10 }, (_, i) => `new${i}`),
    );
    await store.shutdown();
  }
});

test('an index file with a random header is dropped and rebuilt: keys are found again', async () => {
  const w = await populate();
  const idx = join(w.root, 'index');
  for (const n of fs.readdirSync(idx)) {
    const fd = fs.openSync(join(idx, n), 'r+');
    fs.writeSync(fd, garbage(40, 51), 0, 40, 0);
    fs.closeSync(fd);
  }
  const { store } = await reopen(w.root);
  const q = store.queryMessage(TOPIC, 'k1234', 32, 0, Date.now() + 1000);
  assert.equal(q.buffers.length, 1);
  assert.equal(decodeRecord(q.buffers[0]!).properties.IDX, '1234');
  await store.shutdown();
});
