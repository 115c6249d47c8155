// A pulled message reads most of its fields from the record's bytes on first access (PulledMessage). Each
// field, read first on a fresh message or after the others, must equal what the general decoder
// (decodeRecord + toMessageExt) gives, for records with and without properties, compressed bodies, IPv6
// hosts and unusual property bytes; and JSON, inspect and toPlain must show the whole message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { deflateSync } from 'node:zlib';
import {
  decodeMessagesTolerant,
  decodePulledMessage,
  type MessageExt,
  PulledMessage,
  toMessageExt,
} from '../../src/engine/client/message.js';
import {
  decodeRecord,
  encodeRecord,
  type HostAddress,
  SysFlag,
} from '../../src/engine/protocol/message/index.js';

const v4 = (a: number, port: number): HostAddress => ({ ip: Buffer.from([192, 168, 7, a]), port });
const v6: HostAddress = { ip: Buffer.from('fe800000000000000000000000000abc', 'hex'), port: 10911 };

function record(
  queueOffset: number,
  props: string,
  opts: { body?: Buffer; sysFlag?: number; born?: HostAddress; store?: HostAddress; topic?: string } = {},
): Buffer {
  const born = opts.born ?? v4(2, 50001);
  const store = opts.store ?? v4(1, 10911);
  let sysFlag = opts.sysFlag ?? 0;
  if (born.ip.length === 16) sysFlag |= SysFlag.BORNHOST_V6;
  if (store.ip.length === 16) sysFlag |= SysFlag.STOREHOST_V6;
  return encodeRecord(
    {
      queueId: 5,
      flag: 3,
      queueOffset,
      physicalOffset: 2 ** 40 + queueOffset * 977,
      sysFlag,
      bornTimestamp: 1_733_000_000_001 + queueOffset,
      bornHost: born,
      storeTimestamp: 1_733_000_000_500 + queueOffset,
      storeHost: store,
      reconsumeTimes: queueOffset % 3,
      preparedTransactionOffset: 0,
      body: opts.body ?? Buffer.from(`body ${queueOffset}`),
    },
    opts.topic ?? 'LazyTopic',
    props,
  );
}

/** Records whose property bytes are unusual; the first ones are ordinary. */
function records(): Buffer[] {
  const withBadUtf8 = record(7, 'TAGS\u0001xx\u0002KEYS\u0001k1 k2');
  // Overwrite the tag's two bytes with bytes that are not UTF-8: both decoders must read U+FFFD alike.
  const at = withBadUtf8.indexOf('TAGS\u0001xx');
  withBadUtf8[at + 5] = 0xff;
  withBadUtf8[at + 6] = 0xc3;
  return [
    record(
      1,
      'TAGS\u0001TagA\u0002KEYS\u0001order-1 order-2\u0002UNIQ_KEY\u0001AC1100010000000000000000000001',
    ),
    record(2, ''), // no properties at all: msgId falls back to the offset msgId
    record(3, 'TAGS\u0001z', { body: deflateSync(Buffer.from('zipped')), sysFlag: SysFlag.COMPRESSED }),
    record(4, 'TAGS\u0001v6\u0002a\u0001b', { born: v6, store: v6 }),
    // Trailing separator (older writers), an item too short, empty name and value, a value with a \u0001.
    record(5, 'TAGS\u0001t\u0002\u0002ab\u0002\u0001novalue\u0002nokey\u0001\u0002X\u0001a\u0001b\u0002'),
    // Multi-byte text in tags, keys and a user property; a RETRY_TOPIC as a retry message carries.
    record(6, 'TAGS\u0001标签\u0002KEYS\u0001ключ\u0002RETRY_TOPIC\u0001Orig\u0002user\u0001é'),
    withBadUtf8,
    record(8, 'UNIQ_KEY\u0001U8\u0002TAGS\u0001x', { store: v4(9, 10921) }), // another store host
  ];
}

const FIELDS = Object.keys(toMessageExt(decodeRecord(record(0, 'TAGS\u0001a')), 'b')) as Array<
  keyof MessageExt
>;

