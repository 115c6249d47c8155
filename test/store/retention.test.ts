import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeRecord } from '../../src/engine/protocol/message/index.js';
import type { MessageStore } from '../../src/engine/store/index.js';
import { isDeleteHour } from '../../src/engine/store/index.js';
import { HOST, msg, openStore, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const FILE = 64 * 1024;

async function fill(store: MessageStore, n: number): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    const rs = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, k) =>
        store.putMessage(msg('RetTopic', 0, Buffer.alloc(900, i + k))),
      ),
    );
    for (const r of rs) assert.equal(r.status, 'PUT_OK');
  }
}

function files(root: string, sub: string): string[] {
  return fs.readdirSync(join(root, sub)).sort();
}

function age(root: string, sub: string, name: string, hours: number): void {
  const t = (Date.now() - hours * 3600_000) / 1000;
  fs.utimesSync(join(root, sub, name), t, t);
}

test('deleteWhen parsing', () => {
  const at = (h: number) => new Date(2024, 0, 1, h, 30).getTime();
  assert.equal(isDeleteHour('04', at(4)), true);
  assert.equal(isDeleteHour('04', at(5)), false);
  assert.equal(isDeleteHour('04;16', at(16)), true);
  assert.equal(isDeleteHour('04;16', at(15)), false);
});

test('retention deletes only expired files at the delete hour, never the file being written, then queues follow', async () => {
  const root = tempDir();
  dirs.push(root);
  let clock = new Date(2024, 0, 1, 10, 0).getTime(); // not a delete hour
  const store = await openStore(root, { fileReservedTime: 48, deleteWhen: '04' }, { now: () => clock });
  await fill(store, 400); // ~390 KB: 6+ commit-log files
  await store.commitLog.flush();
  const cl = files(root, 'commitlog');
  assert.ok(cl.length >= 6);
  // Files 0 and 1 are 72 h old, the rest fresh; the clock is real-time based for mtimes.
  clock = Date.now();
  age(root, 'commitlog', cl[0]!, 72);
  age(root, 'commitlog', cl[1]!, 72);
  const hourNow = new Date(clock).getHours();
  // Not the delete hour: nothing goes.
  store.config.deleteWhen = String((hourNow + 1) % 24).padStart(2, '0');
  await store.cleanNow(false);
  assert.equal(files(root, 'commitlog').length, cl.length);
  // At the delete hour: the two expired files go, the fresh ones stay.
  store.config.deleteWhen = String(hourNow).padStart(2, '0');
  await store.cleanNow(false);
  assert.deepEqual(files(root, 'commitlog'), cl.slice(2));
  assert.equal(store.getMinPhyOffset(), 2 * FILE);
  // Consume-queue entries pointing below the min offset are gone; reading the old offsets says so.
  const min = store.getMinOffsetInQueue('RetTopic', 0);
  assert.ok(min > 0);
  assert.equal(
    decodeRecord(store.getMessage('RetTopic', 0, min, 1).buffers[0]!).commitLogOffset >= 2 * FILE,
    true,
  );
  const g = store.getMessage('RetTopic', 0, 0, 1);
  assert.equal(g.status, 'OFFSET_TOO_SMALL');
  assert.equal(g.nextBeginOffset, min);
  // Everything old, even the last file: the last one stays.
  for (const n of files(root, 'commitlog')) age(root, 'commitlog', n, 100);
  await store.cleanNow(false);
  await store.cleanNow(false);
  const left = files(root, 'commitlog');
  assert.deepEqual(left, [cl[cl.length - 1]]);
  assert.equal((await store.putMessage(msg('RetTopic', 0, 'still writable'))).status, 'PUT_OK');
  // CQ files whose entries all point below the min offset are deleted (the last CQ file stays).
  const cqLeft = files(root, 'consumequeue/RetTopic/0');
  assert.ok(cqLeft.length < 5, `cq files: ${cqLeft.join(',')}`);
  await store.shutdown();
});

