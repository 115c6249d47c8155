import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MessageStore } from '../../src/engine/store/index.js';
import { msg, openStore, smallConfig, tempDir } from './helpers.js';

// One writer per store directory (Java's "Lock failed,MQ already started").

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('a second store on an open directory is refused and harms nothing; after shutdown it opens', async () => {
  const root = tempDir();
  dirs.push(root);
  const first = await openStore(root);
  const r = await first.putMessage(msg('Lock', 0, 'kept'));
  assert.equal(r.status, 'PUT_OK');
  assert.equal(fs.readFileSync(join(root, 'lock'), 'utf8').trim(), String(process.pid));

  const second = new MessageStore(smallConfig(root), { diskUsage: () => 0.1 });
  await assert.rejects(second.start(), /already open in this process/);
  // The first store is untouched and still writes.
  assert.equal((await first.putMessage(msg('Lock', 0, 'after'))).status, 'PUT_OK');
  await first.shutdown();
  assert.equal(fs.existsSync(join(root, 'lock')), false, 'lock released at shutdown');

  const again = await openStore(root);
  assert.equal(again.getMaxOffsetInQueue('Lock', 0), 2);
  await again.shutdown();
});

test("a lock held by a live process is refused naming it; a dead owner or Java's lock file is taken over", async () => {
  const root = tempDir();
  dirs.push(root);
  fs.mkdirSync(root, { recursive: true });
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  try {
    fs.writeFileSync(join(root, 'lock'), `${other.pid}\n`);
    const s = new MessageStore(smallConfig(root), { diskUsage: () => 0.1 });
    await assert.rejects(s.start(), new RegExp(`in use by process ${other.pid} \\(lock file .*lock\\)`));
    assert.equal(fs.readFileSync(join(root, 'lock'), 'utf8').trim(), String(other.pid), 'lock left alone');
  } finally {
    other.kill('SIGKILL');
    await new Promise((res) => other.once('exit', res));
  }
  // Its owner is gone (as after kill -9): stale, taken over.
  const s1 = await openStore(root);
  await s1.shutdown();
  // A store last run by Java has a `lock` file holding the text "lock".
  fs.writeFileSync(join(root, 'lock'), 'lock');
  const s2 = await openStore(root);
  assert.equal(fs.readFileSync(join(root, 'lock'), 'utf8').trim(), String(process.pid));
  await s2.shutdown();
});
