import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const runJs = join(import.meta.dirname, '../../bin/run.js');

test('mqadmin with no arguments lists the admin commands, as the Java tool does', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mq-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const mqadmin = join(dir, 'mqadmin');
  symlinkSync(runJs, mqadmin);
  const out = execFileSync(process.execPath, [mqadmin], { encoding: 'utf8' });
  assert.match(out, /^The most commonly used mqadmin commands are:/);
  for (const cmd of ['clusterList', 'consumerProgress', 'updateTopic', 'queryMsgById', 'statsAll']) {
    assert.match(out, new RegExp(`^ {3}${cmd} +\\S`, 'm'), cmd);
  }
  assert.doesNotMatch(out, /^ {3}(quickstart|dev|version) /m, 'mq-only commands are not mqadmin commands');
});

test('failures are one line on stderr with a non-zero exit; case-insensitive command names', () => {
  const r = spawnSync(process.execPath, [runJs, 'CLUSTERLIST', '-n', '127.0.0.1:1'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /127\.0\.0\.1:1/);
  const bad = spawnSync(process.execPath, [runJs, 'version', '--no-such-flag'], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /no-such-flag/);
});