test('disk guard: writes refused above the limit with a clear status, forced cleaning frees space', async () => {
  const root = tempDir();
  dirs.push(root);
  let usage = 0.5;
  const store = await openStore(
    root,
    { diskMaxUsedSpaceRatio: 90, fileReservedTime: 1000 },
    { diskUsage: () => usage },
  );
  await fill(store, 300);
  await store.commitLog.flush();
  const before = files(root, 'commitlog');
  const end = store.getMaxPhyOffset();
  usage = 0.95;
  await store.checkDisk();
  const r = await store.putMessage(msg('RetTopic', 0, 'refused'));
  assert.equal(r.status, 'SERVICE_NOT_AVAILABLE');
  assert.match(r.remark!, /disk full/);
  const rb = await store.putMessages({
    topic: 'RetTopic',
    queueId: 0,
    sysFlag: 0,
    bornTimestamp: 1,
    bornHost: HOST,
    storeHost: HOST,
    reconsumeTimes: 0,
    items: [{ flag: 0, body: Buffer.from('x'), properties: '' }],
  });
  assert.equal(rb.status, 'SERVICE_NOT_AVAILABLE');
  assert.equal(store.getMaxPhyOffset(), end, 'nothing written');
  // Forced clean: unexpired files are deleted (fileReservedTime is huge), the current one stays.
  await store.cleanNow(false);
  const after1 = files(root, 'commitlog');
  assert.ok(after1.length < before.length);
  assert.ok(after1.includes(before[before.length - 1]!));
  usage = 0.5;
  await store.checkDisk();
  assert.equal((await store.putMessage(msg('RetTopic', 0, 'ok again'))).status, 'PUT_OK');
  await store.shutdown();
});

test('size limits: maxMessageSize, properties 32767, topic 127 bytes — rejected without writing', async () => {
  const root = tempDir();
  dirs.push(root);
  const store = await openStore(root, { maxMessageSize: 4096 });
  assert.equal((await store.putMessage(msg('T', 0, 'ok'))).status, 'PUT_OK');
  const end = store.getMaxPhyOffset();
  const big = await store.putMessage(msg('T', 0, Buffer.alloc(4097)));
  assert.equal(big.status, 'MESSAGE_ILLEGAL');
  assert.match(big.remark!, /maxMessageSize/);
  const nearly = await store.putMessage(msg('T', 0, Buffer.alloc(4096 - 80)));
  assert.equal(nearly.status, 'MESSAGE_ILLEGAL', 'whole record counts');
  const props = await store.putMessage(msg('T', 0, 'x', { BIG: 'y'.repeat(32767) }));
  assert.equal(props.status, 'PROPERTIES_SIZE_EXCEEDED');
  const topic = await store.putMessage(msg('é'.repeat(64), 0, 'x'));
  assert.equal(topic.status, 'MESSAGE_ILLEGAL', '128 UTF-8 bytes');
  const v6 = await store.putMessage({ ...msg('T', 0, 'x'), sysFlag: 0x10 });
  assert.equal(v6.status, 'MESSAGE_ILLEGAL', 'host length must match sysFlag');
  assert.equal(store.getMaxPhyOffset(), end);
  assert.equal(store.getMaxOffsetInQueue('T', 0), 1);
  assert.equal(store.getRuntimeStats().putMessageFailedTimes, 5);
  await store.shutdown();
});

test('batch put: one record per item, consecutive queue offsets, comma-joined msgIds', async () => {
  const root = tempDir();
  dirs.push(root);
  const store = await openStore(root);
  await store.putMessage(msg('B', 2, 'first'));
  const r = await store.putMessages({
    topic: 'B',
    queueId: 2,
    sysFlag: 0,
    bornTimestamp: 1,
    bornHost: HOST,
    storeHost: HOST,
    reconsumeTimes: 0,
    items: [0, 1, 2].map((i) => ({ flag: i, body: Buffer.from(`b${i}`), properties: `KEYS\u0001bk${i}` })),
  });
  assert.equal(r.status, 'PUT_OK');
  assert.equal(r.appendResult!.queueOffset, 1);
  assert.equal(r.appendResult!.msgNum, 3);
  assert.equal(r.appendResult!.msgId.split(',').length, 3);
  const g = store.getMessage('B', 2, 1, 32);
  assert.deepEqual(
    g.buffers.map((b) => decodeRecord(b).body.toString()),
    ['b0', 'b1', 'b2'],
  );
  assert.deepEqual(g.queueOffsets, [1, 2, 3]);
  const delayed = await store.putMessages({
    topic: 'B',
    queueId: 2,
    sysFlag: 0,
    bornTimestamp: 1,
    bornHost: HOST,
    storeHost: HOST,
    reconsumeTimes: 0,
    items: [{ flag: 0, body: Buffer.from('d'), properties: 'DELAY\u00013' }],
  });
  assert.equal(delayed.status, 'MESSAGE_ILLEGAL');
  assert.equal(store.queryMessage('B', 'bk1', 32, 0, Date.now() + 1000).buffers.length, 1);
  await store.shutdown();
});

