import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { stopProc } from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';
import {
  fillUp,
  logLines,
  readAll,
  removeFiller,
  runtime,
  send,
  tailAfterRecords,
  testDisk,
} from './disk-fill.js';
import { startCluster } from './harness.js';

// Issue 13 item 1 on a real 8 MiB tmpfs: a commit-log write that hits ENOSPC fails only the unwritten sends,
// leaves no partial record, and the broker resumes by itself once space is freed.

test('ENOSPC: sends are refused with the reason, resume on their own once space is freed (periodic check and next send); nothing acknowledged is lost, no partial record stays', {
  timeout: 180_000,
}, async (t) => {
  const { mnt, skip } = testDisk('enospc');
  if (skip) return t.skip(skip);
  const c = await startCluster({
    storePathRootDir: join(mnt, 'store'),
    mappedFileSizeCommitLog: 1 << 20,
    // No usage limit gets in the way: the disk really runs out.
    diskMaxUsedSpaceRatio: 95,
    diskSpaceWarningLevelRatio: 100,
    diskSpaceCleanForciblyRatio: 100,
    cleanResourceInterval: 1000,
  });
  try {
    await c.createTopic('DiskT', 1);
    const acked: string[] = [];
    let n = 0;
    const sendOne = async () => {
      const body = `m-${n++}-${'x'.repeat(300)}`;
      const r = await send(c, 'DiskT', body);
      if (r.code === ResponseCode.SUCCESS) acked.push(body);
      return r;
    };
    for (let i = 0; i < 200; i++) assert.equal((await sendOne()).code, ResponseCode.SUCCESS);

    const resumeMs: number[] = [];
    for (const how of ['periodic check', 'next send'] as const) {
      fillUp(mnt);
      const refused: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await sendOne();
        if (r.code !== ResponseCode.SUCCESS) {
          assert.equal(r.code, ResponseCode.SERVICE_NOT_AVAILABLE, r.remark);
          refused.push(r.remark);
        }
      }
      assert.ok(refused.length >= 30, `refused ${refused.length} of 40`);
      assert.match(
        refused.at(-1)!,
        /^disk full: no space left on .*tmpfs mounted on .*ENOSPC.*writes resume once/,
      );
      const info = await runtime(c);
      assert.equal(info.storeWriteable, 'false');
      assert.equal(info.diskStatus, 'NO_SPACE');
      assert.match(info.storeNotWriteableReason!, /no space left/);
      // Nothing half-written: past the last whole record the commit log is zeros.
      const tail = tailAfterRecords(join(mnt, 'store', 'commitlog', '00000000000000000000'));
      assert.ok(
        tail.every((x) => x === 0),
        'no partial record after the last acknowledged one',
      );

      removeFiller(mnt);
      const t0 = Date.now();
      if (how === 'periodic check') {
        // No send: only the broker's own disk check can notice the space.
        await pollUntil(async () => (await runtime(c)).storeWriteable === 'true', {
          timeoutMs: 10_000,
          everyMs: 100,
          what: 'the periodic disk check to accept writes again',
        });
        resumeMs.push(Date.now() - t0);
        assert.equal((await sendOne()).code, ResponseCode.SUCCESS);
      } else {
        const r = await sendOne();
        resumeMs.push(Date.now() - t0);
        assert.equal(r.code, ResponseCode.SUCCESS, `first send after freeing: ${r.remark}`);
      }
      for (let i = 0; i < 20; i++) assert.equal((await sendOne()).code, ResponseCode.SUCCESS);
    }
    t.diagnostic(`resumed after ${resumeMs.join(' ms / ')} ms (periodic / next send); acked ${acked.length}`);
    assert.equal((await runtime(c)).diskStatus, 'OK');
    assert.equal(logLines(c, /^disk: no space left on /).length, 2);
    assert.equal(logLines(c, /^disk: .* free again on .*writes accepted again$/).length, 2);

    const read = await readAll(c, 'DiskT');
    assert.deepEqual(read, acked, 'every acknowledged message, in order, and nothing else');
    // And after a restart (recovery reads the log from disk).
    await stopProc(c.broker, 15_000);
    await c.restartBroker();
    assert.deepEqual(await readAll(c, 'DiskT'), acked);
  } finally {
    await c.stop();
  }
});
