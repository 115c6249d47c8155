import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { runCli } from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';
import { fillTo, logLines, readAll, removeFiller, runtime, send, testDisk } from './disk-fill.js';
import { startCluster } from './harness.js';

// Issue 13 items 2 and 3 on a real 8 MiB tmpfs: with cleanFileForciblyEnable=false the disk limits refuse
// sends with a reason naming the disk, nothing fileReservedTime keeps is deleted, every transition is one
// log line and shows in brokerStatus.

test('cleanFileForciblyEnable=false: above the limits sends are refused naming the disk and its usage, no unexpired file is deleted, writes resume when space is freed', {
  timeout: 180_000,
}, async (t) => {
  const { mnt, skip } = testDisk('noforce');
  if (skip) return t.skip(skip);
  const c = await startCluster({
    storePathRootDir: join(mnt, 'store'),
    mappedFileSizeCommitLog: 256 * 1024,
    cleanFileForciblyEnable: false,
    diskMaxUsedSpaceRatio: 60,
    diskSpaceCleanForciblyRatio: 70,
    diskSpaceWarningLevelRatio: 80,
    cleanResourceInterval: 300,
  });
  try {
    await c.createTopic('KeepT', 1);
    const acked: string[] = [];
    for (let i = 0; i < 1400; i++) {
      const body = `k-${i}-${'y'.repeat(900)}`;
      const r = await send(c, 'KeepT', body);
      assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
      acked.push(body);
    }
    const commitlog = join(mnt, 'store', 'commitlog');
    const files = readdirSync(commitlog).sort();
    assert.ok(files.length >= 5, `${files.length} commit-log files`);

    // Above diskMaxUsedSpaceRatio: cleaning is due, writes go on.
    fillTo(mnt, 0.65);
    await pollUntil(async () => (await runtime(c)).diskStatus === 'ABOVE_MAX_USED', {
      timeoutMs: 10_000,
      everyMs: 100,
      what: 'the disk check to see usage above diskMaxUsedSpaceRatio',
    });
    assert.equal((await send(c, 'KeepT', 'still ok')).code, ResponseCode.SUCCESS);
    acked.push('still ok');
    fillTo(mnt, 0.86);
    const info = await pollUntil(
      async () => {
        const i = await runtime(c);
        return i.diskStatus === 'FULL' && i;
      },
      { timeoutMs: 10_000, everyMs: 100, what: 'the disk check to refuse writes' },
    );
    assert.equal(info.storeWriteable, 'false');
    const r = await send(c, 'KeepT', 'refused');
    assert.equal(r.code, ResponseCode.SERVICE_NOT_AVAILABLE);
    assert.match(
      r.remark,
      /^disk full: .*commitlog \(tmpfs mounted on .*\) is 8\d\.\d% used, above the write limit 80\.0%/,
    );
    // Several cleaning passes later, every file is still there.
    await new Promise((res) => setTimeout(res, 2000));
    assert.deepEqual(readdirSync(commitlog).sort(), files, 'no unexpired commit-log file deleted');
    assert.equal(
      logLines(c, /cleanFileForciblyEnable=false: \d+ unexpired commit-log files are kept/).length,
      1,
    );
    const st = await runCli(['brokerStatus', '-b', c.brokerAddr, '-n', c.namesrv], { timeoutMs: 20_000 });
    assert.match(st.stdout, /storeNotWriteableReason\s*: disk full: .* is 8\d\.\d% used/);
    assert.match(st.stdout, /diskLastEvent\s*: \S+ disk: .*cleanFileForciblyEnable=false/);

    removeFiller(mnt);
    await pollUntil(async () => (await runtime(c)).storeWriteable === 'true', {
      timeoutMs: 10_000,
      everyMs: 100,
      what: 'writes accepted again',
    });
    assert.equal((await send(c, 'KeepT', 'after')).code, ResponseCode.SUCCESS);
    acked.push('after');
    assert.deepEqual(await readAll(c, 'KeepT'), acked, 'nothing acknowledged lost');
    // One line per transition: above diskMaxUsedSpaceRatio, refused, blocked clean, accepted again.
    assert.equal(logLines(c, /above diskMaxUsedSpaceRatio 60%/).length, 1);
    assert.equal(logLines(c, /above the write limit 80\.0%: writes refused \(DISK_FULL\)/).length, 1);
    assert.equal(logLines(c, /used: writes accepted again$/).length, 1);
    assert.equal(logLines(c, /forced clean/).length, 0);
  } finally {
    await c.stop();
  }
});
