import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeRecord } from '../../src/engine/protocol/message/index.js';
import { MessageStore } from '../../src/engine/store/index.js';
import { msg, smallConfig, tempDir } from './helpers.js';

// ENOSPC in the middle of a round of puts that crosses commit-log file ends (an END marker, new files):
// only the unwritten puts fail, their queue offsets are reused, nothing half-written survives a restart.

const root = tempDir('mq-store-enospc-');
const mnt = join(root, 'mnt');
fs.mkdirSync(mnt);
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]).status === 0;
after(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
  fs.rmSync(root, { recursive: true, force: true });
});

function fillUp(): void {
  const fd = fs.openSync(join(mnt, 'filler'), 'w');
  for (const size of [65536, 4096, 512, 1]) {
    const b = Buffer.alloc(size, 1);
    try {
      for (;;) fs.writeSync(fd, b);
    } catch (e) {
      assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
    }
  }
  fs.closeSync(fd);
}

test('ENOSPC across file rolls: failed puts leave nothing behind, queue offsets stay dense, writes resume', {
  skip: mounted ? false : 'cannot mount a tmpfs (needs root)',
}, async () => {
  const cfg = smallConfig(join(mnt, 'store'), {
    mappedFileSizeCommitLog: 8192,
    maxMessageSize: 4096,
    diskMaxUsedSpaceRatio: 95,
    diskSpaceWarningLevelRatio: 100,
    diskSpaceCleanForciblyRatio: 100,
    fileReservedTime: 1000,
    // The pass that follows ENOSPC would delete unexpired files otherwise (the default, as in RocketMQ).
    cleanFileForciblyEnable: false,
  });
  const logs: string[] = [];
  let store = new MessageStore(cfg, { log: (m) => logs.push(m) });
  await store.start();
  const body = (i: number) => Buffer.from(`body-${i}-`.padEnd(2500 + ((i * 37) % 600), 'x'));
  const acked: string[] = [];
  let failed = 0;
  let i = 0;
  for (let round = 0; round < 5; round++) {
    for (let k = 0; k < 10; k++, i++) {
      const r = await store.putMessage(msg('T', 0, body(i)));
      assert.equal(r.status, 'PUT_OK', r.remark);
      assert.equal(r.appendResult!.queueOffset, acked.length, 'queue offsets stay dense');
      acked.push(`body-${i}-`);
    }
    fillUp();
    // Eight puts in one event-loop round: one write of ~22 KB across several 8 KB files.
    const rs = await Promise.all(
      Array.from({ length: 8 }, (_, k) => store.putMessage(msg('T', 0, body(i + k)))),
    );
    rs.forEach((r, k) => {
      if (r.status === 'PUT_OK') acked.push(`body-${i + k}-`);
      else {
        assert.equal(r.status, 'SERVICE_NOT_AVAILABLE');
        failed++;
      }
    });
    i += 8;
    assert.equal(store.getRuntimeStats().diskStatus, 'NO_SPACE');
    assert.equal(store.getMaxOffsetInQueue('T', 0), acked.length);
    fs.rmSync(join(mnt, 'filler'));
  }
  assert.ok(failed >= 5 * 6, `${failed} failed`);
  assert.equal(logs.filter((l) => l.startsWith('disk: no space left on ')).length, 5);
  await store.shutdown();
  // A restart recovers exactly the acknowledged messages.
  store = new MessageStore(cfg, { log: (m) => logs.push(m) });
  await store.start();
  const got: string[] = [];
  for (let off = 0; ; ) {
    const g = store.getMessage('T', 0, off, 32);
    if (g.buffers.length === 0) break;
    for (const b of g.buffers) got.push(decodeRecord(b).body.toString().replace(/x+$/, ''));
    off = g.nextBeginOffset;
  }
  assert.deepEqual(got, acked);
  assert.equal(
    logs.filter((l) => l.startsWith('commit log: cut at')).length,
    0,
    'nothing to cut at recovery',
  );
  await store.shutdown();
});

test('ENOSPC on a slave append: the chunk is undone, the store says NO_SPACE, and the same chunk appends once space is back', {
  skip: mounted ? false : 'cannot mount a tmpfs (needs root)',
}, async () => {
  const masterRoot = join(root, 'master');
  const master = new MessageStore(smallConfig(masterRoot, { mappedFileSizeCommitLog: 1 << 20 }), {
    diskUsage: () => 0.1,
  });
  await master.start();
  for (let i = 0; i < 40; i++) {
    const r = await master.putMessage(msg('HA', 0, Buffer.alloc(2000, i)));
    assert.equal(r.status, 'PUT_OK');
  }
  const slaveRoot = join(mnt, 'slave');
  const slave = new MessageStore(
    smallConfig(slaveRoot, {
      mappedFileSizeCommitLog: 1 << 20,
      brokerRole: 'SLAVE',
      cleanFileForciblyEnable: false,
    }),
  );
  await slave.start();
  const first = master.getCommitLogData(0, 40_000)!;
  assert.equal(slave.appendToCommitLog(0, first), true);
  fillUp();
  const next = master.getCommitLogData(first.length, 64 * 1024)!;
  assert.equal(slave.appendToCommitLog(first.length, next), false, 'refused: no space');
  const rs = slave.getRuntimeStats();
  assert.equal(rs.diskStatus, 'NO_SPACE');
  assert.equal(slave.getMaxPhyOffset(), first.length, 'nothing of the refused chunk counts');
  const file = fs.readFileSync(join(slaveRoot, 'commitlog', '00000000000000000000'));
  assert.ok(
    file.subarray(first.length).every((b) => b === 0),
    'no partial bytes after the last whole chunk',
  );
  fs.rmSync(join(mnt, 'filler'));
  assert.equal(slave.appendToCommitLog(first.length, next), true, 'the master resends it: accepted');
  await slave.checkDisk();
  assert.equal(slave.getRuntimeStats().diskStatus, 'OK');
  assert.equal(slave.getMaxOffsetInQueue('HA', 0), master.getMaxOffsetInQueue('HA', 0));
  await slave.shutdown();
  await master.shutdown();
  assert.equal(
    fs.existsSync(join(slaveRoot, 'abort')),
    false,
    'a clean shutdown: the store was never broken',
  );
});
