import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFrame, FrameDecoder } from '../../src/engine/protocol/frame-codec.js';
import { extBool, extInt, extLong, extStr } from '../../src/engine/protocol/remoting-command.js';

// Frames recorded from ali-ons 3.12.0 by test/protocol/record-ali-ons.ts (see that file to re-record).
const dir = join(import.meta.dirname, '../../../test/fixtures/protocol');
const file = (prefix: string) => {
  const f = readdirSync(dir).find((n) => n.startsWith(prefix));
  assert.ok(f, `fixture ${prefix}* missing`);
  return readFileSync(join(dir, f));
};

test('ali-ons GET_ROUTEINFO_BY_TOPIC frames decode: version 121, no serializeTypeCurrentRPC, full int32 header length', () => {
  const frame = file('ali-ons-00-code105');
  assert.equal(frame.readUInt8(4), 0, 'type byte is JSON');
  const cmd = decodeFrame(frame);
  assert.equal(cmd.code, 105);
  assert.equal(cmd.language, 'JAVA');
  assert.equal(cmd.version, 121);
  assert.equal(cmd.opaque, 1);
  assert.equal(cmd.flag, 0);
  assert.equal(cmd.serializeType, 0);
  assert.equal(extStr(cmd, 'topic'), 'TopicA');
  assert.equal(cmd.body, null);
});

test('ali-ons SEND_MESSAGE_V2 frame: raw numbers/booleans in extFields are read as strings, body intact', () => {
  const cmd = decodeFrame(file('ali-ons-04-code310'));
  assert.equal(cmd.code, 310);
  assert.equal(extStr(cmd, 'b'), 'TopicA');
  assert.equal(extStr(cmd, 'c'), 'TBW102');
  assert.equal(extInt(cmd, 'd'), 4);
  assert.equal(extInt(cmd, 'e') >= 0, true);
  assert.ok(extLong(cmd, 'g') > 1_600_000_000_000n);
  assert.equal(extBool(cmd, 'k'), false);
  assert.equal(extStr(cmd, 'i'), 'TAGS\u0001TagA\u0002KEYS\u0001K1\u0002');
  assert.equal(cmd.body?.toString(), 'hello from ali-ons');
});

test('the whole recorded ali-ons stream decodes in one pass and byte by byte', () => {
  const frames = readdirSync(dir)
    .filter((n) => n.startsWith('ali-ons-') && n.endsWith('.bin'))
    .sort()
    .map((n) => readFileSync(join(dir, n)));
  assert.ok(frames.length >= 5);
  const stream = Buffer.concat(frames);
  const all = new FrameDecoder().push(stream);
  assert.deepEqual(
    all.map((c) => c.code),
    frames.map((f) => decodeFrame(f).code),
  );
  const d = new FrameDecoder();
  let n = 0;
  for (let i = 0; i < stream.length; i++) n += d.push(stream.subarray(i, i + 1)).length;
  assert.equal(n, frames.length);
  assert.ok(all.some((c) => c.code === 35 && c.extFields?.clientID?.startsWith('127.0.0.1@')));
});
