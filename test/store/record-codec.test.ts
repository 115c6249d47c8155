import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bodyCrc,
  createOffsetMsgId,
  decodeBatchBody,
  decodeOffsetMsgId,
  decodeRecord,
  encodeBatchBody,
  encodeProperties,
  encodeRecord,
  indexKeyHash,
  javaHashCode,
  parseProperties,
  recordPropertiesString,
  topicKeyHash,
} from '../../src/engine/protocol/message/index.js';

test('Java String.hashCode table (protocol §10.3)', () => {
  assert.equal(javaHashCode('TagA'), 2598919);
  assert.equal(javaHashCode('*'), 42);
  assert.equal(javaHashCode('TopicTest#KEY1'), -1656969516);
  assert.equal(javaHashCode('polygenelubricants'), -2147483648);
  assert.equal(indexKeyHash('polygenelubricants'), 0);
  assert.equal(javaHashCode('中文'), 646394);
  assert.equal(indexKeyHash('TopicTest#KEY1'), 1656969516);
  // The dispatch path hashes topic and key without joining them: same answers as the joined string.
  assert.equal(topicKeyHash('TopicTest', 'KEY1'), 1656969516);
  for (const [t, k] of [
    ['t', 'polygenelubricants'],
    ['主题', '键'],
    ['', ''],
    ['%RETRY%g', 'AC1100010000'],
  ]) {
    assert.equal(topicKeyHash(t!, k!), indexKeyHash(`${t}#${k}`), `${t}#${k}`);
  }
});

test('body CRC is zlib CRC32 & 0x7FFFFFFF', () => {
  assert.equal(bodyCrc(Buffer.from('test')), 1484750348);
});

test('offset msgId example from §5 and its decoding', () => {
  const host = { ip: Buffer.from([127, 0, 0, 1]), port: 10911 };
  assert.equal(createOffsetMsgId(host, 123456789), '7F00000100002A9F00000000075BCD15');
  const d = decodeOffsetMsgId('7f00000100002a9f00000000075bcd15');
  assert.equal(d.address, '127.0.0.1:10911');
  assert.equal(d.offset, 123456789);
  // Large offsets (beyond 32 bits) keep every digit.
  assert.equal(createOffsetMsgId(host, 2 ** 40 + 5), '7F00000100002A9F0000010000000005');
  assert.throws(() => decodeOffsetMsgId('XYZ'));
});

test('properties: 4.9.1+ encoding, tolerant parsing', () => {
  assert.equal(encodeProperties({ TAGS: 'A', KEYS: 'k1 k2', EMPTY: '' }), 'TAGS\u0001A\u0002KEYS\u0001k1 k2');
  assert.deepEqual(parseProperties('TAGS\u0001A\u0002KEYS\u0001k1 k2\u0002'), { TAGS: 'A', KEYS: 'k1 k2' });
  assert.deepEqual(parseProperties('a\u0001\u0002TAGS\u0001x\u0001y'), { TAGS: 'x\u0001y' });
});

/**
 * A record assembled field by field from §4.1 (independent of the encoder):
 * topic "T1", queue 3, flag 7, queue offset 5, physical offset 0x1_0000_0010, sysFlag 0,
 * born 1700000000000 @ 10.0.0.2:50000, stored 1700000000123 @ 127.0.0.1:10911, reconsume 1,
 * prepared offset 0, body "hello", properties "TAGS\1A".
 */
const FIXTURE_HEX = [
  '00000068', // TOTALSIZE 104 = 84 + (4 + 5) + (1 + 2) + (2 + 6)
  'daa320a7', // MAGICCODE
  '3610a686', // BODYCRC = crc32("hello") & 0x7fffffff (0x3610a686)
  '00000003', // QUEUEID
  '00000007', // FLAG
  '0000000000000005', // QUEUEOFFSET
  '0000000100000010', // PHYSICALOFFSET
  '00000000', // SYSFLAG
  '0000018bcfe56800', // BORNTIMESTAMP 1700000000000
  '0a000002',
  '0000c350', // BORNHOST 10.0.0.2:50000
  '0000018bcfe5687b', // STORETIMESTAMP 1700000000123
  '7f000001',
  '00002a9f', // STOREHOST 127.0.0.1:10911
  '00000001', // RECONSUMETIMES
  '0000000000000000', // PREPAREDTRANSACTIONOFFSET
  '00000005',
  '68656c6c6f', // BODY
  '02',
  '5431', // TOPIC
  '0006',
  '54414753',
  '01',
  '41', // PROPERTIES "TAGS\u0001A"
].join('');

