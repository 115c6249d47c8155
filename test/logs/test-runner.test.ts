import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/servers.js';

// `npm test` runs the suite through bin/test.js with HOME and TMPDIR in a fresh directory (issue 12, item
// 2): a run that leaves anything there fails, naming it; servers a test starts log, keep pid files and
// HOME in the test process's own temp dir, removed when it exits.

function runSuite(file: string) {
  return spawnSync(process.execPath, [join(REPO, 'bin/test.js'), join(REPO, 'test/fixtures/runner', file)], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('a test that starts and stops a real name server with default paths leaves nothing behind', {
  timeout: 90_000,
}, () => {
  const r = runSuite('clean.mjs');
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /# pass 1/);
  assert.doesNotMatch(r.stderr, /left files/);
});

test('a test that leaves a temp dir fails the run and the dir is named', { timeout: 90_000 }, () => {
  const r = runSuite('leaves-files.mjs');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /# pass 1/);
  assert.match(
    r.stderr,
    /tests left files in HOME or TMPDIR after the run:\n {2}\$TMPDIR\/mq-leftover-\w+\n/,
  );
});
