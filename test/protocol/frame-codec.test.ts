import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeFrame,
  encodeFrame,
  encodeFrameParts,
  FrameDecoder,
  FrameError,
  MAX_FRAME_LENGTH,
} from '../../src/engine/protocol/frame-codec.js';
import {
  createRequest,
  createResponse,
  extBool,
  extInt,
  extLong,
  extStr,
  HeaderError,
  isOneway,
  isResponse,
  markOneway,
  type RemotingCommand,
} from '../../src/engine/protocol/remoting-command.js';
import { REMOTING_VERSION } from '../../src/engine/version.js';

const route105: RemotingCommand = {
  code: 105,
  language: 'JAVA',
  version: 409,
  opaque: 1,
  flag: 0,
  extFields: { topic: 'T' },
  body: null,
  serializeType: 0,
};

test('JSON frame is byte-exact with the Java example of protocol.md §1.2/§1.3', () => {
  const header =
    '{"code":105,"extFields":{"topic":"T"},"flag":0,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":409}';
  assert.equal(header.length, 123);
  const expected = Buffer.concat([Buffer.from('0000007f0000007b', 'hex'), Buffer.from(header)]);
  assert.deepEqual(encodeFrame(route105), expected);
  const back = decodeFrame(expected);
  assert.deepEqual({ ...back, body: back.body ?? null }, { ...route105, remark: undefined });
});

test('ROCKETMQ binary header is byte-exact (§1.4) and round-trips with remark and body', () => {
  const cmd: RemotingCommand = { ...route105, serializeType: 1 };
  const expected = Buffer.from(
    '00000025' + // length 4 + 33
      '01000021' + // type 1, header length 33
      '0069' + // code 105
      '00' + // JAVA
      '0199' + // version 409
      '00000001' + // opaque
      '00000000' + // flag
      '00000000' + // no remark
      '0000000c' + // ext length 12
      '0005' +
      Buffer.from('topic').toString('hex') +
      '00000001' +
      '54',
    'hex',
  );
  assert.deepEqual(encodeFrame(cmd), expected);
  const full: RemotingCommand = {
    ...cmd,
    code: 0,
    language: 'GO',
    opaque: -7,
    flag: 1,
    remark: 'héllo',
    extFields: { a: 'ü', b: '2' },
    body: Buffer.from('body'),
  };
  assert.deepEqual(decodeFrame(encodeFrame(full)), full);
});

test('responses echo opaque and serialize type, set flag bit 0; oneway marks bit 1', () => {
  const req = createRequest(310, {
    a: 'g',
    d: 4,
    k: false,
    big: 123456789012345678n,
    skip: undefined,
    n: null,
  });
  assert.equal(req.version, REMOTING_VERSION);
  assert.equal(req.language, 'JAVA');
  assert.deepEqual(req.extFields, { a: 'g', d: '4', k: 'false', big: '123456789012345678' });
  const req2 = createRequest(310);
  assert.equal(req2.opaque, (req.opaque + 1) | 0);
  const resp = createResponse({ ...req, serializeType: 1 }, 17, 'no topic', { x: 1 });
  assert.equal(resp.opaque, req.opaque);
  assert.equal(resp.flag, 1);
  assert.equal(resp.serializeType, 1);
  assert.ok(isResponse(resp) && !isResponse(req));
  assert.ok(!isOneway(req));
  markOneway(req);
  assert.ok(isOneway(req));
  assert.equal(req.flag, 2);
});

test('typed header readers follow Java parse rules and name the bad field', () => {
  const cmd = createRequest(11, {
    queueId: '3',
    offset: '9223372036854775807',
    flagT: 'TRUE',
    flagF: 'yes',
    bad: '1.0',
    s: 'x',
  });
  assert.equal(extInt(cmd, 'queueId'), 3);
  assert.equal(extLong(cmd, 'offset'), 9223372036854775807n);
  assert.equal(extBool(cmd, 'flagT'), true);
  assert.equal(extBool(cmd, 'flagF'), false);
  assert.equal(extStr(cmd, 's'), 'x');
  assert.equal(extInt(cmd, 'absent', false), undefined);
  assert.throws(
    () => extInt(cmd, 'bad'),
    (e: Error) => e instanceof HeaderError && /<bad>/.test(e.message),
  );
  assert.throws(() => extStr(cmd, 'topic'), /the custom field <topic> is null/);
  assert.throws(() => extInt(createRequest(1, { q: '2147483648' }), 'q'), /not an int/);
});

