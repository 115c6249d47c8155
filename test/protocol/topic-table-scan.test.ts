import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newDataVersion } from '../../src/engine/protocol/bodies/data-version.js';
import {
  encodeTopicConfigWrapper,
  newTopicConfig,
  topicConfigWrapperFromObject,
} from '../../src/engine/protocol/bodies/topic-config.js';
import { scanTopicConfigTable } from '../../src/engine/protocol/bodies/topic-table-scan.js';
import { parseFastjson } from '../../src/engine/protocol/fastjson.js';

/** The general route, which the scanner must always agree with. */
const general = (text: string) => topicConfigWrapperFromObject(parseFastjson(text));

function assertSame(text: string): void {
  const fast = scanTopicConfigTable(text);
  assert.ok(fast, `scanned: ${text}`);
  const w = general(text);
  assert.deepEqual([...fast.table], Object.entries(w.topicConfigTable), text);
  if (fast.dataVersion) assert.deepEqual(fast.dataVersion, w.dataVersion, text);
  else assert.ok(!/"dataVersion"/.test(text), text);
}

// Java's TopicConfigManager.persist writes topics.json with fastjson's prettyFormat (tabs and newlines).
const javaPretty = `{
\t"dataVersion":{
\t\t"counter":2,
\t\t"timestamp":1700000000123
\t},
\t"topicConfigTable":{
\t\t"SCHEDULE_TOPIC_XXXX":{
\t\t\t"order":false,
\t\t\t"perm":6,
\t\t\t"readQueueNums":18,
\t\t\t"topicFilterType":"SINGLE_TAG",
\t\t\t"topicName":"SCHEDULE_TOPIC_XXXX",
\t\t\t"topicSysFlag":0,
\t\t\t"writeQueueNums":18
\t\t},
\t\t"TopicTest":{
\t\t\t"order":true,
\t\t\t"perm":6,
\t\t\t"readQueueNums":4,
\t\t\t"topicFilterType":"MULTI_TAG",
\t\t\t"topicName":"TopicTest",
\t\t\t"topicSysFlag":0,
\t\t\t"writeQueueNums":4
\t\t}
\t}
}`;

test('the topic scanner reads the shapes Java and we write, exactly as the general parser does', () => {
  const cases = [
    javaPretty,
    '{"topicConfigTable":{}}',
    '{}',
    // members left out take the defaults; an unknown scalar member is skipped
    '{"topicConfigTable":{"T":{"topicName":"T","extra":"x","more":3,"flag":true}}}',
    // 5.x attributes and stateVersion; a key that differs from the topicName
    '{"dataVersion":{"counter":1,"stateVersion":0,"timestamp":5},"topicConfigTable":{"K":{"attributes":{"+message.type":"FIFO"},"topicName":"T","perm":4}}}',
    '{"topicConfigTable":{"T":{"attributes":{},"topicName":"T"}}}',
    // a duplicate key: the last value wins, at the first one's place
    '{"topicConfigTable":{"A":{"topicName":"A","perm":2},"B":{"topicName":"B"},"A":{"topicName":"A","perm":4}}}',
    '{"topicConfigTable":{"Tópico":{"topicName":"Tópico","readQueueNums":-1}}}',
  ];
  for (const text of cases) assertSame(text);
  const fast = scanTopicConfigTable(javaPretty)!;
  assert.deepEqual(fast.dataVersion, { counter: 2, timestamp: 1700000000123 });
  assert.deepEqual(fast.table.get('TopicTest'), {
    topicName: 'TopicTest',
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    topicFilterType: 'MULTI_TAG',
    topicSysFlag: 0,
    order: true,
  });
});

test('the topic scanner leaves every unusual shape to the general parser', () => {
  const cases = [
    '{"topicConfigTable":{"T\\u0041":{"topicName":"TA"}}}', // an escape
    '{"topicConfigTable":{"T":{"topicName":"T","perm":"6"}}}', // a number in quotes
    '{"topicConfigTable":{"T":{"topicName":"T","perm":6.0}}}', // a fraction
    '{"topicConfigTable":{"T":{"topicName":"T","order":null}}}', // a null
    '{"topicConfigTable":{"T":{"topicName":"T","nested":{"a":1}}}}', // an object member it does not know
    '{"topicConfigTable":{"B":{"topicName":"B"},"12":{"topicName":"12"}}}', // an array-index name
    '{"topicConfigTable":{"T":{"perm":6}}}', // no topicName (the general parser names it)
    '{"topicConfigTable":{},"other":1}', // a member it does not know
    '{"topicConfigTable":{"T":{"topicName":"T"}}', // truncated
  ];
  for (const text of cases) assert.equal(scanTopicConfigTable(text), undefined, text);
});

test('a large table written by our encoder scans back to what the general parser reads', () => {
  const topics = Array.from({ length: 3000 }, (_, i) =>
    newTopicConfig(`Topic${i}`, { readQueueNums: 8, writeQueueNums: i % 9, order: i % 2 === 0 }),
  );
  const text = encodeTopicConfigWrapper({
    topicConfigTable: Object.fromEntries(topics.map((t) => [t.topicName, t])),
    dataVersion: newDataVersion(),
  }).toString('utf8');
  assertSame(text);
  const fast = scanTopicConfigTable(text)!;
  assert.equal(fast.table.size, 3000);
  // The table key and topicName are one string, not two copies.
  const [key, tc] = [...fast.table][0]!;
  assert.equal(key, tc.topicName);
});
