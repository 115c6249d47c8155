import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FastjsonDouble,
  FastjsonMap,
  parseFastjson,
  parseObjectKey,
  toFastjson,
} from '../../src/engine/protocol/fastjson.js';

test('ConsumeStats with a MessageQueue object key is written exactly as fastjson (§7.6) and read back', () => {
  const text =
    '{"consumeTps":1.5,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"brokerOffset":100,"consumerOffset":90,"lastTimestamp":1700000000000}}}';
  const value = {
    offsetTable: new FastjsonMap([
      [
        { topic: 'T', queueId: 0, brokerName: 'broker-a' },
        { lastTimestamp: 1700000000000, consumerOffset: 90, brokerOffset: 100 },
      ],
    ]),
    consumeTps: new FastjsonDouble(1.5),
  };
  assert.equal(toFastjson(value), text);
  const parsed = parseFastjson(text) as { consumeTps: number; offsetTable: Record<string, unknown> };
  assert.equal(parsed.consumeTps, 1.5);
  const [key] = Object.keys(parsed.offsetTable);
  assert.equal(key, '{"brokerName":"broker-a","queueId":0,"topic":"T"}');
  assert.deepEqual(parseObjectKey(key), { brokerName: 'broker-a', queueId: 0, topic: 'T' });
  assert.deepEqual(parsed.offsetTable[key], {
    brokerOffset: 100,
    consumerOffset: 90,
    lastTimestamp: 1700000000000,
  });
  // empty result form
  assert.equal(
    toFastjson({ consumeTps: new FastjsonDouble(0), offsetTable: new FastjsonMap([]) }),
    '{"consumeTps":0.0,"offsetTable":{}}',
  );
});

test('object keys in any field order and the stringified-key form canonicalise to the same key (§7.11)', () => {
  const a = parseFastjson('{{"topic":"t","queueId":1,"brokerName":"b"}:5}') as Record<string, number>;
  const b = parseFastjson('{"{\\"queueId\\":1,\\"brokerName\\":\\"b\\",\\"topic\\":\\"t\\"}":5}') as Record<
    string,
    number
  >;
  const ka = Object.keys(a)[0];
  assert.equal(ka, '{"brokerName":"b","queueId":1,"topic":"t"}');
  assert.deepEqual(parseObjectKey(Object.keys(b)[0]), parseObjectKey(ka));
});

test('slave-sync bodies with bare integer keys (§7.10), both directions', () => {
  const consumer = '{"offsetTable":{"topic@group":{0:5,1:9}}}';
  assert.deepEqual(parseFastjson(consumer), { offsetTable: { 'topic@group': { '0': 5, '1': 9 } } });
  assert.equal(
    toFastjson({
      offsetTable: {
        'topic@group': new FastjsonMap([
          [1, 9],
          [0, 5],
        ]),
      },
    }),
    consumer,
  );
  const delay = '{"offsetTable":{1:0,2:17}}';
  assert.equal(toFastjson({ offsetTable: FastjsonMap.from({ '2': 17, '1': 0 }) }), delay);
  assert.deepEqual(parseFastjson(delay), { offsetTable: { '1': 0, '2': 17 } });
});

test('big integers survive as bigint; safe ones stay numbers; \\u escapes and nesting parse', () => {
  const v = parseFastjson(
    '{"a":9223372036854775807,"b":-9007199254740993,"c":42,"d":1.0E10,"s":"\\u00e9\\u4e2d\\n"}',
  );
  assert.deepEqual(v, { a: 9223372036854775807n, b: -9007199254740993n, c: 42, d: 1e10, s: 'é中\n' });
  assert.equal(toFastjson({ a: 9223372036854775807n }), '{"a":9223372036854775807}');
  assert.equal(toFastjson({ a: 9223372036854775807n }, { standard: true }), '{"a":"9223372036854775807"}');
});

test('writer: bean keys sorted, nulls omitted, fastjson string escapes; standard mode escapes non-ASCII and /', () => {
  assert.equal(toFastjson({ z: 1, a: null, m: [null, 'x'], b: true }), '{"b":true,"m":[null,"x"],"z":1}');
  assert.equal(toFastjson({ s: 'a\u0001"\\\t' }), '{"s":"a\\u0001\\"\\\\\\t"}');
  assert.equal(toFastjson({ s: 'é/中' }), '{"s":"é/中"}');
  assert.equal(toFastjson({ s: 'é/中' }, { standard: true }), '{"s":"\\u00E9\\/\\u4E2D"}');
  assert.equal(toFastjson(new Set(['a', 'b'])), '["a","b"]');
});

test('reader rejects malformed input with a position', () => {
  for (const bad of ['{', '{"a":}', '[1,', '{"a" 1}', '"abc', '{"a":1}x', '{"a":tru}', '']) {
    assert.throws(() => parseFastjson(bad), /at position \d+/, bad);
  }
  // deep nesting is refused instead of blowing the stack
  assert.throws(() => parseFastjson('['.repeat(100000)), /too deep/);
  // __proto__ as a key is stored as plain data, never touching the prototype
  const o = parseFastjson('{"__proto__":{"x":1}}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(o), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('parseFastjson: the JSON.parse path and the Parser agree on bare integer keys, keys inside strings, escapes and long integers', () => {
  const text =
    '{"a":"{1:2},3:\\"x\\"",7:{0:1,-1:2},"b":[1,{2:3}],"big":9007199254740993,"esc":"q\\\\",8:"\\u0041"}';
  const v = parseFastjson(text) as Record<string, unknown>;
  assert.equal(v.a, '{1:2},3:"x"');
  assert.deepEqual(v['7'], { '0': 1, '-1': 2 });
  assert.deepEqual(v.b, [1, { '2': 3 }]);
  assert.equal(v.big, 9007199254740993n);
  assert.equal(v.esc, 'q\\');
  assert.equal(v['8'], 'A');
  // fastjson-only forms still go to the Parser
  assert.deepEqual(parseFastjson('{{"b":1}:2}'), { '{"b":1}': 2 });
  assert.deepEqual(parseFastjson("{'a':5L}"), { a: 5 });
});
