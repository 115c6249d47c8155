import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { textLogStream } from '../../src/engine/common/log-text-stream.js';

test('the text log stream formats JSON lines split anywhere (mid-line, mid-character) and passes others', async () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (d) => chunks.push(String(d)));
  const ended = new Promise((r) => out.on('end', r));
  const s = textLogStream(out);
  const time = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
  const line = Buffer.from(
    `${JSON.stringify({ level: 30, time, name: 'broker', server: 'b@1', msg: 'héllo', k: 'v w' })}\nnot json\n`,
  );
  const cut = line.indexOf(Buffer.from('é')) + 1; // inside the two bytes of é
  s.write(line.subarray(0, cut));
  s.write(line.subarray(cut, cut + 7));
  s.write(line.subarray(cut + 7));
  s.end(JSON.stringify({ level: 50, time, name: 'store', msg: 'last, no newline' }));
  await ended;
  assert.equal(
    chunks.join(''),
    '2026-01-02 03:04:05,006 INFO broker [b@1] - héllo k="v w"\nnot json\n' +
      '2026-01-02 03:04:05,006 ERROR store - last, no newline\n',
  );
});