test('record encoding is byte-exact with the §4.1 fixture, and decodes back', () => {
  const f = {
    queueId: 3,
    flag: 7,
    queueOffset: 5,
    physicalOffset: 0x100000010,
    sysFlag: 0,
    bornTimestamp: 1700000000000,
    bornHost: { ip: Buffer.from([10, 0, 0, 2]), port: 50000 },
    storeTimestamp: 1700000000123,
    storeHost: { ip: Buffer.from([127, 0, 0, 1]), port: 10911 },
    reconsumeTimes: 1,
    preparedTransactionOffset: 0,
    body: Buffer.from('hello'),
  };
  const enc = encodeRecord(f, 'T1', 'TAGS\u0001A');
  assert.equal(enc.toString('hex'), FIXTURE_HEX);
  const d = decodeRecord(Buffer.from(FIXTURE_HEX, 'hex'));
  assert.equal(d.storeSize, 104);
  assert.equal(d.topic, 'T1');
  assert.equal(d.queueOffset, 5);
  assert.equal(d.commitLogOffset, 0x100000010);
  assert.equal(d.storeTimestamp, 1700000000123);
  assert.equal(d.body.toString(), 'hello');
  assert.deepEqual(d.properties, { TAGS: 'A' });
  assert.equal(d.msgId, '7F00000100002A9F0000000100000010');
  assert.throws(() => encodeRecord(f, 'x'.repeat(128), ''), /topic/);
  assert.throws(() => encodeRecord(f, 'T', 'a\u0001'.padEnd(32768, 'b')), /properties/);
});

test('recordPropertiesString reads only the properties, for IPv4 and IPv6 hosts', () => {
  const v4 = Buffer.from(FIXTURE_HEX, 'hex');
  assert.equal(recordPropertiesString(v4), 'TAGS\u0001A');
  const f = {
    queueId: 0,
    flag: 0,
    queueOffset: 0,
    physicalOffset: 0,
    sysFlag: 0x10 | 0x20, // BORNHOST_V6 | STOREHOST_V6
    bornTimestamp: 1,
    bornHost: { ip: Buffer.alloc(16, 1), port: 1 },
    storeTimestamp: 2,
    storeHost: { ip: Buffer.alloc(16, 2), port: 2 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    body: Buffer.from('body'),
  };
  const props = 'n\u00017\u0002région\u0001eu';
  const v6 = Buffer.concat([Buffer.alloc(3), encodeRecord(f, 'Topic', props)]);
  assert.equal(recordPropertiesString(v6, 3), props);
  assert.equal(recordPropertiesString(v6, 3), decodeRecord(v6, 3).propertiesString);
});

test('batch body codec (§4.5) round-trips and rejects malformed bodies', () => {
  const items = [
    { flag: 1, body: Buffer.from('a'), properties: 'UNIQ_KEY\u0001X' },
    { flag: 0, body: Buffer.alloc(0), properties: '' },
  ];
  const b = encodeBatchBody(items);
  assert.equal(b.toString('hex').slice(0, 40), '0000002100000000000000000000000100000001');
  const d = decodeBatchBody(b);
  assert.equal(d.length, 2);
  assert.equal(d[0]!.body.toString(), 'a');
  assert.equal(d[0]!.properties, 'UNIQ_KEY\u0001X');
  assert.equal(d[1]!.flag, 0);
  assert.throws(() => decodeBatchBody(b.subarray(0, b.length - 3)));
});
