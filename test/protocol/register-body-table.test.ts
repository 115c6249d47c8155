import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  decodeRegisterBrokerBody,
  decodeRegisterBrokerBodyTable,
  encodeRegisterBrokerBody,
} from '../../src/engine/protocol/bodies/register-broker-body.js';
import { newTopicConfig, topicConfigFromText } from '../../src/engine/protocol/bodies/topic-config.js';

/** A compressed body holding exactly these topic texts (what a Java or 5.x broker may send). */
function bodyOf(texts: string[]): Buffer {
  const chunks: Buffer[] = [];
  const lp = (s: string) => {
    const b = Buffer.from(s);
    const l = Buffer.alloc(4);
    l.writeInt32BE(b.length);
    chunks.push(l, b);
  };
  lp('{"counter":3,"timestamp":1700000000000}');
  const n = Buffer.alloc(4);
  n.writeInt32BE(texts.length);
  chunks.push(n);
  for (const t of texts) lp(t);
  lp('[]');
  return deflateSync(Buffer.concat(chunks));
}

test('compressed registrations: topics read from the bytes are what topicConfigFromText makes of each text', () => {
  const texts = [
    'TopicTest 8 8 6 SINGLE_TAG',
    'Ordered 4 2 7 MULTI_TAG',
    'Neg -1 0 0 SINGLE_TAG',
    'Zeros 007 08 6 OTHER',
    'Tópico 1 1 6 SINGLE_TAG',
    'Empty 1 1 6 ',
    'Big 123456789012345678 1 6 SINGLE_TAG', // too many digits for the byte reader: the text route decides
    'Typed 8 8 6 SINGLE_TAG {"+message.type":"FIFO"}', // 5.x attributes
    'Bad 8 8 6 SINGLE_TAG not-json',
  ];
  const table = decodeRegisterBrokerBodyTable(bodyOf(texts), true).topicConfigSerializeWrapper
    .topicConfigTable;
  assert.ok(table instanceof Map);
  assert.deepEqual(
    [...table.values()],
    texts.map((t) => topicConfigFromText(t)),
  );
  // Malformed texts fail as before, naming what is wrong.
  for (const bad of ['NoFields', 'T 1 x 6 SINGLE_TAG', 'T 1 1 6', 'T 1  1 6 SINGLE_TAG'])
    assert.throws(() => decodeRegisterBrokerBodyTable(bodyOf([bad]), true), /TopicConfig text/, bad);
});

test('the Record and Map decodes of one body agree, for bodies we encode from a Map or a Record', () => {
  const topics = Array.from({ length: 500 }, (_, i) =>
    newTopicConfig(`T${i}`, { readQueueNums: i % 16, writeQueueNums: 8, perm: 6 }),
  );
  const dataVersion = { counter: 9, timestamp: 1700000000000 };
  const asMap = new Map(topics.map((t) => [t.topicName, t]));
  const asRecord = Object.fromEntries(asMap);
  for (const compressed of [true, false]) {
    const fromMap = encodeRegisterBrokerBody(
      { topicConfigSerializeWrapper: { topicConfigTable: asMap, dataVersion }, filterServerList: [] },
      compressed,
    );
    const fromRecord = encodeRegisterBrokerBody(
      { topicConfigSerializeWrapper: { topicConfigTable: asRecord, dataVersion }, filterServerList: [] },
      compressed,
    );
    assert.deepEqual(fromMap, fromRecord);
    const rec = decodeRegisterBrokerBody(fromMap, compressed);
    assert.deepEqual(rec.topicConfigSerializeWrapper.topicConfigTable, asRecord);
    const tab = decodeRegisterBrokerBodyTable(fromMap, compressed).topicConfigSerializeWrapper
      .topicConfigTable;
    assert.deepEqual(Object.fromEntries(tab instanceof Map ? tab : Object.entries(tab)), asRecord);
  }
});
