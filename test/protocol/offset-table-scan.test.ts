import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asNumber, asObject, parseBodyObject } from '../../src/engine/protocol/bodies/json-util.js';
import { scanConsumerOffsetTable } from '../../src/engine/protocol/bodies/offset-table-scan.js';
import {
  type ConsumerOffsetTable,
  decodeConsumerOffsetTable,
  encodeConsumerOffsetTable,
} from '../../src/engine/protocol/bodies/offset-tables.js';

/** The general route (fastjson parser, then Maps), which the scanner must always agree with. */
function general(text: string): ConsumerOffsetTable {
  const obj = parseBodyObject(text, 'ConsumerOffsetSerializeWrapper');
  const out: ConsumerOffsetTable = new Map();
  for (const [key, queues] of Object.entries(asObject(obj.offsetTable, 'offsetTable'))) {
    const m = new Map<number, number>();
    for (const [q, off] of Object.entries(asObject(queues, key))) m.set(asNumber(q, q), asNumber(off, q));
    out.set(key, m);
  }
  return out;
}

const entries = (t: ConsumerOffsetTable) => [...t].map(([k, m]) => [k, [...m]]);

// Java's ConfigManager.persist writes consumerOffset.json with fastjson's prettyFormat: tabs, newlines, and
// the closing brace of each queue map on its own line.
const javaPretty =
  '{\n\t"offsetTable":{\n\t\t"%RETRY%please_rename_unique_group_name_4@please_rename_unique_group_name_4":{0:0\n\t\t},' +
  '\n\t\t"TopicTest@please_rename_unique_group_name_4":{0:250,1:250,2:249,3:250\n\t\t}\n\t}\n}';

test('the offset scanner reads the shapes Java and we write, exactly as the general parser does', () => {
  const cases = [
    javaPretty,
    '{"offsetTable":{"T@g":{0:12,1:7},"U@g":{}}}',
    '{"offsetTable":{"T@g":{"0":12,"1":7}}}',
    '{"offsetTable":{}}',
    '{}',
    ' { "offsetTable" : { "T@g" : { 0 : -1 , 3 : 9007199254740993 } } } ',
    '{"dataVersion":{"counter":2,"stateVersion":0,"timestamp":1700000000000},"offsetTable":{"T@g":{0:5}}}',
    '{"offsetTable":{"T@g":{0:1},"T@g":{0:2,1:3}}}',
    '{"offsetTable":{"Tópico@grupo":{0:1}}}',
  ];
  for (const text of cases) {
    const fast = scanConsumerOffsetTable(text);
    assert.ok(fast, `scanned: ${text}`);
    assert.deepEqual(entries(fast), entries(general(text)), text);
    assert.deepEqual(entries(scanConsumerOffsetTable(Buffer.from(text))!), entries(fast), text);
  }
  assert.deepEqual(entries(scanConsumerOffsetTable(javaPretty)!), [
    ['%RETRY%please_rename_unique_group_name_4@please_rename_unique_group_name_4', [[0, 0]]],
    [
      'TopicTest@please_rename_unique_group_name_4',
      [
        [0, 250],
        [1, 250],
        [2, 249],
        [3, 250],
      ],
    ],
  ]);
});

test('the offset scanner leaves every unusual shape to the general parser, which still reads it', () => {
  const cases = [
    '{"offsetTable":{"T\\u0040g":{0:1}}}', // an escape
    '{"offsetTable":{"T@g":{1:1,0:2}}}', // descending queue ids (ordered differently by the general route)
    '{"offsetTable":{"T@g":{-1:1}}}', // a negative queue id
    '{"offsetTable":{"T@g":{0:1.5}}}', // a fraction
    '{"offsetTable":{"T@g":{0:"12"}}}', // a quoted offset (fastjson reads it as a number)
    '{"offsetTable":{"T@g":{0:1}},"extra":[]}', // a member it does not know
  ];
  for (const text of cases) {
    assert.equal(scanConsumerOffsetTable(text), undefined, text);
    assert.deepEqual(entries(decodeConsumerOffsetTable(text)), entries(general(text)), text);
  }
  for (const bad of [
    '{"offsetTable":{"T@g":{0:}}}',
    '{"offsetTable":{"T@g":{0:1}}',
    '{"offsetTable":{"T@g":{0:1}}}x',
  ]) {
    assert.equal(scanConsumerOffsetTable(bad), undefined, bad);
    assert.throws(() => decodeConsumerOffsetTable(bad), /ConsumerOffsetSerializeWrapper/, bad);
  }
});

test('a large table round-trips through encode and the scanner', () => {
  const t: ConsumerOffsetTable = new Map();
  for (let i = 0; i < 2000; i++)
    t.set(`Topic${i}@Group${i % 7}`, new Map(Array.from({ length: 8 }, (_, q) => [q, i * 1000 + q])));
  const text = encodeConsumerOffsetTable(t).toString('utf8');
  const sorted = (x: ConsumerOffsetTable) =>
    entries(x).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  assert.deepEqual(sorted(scanConsumerOffsetTable(text)!), sorted(t));
  assert.deepEqual(entries(decodeConsumerOffsetTable(text)), entries(general(text)));
});