test('JSON header decode is as tolerant as fastjson: numbers/booleans in extFields, numeric language, unknown keys', () => {
  const header = JSON.stringify({
    code: 310,
    language: 9,
    opaque: -5,
    flag: 0,
    version: 121,
    extFields: { d: 4, k: false, g: 1700000000000, a: 'grp', n: null },
    unknownKey: { nested: true },
  });
  const hb = Buffer.from(header);
  const frame = Buffer.alloc(8 + hb.length + 3);
  frame.writeInt32BE(4 + hb.length + 3, 0);
  frame.writeInt32BE(hb.length, 4);
  hb.copy(frame, 8);
  frame.write('abc', 8 + hb.length);
  const cmd = decodeFrame(frame);
  assert.equal(cmd.language, 'GO');
  assert.equal(cmd.opaque, -5);
  assert.deepEqual(cmd.extFields, { d: '4', k: 'false', g: '1700000000000', a: 'grp' });
  assert.equal(cmd.body?.toString(), 'abc');
  // missing language means JAVA, missing version 0
  const min = Buffer.from('{"code":1}');
  const f2 = Buffer.concat([Buffer.from([0, 0, 0, 4 + min.length, 0, 0, 0, min.length]), min]);
  const c2 = decodeFrame(f2);
  assert.equal(c2.language, 'JAVA');
  assert.equal(c2.version, 0);
  assert.equal(c2.body, null);
});

test('fastjson-style escaping in the header: control characters as uppercase \\u00XX', () => {
  const cmd = { ...route105, extFields: { i: 'TAGS\u0001TagA\u0002\u001a"q"\\' } };
  const f = encodeFrame(cmd);
  const text = f.subarray(8).toString();
  assert.ok(text.includes('"i":"TAGS\\u0001TagA\\u0002\\u001A\\"q\\"\\\\"'), text);
  assert.deepEqual(decodeFrame(f).extFields, cmd.extFields);
});

test('FrameDecoder reassembles frames split at every byte and several frames in one chunk', () => {
  const a = encodeFrame({ ...route105, body: Buffer.alloc(1000, 7) });
  const b = encodeFrame({ ...route105, opaque: 2, serializeType: 1, remark: 'r' });
  const stream = Buffer.concat([a, b, a]);
  for (const step of [1, 3, 7, 100, stream.length]) {
    const d = new FrameDecoder();
    const got: RemotingCommand[] = [];
    for (let i = 0; i < stream.length; i += step) got.push(...d.push(stream.subarray(i, i + step)));
    assert.equal(got.length, 3, `step ${step}`);
    assert.equal(got[0].body?.length, 1000);
    assert.equal(got[1].remark, 'r');
    assert.equal(got[1].opaque, 2);
    assert.equal(d.buffered, 0);
  }
});

test('encodeFrameParts yields the same bytes without copying the body', () => {
  const body = Buffer.alloc(70000, 1);
  const cmd = { ...route105, body };
  const parts = encodeFrameParts(cmd);
  assert.equal(parts.length, 2);
  assert.equal(parts[1], body);
  assert.deepEqual(Buffer.concat(parts), encodeFrame(cmd));
});

function rawFrame(length: number, typeAndHeaderLen: number, rest: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(length, 0);
  b.writeUInt32BE(typeAndHeaderLen >>> 0, 4);
  return Buffer.concat([b, rest]);
}

test('FrameDecoder rejects bad frames with FrameError and stays failed', () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    ['over 16 MiB', rawFrame(MAX_FRAME_LENGTH, 10), /exceeds the limit/],
    ['negative length', rawFrame(-1, 0), /invalid frame length/],
    ['length below 4', rawFrame(2, 0), /invalid frame length/],
    ['header longer than frame', rawFrame(10, 100, Buffer.alloc(6)), /header length 100 exceeds/],
    ['unknown serialize type', rawFrame(6, (2 << 24) | 2, Buffer.from('{}')), /unknown serialize type 2/],
    ['header not JSON', rawFrame(7, 3, Buffer.from('{x}')), /not JSON/],
    ['header JSON but not an object', rawFrame(7, 3, Buffer.from('[1]')), /not a JSON object/],
    ['truncated ROCKETMQ header', rawFrame(9, (1 << 24) | 5, Buffer.alloc(5)), /truncated/],
    ['non-integer code', rawFrame(4 + 10, 10, Buffer.from('{"code":1.5')), /not JSON|not an integer/],
  ];
  for (const [name, bytes, re] of cases) {
    const d = new FrameDecoder();
    assert.throws(
      () => d.push(bytes),
      (e: Error) => e instanceof FrameError && re.test(e.message),
      name,
    );
    assert.throws(() => d.push(encodeFrame(route105)), FrameError, `${name}: decoder stays failed`);
  }
  // The largest legal frame length is accepted (we only check the prefix here).
  assert.deepEqual(new FrameDecoder().push(rawFrame(MAX_FRAME_LENGTH - 4, 2)), []);
});
