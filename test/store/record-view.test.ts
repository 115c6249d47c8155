import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRecord } from '../../src/engine/protocol/message/index.js';
import {
  checkRecord,
  inspectRecord,
  parseDelayLevels,
  RecordView,
  tagsCodeOf,
} from '../../src/engine/store/record-check.js';

const levels = parseDelayLevels('1s 5s 10s 30s 1m');

function record(topic: string, props: string, queueOffset = 5, physicalOffset = 4096): Buffer {
  return encodeRecord(
    {
      queueId: 3,
      flag: 0,
      queueOffset,
      physicalOffset,
      sysFlag: 0,
      bornTimestamp: 1700000000000,
      bornHost: { ip: Buffer.from([10, 0, 0, 2]), port: 50000 },
      storeTimestamp: 1700000000123,
      storeHost: { ip: Buffer.from([127, 0, 0, 1]), port: 10911 },
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
      body: Buffer.from('body'),
    },
    topic,
    props,
  );
}

test("a record view's tags code, read from the property bytes, is the one of the decoded properties", () => {
  const cases: [string, string][] = [
    ['T', ''],
    ['T', 'TAGS\u0001A'],
    ['T', 'KEYS\u0001k1 k2\u0002TAGS\u0001TagA\u0002UNIQ_KEY\u0001u'],
    ['T', 'UNIQ_KEY\u0001u\u0002TAGS\u0001中文标签\u0002'],
    ['T', 'TAGS\u0001\u0002KEYS\u0001k'],
    ['T', 'XTAGS\u0001no\u0002KEYS\u0001TAGS\u0001no'],
    ['T', 'KEYS\u0001k\u0002XTAGS\u0001no'],
    ['T', 'TAGS\u0001first\u0002TAGS\u0001second'],
    ['SCHEDULE_TOPIC_XXXX', 'DELAY\u00013\u0002TAGS\u0001A'],
    ['SCHEDULE_TOPIC_XXXX', 'TAGS\u0001A'],
  ];
  const v = new RecordView();
  for (const [topic, props] of cases) {
    const b = record(topic, props);
    assert.equal(inspectRecord(b, 0, b.length, 4096, true, v), 'message', props);
    assert.equal(v.topic, topic);
    assert.equal(v.props(), props);
    assert.equal(v.tagsCode(levels), tagsCodeOf(topic, props, 1700000000123, levels), JSON.stringify(props));
    assert.equal(v.request(levels).tagsCode, v.tagsCode(levels));
  }
});

test('a reused record view follows the topic from record to record, and checkRecord gives what it found', () => {
  const v = new RecordView();
  const a = record('TopicA', 'KEYS\u0001k', 1, 100);
  const b = record('TopicB', 'KEYS\u0001k', 2, 200);
  const a2 = record('TopicA', '', 3, 300);
  for (const [buf, off, topic, qo] of [
    [a, 100, 'TopicA', 1],
    [b, 200, 'TopicB', 2],
    [a2, 300, 'TopicA', 3],
  ] as const) {
    assert.equal(inspectRecord(buf, 0, buf.length, off, true, v), 'message');
    assert.equal(v.topic, topic);
    assert.equal(v.queueOffset, qo);
    assert.equal(v.offset, off);
  }
  const r = checkRecord(b, 0, b.length, 200, true, levels);
  assert.equal(r.kind, 'message');
  assert.equal(r.kind === 'message' && r.req.topic, 'TopicB');
  assert.equal(r.kind === 'message' && r.req.keys, 'k');
  // Damage is named as before: a flipped body byte, a record at another offset.
  const bad = Buffer.from(b);
  // The body's first byte: before it props (6), PROPLEN (2), topic (6), TOPICLEN (1), body (4) from the end.
  bad[bad.length - 19] ^= 0xff;
  assert.deepEqual(checkRecord(bad, 0, bad.length, 200, true, levels), { kind: 'bad', reason: 'body crc' });
  assert.deepEqual(checkRecord(b, 0, b.length, 201, true, levels), {
    kind: 'bad',
    reason: 'physical offset',
  });
});
