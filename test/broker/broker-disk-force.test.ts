import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { pollUntil } from '../helpers/wait.js';
import { fillTo, logLines, runtime, send, testDisk } from './disk-fill.js';
import { startCluster } from './harness.js';

// Issue 13 items 2 and 3 on a real 8 MiB tmpfs: with the default cleanFileForciblyEnable=true a forced clean
// of unexpired files is logged with the files and the message range it removed.

test('cleanFileForciblyEnable=true (default): forced deletion of unexpired files is logged with the files and message range, and writes resume', {
  timeout: 180_000,
}, async (t) => {
  const { mnt, skip } = testDisk('force');
  if (skip) return t.skip(skip);
  const c = await startCluster({
    storePathRootDir: join(mnt, 'store'),
    mappedFileSizeCommitLog: 256 * 1024,
    diskMaxUsedSpaceRatio: 60,
    diskSpaceCleanForciblyRatio: 70,
    diskSpaceWarningLevelRatio: 80,
    cleanResourceInterval: 300,
  });
  try {
    await c.createTopic('ForceT', 1);
    for (let i = 0; i < 1400; i++) {
      const r = await send(c, 'ForceT', `f-${i}-${'z'.repeat(900)}`);
      assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    }
    const commitlog = join(mnt, 'store', 'commitlog');
    const before = readdirSync(commitlog).sort();
    fillTo(mnt, 0.82);
    const line = await pollUntil(() => logLines(c, /forced clean/)[0], {
      timeoutMs: 10_000,
      everyMs: 100,
      what: 'a forced clean',
    });
    assert.match(
      line,
      /^disk: forced clean at \d+\.\d% used \(diskSpaceCleanForciblyRatio 70%\): deleted \d+ unexpired commit-log files 00000000000000000000, .*\(fileReservedTime 72 h not reached\), commit-log offsets \[0, \d+\), messages stored from 20\d\d-.* to before 20\d\d-/,
    );
    await pollUntil(async () => (await runtime(c)).storeWriteable === 'true', {
      timeoutMs: 10_000,
      everyMs: 100,
      what: 'writes accepted again after the forced clean',
    });
    assert.ok(readdirSync(commitlog).length < before.length);
    assert.equal((await send(c, 'ForceT', 'after')).code, ResponseCode.SUCCESS);
    const info = await runtime(c);
    assert.match(info.diskLastEvent!, /disk: /);
  } finally {
    await c.stop();
  }
});
