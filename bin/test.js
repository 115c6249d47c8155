#!/usr/bin/env node
// `npm test`'s runner: node's test runner over dist/test (or the files given), with HOME and TMPDIR pointed at
// a fresh directory, which must be empty again when the run ends. A test that leaves a store, a log, a pid
// file or a temp dir behind (in what it takes for ~ or the system temp dir) fails the run, naming the paths.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = process.argv.slice(2);
if (files.length === 0) {
  for (const f of readdirSync(join(root, 'dist/test'), { recursive: true }))
    if (String(f).endsWith('.test.js')) files.push(join('dist/test', String(f)));
  files.sort();
}

const box = mkdtempSync(join(tmpdir(), 'mq-test-run-'));
const home = join(box, 'home');
const tmp = join(box, 'tmp');
mkdirSync(home);
mkdirSync(tmp);
const env = { ...process.env, HOME: home, TMPDIR: tmp };
// The test processes set their own log/pid dirs (test/helpers/sandbox.ts); none comes from the caller's shell.
// NODE_TEST_CONTEXT (set when run from a test) would make this run report to a parent runner instead.
for (const k of [
  'MQ_LOG_DIR',
  'MQ_PID_DIR',
  'ROCKETMQ_LOG_DIR',
  'MQ_LOG_FORMAT',
  'NAMESRV_ADDR',
  'NODE_TEST_CONTEXT',
])
  delete env[k];

const run = spawnSync(
  process.execPath,
  [
    '--import',
    './dist/test/helpers/sandbox.js',
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    ...files,
  ],
  { cwd: root, env, stdio: 'inherit' },
);

// What is left, two levels deep (e.g. ~/logs/rocketmqlogs, $TMPDIR/mq-client-test-x1/store).
const below = (dir, name) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.split('/').length <= 2)
    .map((f) => `${name}/${f}`);
const left = [...below(home, '~'), ...below(tmp, '$TMPDIR')];
rmSync(box, { recursive: true, force: true });
if (left.length > 0) {
  process.stderr.write(
    `tests left files in HOME or TMPDIR after the run:\n  ${left.slice(0, 30).join('\n  ')}\n`,
  );
  process.exitCode = 1;
}
if (run.status !== 0) process.exitCode = run.status ?? 1;