test('delayed topic tags code is the delivery time; prepared messages stay out of the queue', async () => {
  const root = tempDir();
  dirs.push(root);
  const store = await openStore(root);
  const r = await store.putMessage(
    msg('SCHEDULE_TOPIC_XXXX', 2, 'later', { DELAY: '3', REAL_TOPIC: 'X', REAL_QID: '0' }),
  );
  const e = store.findConsumeQueue('SCHEDULE_TOPIC_XXXX', 2)!.getEntry(0)!;
  assert.equal(e.tagsCode, r.appendResult!.storeTimestamp + 10_000);
  const prep = await store.putMessage({ ...msg('TX', 0, 'half'), sysFlag: 0x4 });
  assert.equal(prep.status, 'PUT_OK');
  assert.equal(prep.appendResult!.queueOffset, 0);
  assert.equal(store.getMaxOffsetInQueue('TX', 0), 0);
  assert.ok(store.lookMessageByOffset(prep.appendResult!.wroteOffset));
  await store.shutdown();
});

test('time lookups, arrival events and SYNC_FLUSH puts', async () => {
  const root = tempDir();
  dirs.push(root);
  let clock = 1_700_000_000_000;
  const store = await openStore(root, { flushDiskType: 'SYNC_FLUSH' }, { now: () => clock });
  const events: string[] = [];
  store.onMessageArrive((t, q, o, tags) => events.push(`${t}:${q}:${o}:${tags}`));
  for (let i = 0; i < 10; i++) {
    clock += 1000;
    const r = await store.putMessage(msg('Time', 0, `m${i}`, { TAGS: 'TagA' }));
    assert.equal(r.status, 'PUT_OK');
    assert.ok(store.getFlushedPhyOffset() >= r.appendResult!.wroteOffset + r.appendResult!.wroteBytes);
  }
  assert.equal(events.length, 10);
  assert.equal(events[3], 'Time:0:3:2598919');
  assert.equal(store.getEarliestMessageTime('Time', 0), 1_700_000_001_000);
  assert.equal(store.getMessageStoreTimeStamp('Time', 0, 4), 1_700_000_005_000);
  assert.equal(store.getOffsetInQueueByTime('Time', 0, 1_700_000_004_500), 4);
  assert.equal(store.getOffsetInQueueByTime('Time', 0, 0), 0);
  assert.equal(store.getOffsetInQueueByTime('Time', 0, 1_800_000_000_000), 10);
  await store.shutdown();
});

test('SYNC_FLUSH put with WAIT=false answers once written; the group commit still covers it', async () => {
  const root = tempDir();
  dirs.push(root);
  const store = await openStore(root, { flushDiskType: 'SYNC_FLUSH' });
  const r = await store.putMessage(msg('NoWait', 0, 'fire and forget'), false);
  assert.equal(r.status, 'PUT_OK');
  const end = r.appendResult!.wroteOffset + r.appendResult!.wroteBytes;
  // Answered from the write itself, before the fdatasync (which completes in the thread pool later).
  assert.ok(store.getFlushedPhyOffset() < end, 'answered before its fdatasync');
  assert.ok(store.lookMessageByOffset(r.appendResult!.wroteOffset), 'readable at once');
  const t0 = Date.now();
  while (store.getFlushedPhyOffset() < end && Date.now() - t0 < 5000)
    await new Promise((res) => setTimeout(res, 5));
  assert.ok(store.getFlushedPhyOffset() >= end, 'flushed by the group commit without anyone waiting');
  const waited = await store.putMessage(msg('NoWait', 0, 'waits'));
  assert.ok(
    store.getFlushedPhyOffset() >= waited.appendResult!.wroteOffset + waited.appendResult!.wroteBytes,
  );
  await store.shutdown();
});