test('every field of a pulled message equals the general decode, whichever is read first', () => {
  assert.equal(FIELDS.length, 18, 'every MessageExt field is compared');
  const body = Buffer.concat(records());
  let pos = 0;
  let n = 0;
  while (pos < body.length) {
    const want = toMessageExt(decodeRecord(body, pos), 'broker-a');
    // Each field first, on a fresh message: no getter may depend on another having run.
    for (const k of FIELDS) {
      const fresh = decodePulledMessage(body, pos, 'broker-a');
      assert.deepEqual(fresh[k], want[k], `record ${n}: ${k} read first`);
    }
    // Then all of them on one message, twice (the second read comes from what the first kept).
    const m = decodePulledMessage(body, pos, 'broker-a');
    assert.ok(m instanceof PulledMessage);
    for (const k of FIELDS) assert.deepEqual(m[k], want[k], `record ${n}: ${k}`);
    for (const k of FIELDS) assert.deepEqual(m[k], want[k], `record ${n}: ${k} again`);
    assert.deepEqual(m.toPlain(), want);
    assert.deepEqual(Object.keys(m.toPlain()), Object.keys(want), 'same field order');
    assert.equal(JSON.stringify(m), JSON.stringify(want));
    assert.equal(
      inspect(decodePulledMessage(body, pos, 'broker-a'), { depth: 4 }),
      inspect(want, { depth: 4 }),
    );
    pos += body.readInt32BE(pos);
    n++;
  }
  assert.equal(n, 8);
  const tolerant = decodeMessagesTolerant(body, 'broker-a');
  assert.equal(tolerant.bad.length, 0);
  assert.deepEqual(
    tolerant.messages.map((m) => [m.tags, m.msgId.length > 0, m.body.toString()]),
    [
      ['TagA', true, 'body 1'],
      [undefined, true, 'body 2'],
      ['z', true, 'zipped'],
      ['v6', true, 'body 4'],
      ['t', true, 'body 5'],
      ['标签', true, 'body 6'],
      ['\ufffd\ufffd', true, 'body 7'],
      ['x', true, 'body 8'],
    ],
  );
});

test('MIN_OFFSET / MAX_OFFSET join the properties whether they were parsed before or after', () => {
  const rec = record(1, 'TAGS\u0001TagA\u0002UNIQ_KEY\u0001U1');
  const pull = { min: '0', max: '42' };
  const later = decodePulledMessage(rec, 0, 'b');
  later.putPullOffsets(pull);
  const sooner = decodePulledMessage(rec, 0, 'b');
  assert.equal(sooner.properties.TAGS, 'TagA');
  sooner.putPullOffsets(pull);
  const want = { TAGS: 'TagA', UNIQ_KEY: 'U1', MIN_OFFSET: '0', MAX_OFFSET: '42' };
  for (const m of [later, sooner]) {
    assert.deepEqual(m.properties, want);
    assert.deepEqual(Object.keys(m.properties), Object.keys(want));
    assert.equal(m.msgId, 'U1');
    assert.equal(m.tags, 'TagA');
  }
});

test('a pulled message is writable like a plain one, and derived fields keep what the record said', () => {
  const rec = record(1, 'TAGS\u0001TagA\u0002KEYS\u0001k\u0002UNIQ_KEY\u0001U1');
  const m = decodePulledMessage(rec, 0, 'b');
  // Properties replaced before tags/keys/msgId were read: those still come from the record, as they
  // did when the decoder filled every field up front.
  m.properties = { TAGS: 'other' };
  assert.deepEqual(m.properties, { TAGS: 'other' });
  assert.equal(m.tags, 'TagA');
  assert.equal(m.keys, 'k');
  assert.equal(m.msgId, 'U1');
  const values: Partial<MessageExt> = {
    topic: 'T2',
    tags: 't2',
    keys: 'k2',
    msgId: 'M2',
    offsetMsgId: 'O2',
    bornHost: '1.2.3.4:5',
    storeHost: '6.7.8.9:10',
    bornTimestamp: 11,
    storeTimestamp: 12,
    reconsumeTimes: 13,
    sysFlag: 0,
  };
  for (const [k, v] of Object.entries(values)) (m as unknown as Record<string, unknown>)[k] = v;
  for (const [k, v] of Object.entries(values)) assert.equal(m[k as keyof MessageExt], v, k);
  // The layout comes from the stored sysFlag, not the (changed) public one.
  const v6rec = record(2, '', { store: v6 });
  const want = toMessageExt(decodeRecord(v6rec), 'b');
  const v6m = decodePulledMessage(v6rec, 0, 'b');
  v6m.sysFlag = 0;
  assert.equal(v6m.storeHost, want.storeHost);
  assert.equal(v6m.storeTimestamp, want.storeTimestamp);
  assert.equal(v6m.offsetMsgId, want.offsetMsgId);
});

test('what can fail is refused at decode, not at the first read of a lazy field', () => {
  const badTime = record(1, 'TAGS\u0001a');
  badTime.writeInt32BE(0x7fffffff, 40); // bornTimestamp beyond 2^53
  assert.throws(() => decodeRecord(badTime), RangeError);
  assert.throws(() => decodePulledMessage(badTime, 0, 'b'), /exceeds 2\^53/);
  const badZip = record(2, '', { body: Buffer.from('not zlib'), sysFlag: SysFlag.COMPRESSED });
  assert.throws(() => decodePulledMessage(badZip, 0, 'b'));
  const d = decodeMessagesTolerant(Buffer.concat([record(0, ''), badTime, badZip, record(3, '')]), 'b');
  assert.deepEqual(
    d.messages.map((m) => m.queueOffset),
    [0, 3],
  );
  assert.deepEqual(
    d.bad.map((b) => b.queueOffset),
    [1, 2],
  );
});
