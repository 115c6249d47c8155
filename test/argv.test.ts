import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeArgv } from '../src/cli/argv.js';

const ids = ['consumerProgress', 'namesrv:start', 'producer:send', 'clusterList'];

test('command lookup ignores case and dashes, like mqadmin', () => {
  assert.deepEqual(normalizeArgv(['consumerprogress', '-g', 'G'], ids), ['consumerProgress', '-g', 'G']);
  assert.deepEqual(normalizeArgv(['Consumer-Progress'], ids), ['consumerProgress']);
  assert.deepEqual(normalizeArgv(['NAMESRV', 'Start', '--port', '1'], ids), [
    'namesrv',
    'start',
    '--port',
    '1',
  ]);
});

test('multi-letter short flags become long aliases; values and single letters stay', () => {
  assert.deepEqual(normalizeArgv(['clusterList', '-bn', 'b', '-n', 'x', '-1'], ids), [
    'clusterList',
    '--bn',
    'b',
    '-n',
    'x',
    '-1',
  ]);
});

test('unknown commands pass through for oclif to report', () => {
  assert.deepEqual(normalizeArgv(['nope', 'x'], ids), ['nope', 'x']);
});
