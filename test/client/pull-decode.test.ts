// The consumer reads pull bodies in place (decodePulledMessage): every field must equal what the general
// record decoder gives, for IPv4 and IPv6 hosts, compressed bodies, and records from different store hosts
// one after the other (the store host's msgId prefix is cached).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  decodeMessagesTolerant,
  decodePulledMessage,
  toMessageExt,
} from '../../src/engine/client/message.js';
import {
  decodeOffsetMsgId,
  decodeRecord,
  encodeProperties,
  encodeRecord,
  type HostAddress,
  SysFlag,
} from '../../src/engine/protocol/message/index.js';

const v4 = (a: number, port: number): HostAddress => ({ ip: Buffer.from([10, 0, 0, a]), port });
const v6 = (port: number): HostAddress => ({
  ip: Buffer.from('20010db8000000000000000000000001', 'hex'),
  port,
});

function record(
  queueOffset: number,
  opts: {
    born: HostAddress;
    store: HostAddress;
    body: Buffer;
    sysFlag?: number;
    props: Record<string, string>;
    topic?: string;
  },
): Buffer {
  let sysFlag = opts.sysFlag ?? 0;
  if (opts.born.ip.length === 16) sysFlag |= SysFlag.BORNHOST_V6;
  if (opts.store.ip.length === 16) sysFlag |= SysFlag.STOREHOST_V6;
  return encodeRecord(
    {
      queueId: 3,
      flag: 7,
      queueOffset,
      physicalOffset: 4294967296 * 3 + queueOffset * 1000,
      sysFlag,
      bornTimestamp: 1700000000123,
      bornHost: opts.born,
      storeTimestamp: 1700000000456,
      storeHost: opts.store,
      reconsumeTimes: 2,
      preparedTransactionOffset: 0,
      body: opts.body,
    },
    opts.topic ?? 'PullDecodeTopic',
    encodeProperties(opts.props),
  );
}

test('a pulled record read in place equals the general decode, field by field', () => {
  const plain = Buffer.from('hello pull');
  const records = [
    record(10, { born: v4(2, 50001), store: v4(1, 10911), body: plain, props: { TAGS: 'A', KEYS: 'k1' } }),
    // Another store host right after: its msgId must carry its own host, not the last one's.
    record(11, { born: v4(3, 50002), store: v4(9, 10921), body: plain, props: { UNIQ_KEY: 'ABCDEF0123' } }),
    // A topic of the same length right after: the decoder keeps the last topic's text.
    record(12, {
      born: v6(50003),
      store: v6(10911),
      body: plain,
      props: { TAGS: 'B' },
      topic: 'PullDecodeTopiX',
    }),
    record(13, {
      born: v4(2, 50001),
      store: v4(1, 10911),
      body: deflateSync(Buffer.from('zipped body')),
      sysFlag: SysFlag.COMPRESSED,
      props: { TAGS: 'C' },
    }),
  ];
  const body = Buffer.concat(records);
  let pos = 0;
  for (const r of records) {
    const got = decodePulledMessage(body, pos, 'broker-a');
    const want = toMessageExt(decodeRecord(body, pos), 'broker-a');
    assert.deepEqual(got.toPlain(), want);
    assert.equal(decodeOffsetMsgId(got.offsetMsgId).offset, want.commitLogOffset);
    pos += r.length;
  }
  const all = decodeMessagesTolerant(body, 'broker-a');
  assert.deepEqual(
    all.messages.map((m) => [m.queueOffset, m.topic, m.storeHost, m.body.toString()]),
    [
      [10, 'PullDecodeTopic', '10.0.0.1:10911', 'hello pull'],
      [11, 'PullDecodeTopic', '10.0.0.9:10921', 'hello pull'],
      [12, 'PullDecodeTopiX', '2001:db8:0:0:0:0:0:1:10911', 'hello pull'],
      [13, 'PullDecodeTopic', '10.0.0.1:10911', 'zipped body'],
    ],
  );
  assert.equal(all.messages[1]!.msgId, 'ABCDEF0123');
  assert.notEqual(all.messages[0]!.offsetMsgId.slice(0, 16), all.messages[1]!.offsetMsgId.slice(0, 16));
});

test('a pulled record whose body length runs past its size is refused, the others kept', () => {
  const good = record(1, { born: v4(2, 1), store: v4(1, 2), body: Buffer.from('ok'), props: {} });
  const bad = record(2, { born: v4(2, 1), store: v4(1, 2), body: Buffer.from('bad'), props: {} });
  bad.writeInt32BE(bad.length, 84); // BODYLEN (after 48 fixed bytes, two IPv4 hosts, timestamp, 12 more): too long
  assert.throws(() => decodePulledMessage(bad, 0, 'b'), RangeError);
  const d = decodeMessagesTolerant(Buffer.concat([good, bad, good]), 'b');
  assert.equal(d.messages.length, 2);
  assert.equal(d.bad.length, 1);
  assert.equal(d.bad[0]!.queueOffset, 2);
});
