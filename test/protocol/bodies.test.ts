import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { decodeClusterInfo, encodeClusterInfo } from '../../src/engine/protocol/bodies/cluster-info.js';
import {
  type ConsumeStatsList,
  decodeConsumeStatsList,
  encodeConsumeStatsList,
} from '../../src/engine/protocol/bodies/consume-stats-list.js';
import { decodeDataVersion, encodeDataVersion } from '../../src/engine/protocol/bodies/data-version.js';
import { BodyError } from '../../src/engine/protocol/bodies/json-util.js';
import { decodeKVTable, encodeKVTable } from '../../src/engine/protocol/bodies/kv-table.js';
import {
  decodeRegisterBrokerBody,
  encodeRegisterBrokerBody,
  type RegisterBrokerBody,
} from '../../src/engine/protocol/bodies/register-broker-body.js';
import { newTopicConfig } from '../../src/engine/protocol/bodies/topic-config.js';
import { decodeTopicList, encodeTopicList } from '../../src/engine/protocol/bodies/topic-list.js';
import {
  decodeTopicRouteData,
  encodeTopicRouteData,
  type TopicRouteData,
} from '../../src/engine/protocol/bodies/topic-route-data.js';
import { maskedCrc32 } from '../../src/engine/protocol/requests/register-broker.js';

const route: TopicRouteData = {
  brokerDatas: [
    {
      brokerAddrs: { '0': '10.0.0.1:10911', '1': '10.0.0.2:10911' },
      brokerName: 'broker-a',
      cluster: 'DefaultCluster',
    },
  ],
  filterServerTable: {},
  queueDatas: [{ brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSysFlag: 0, writeQueueNums: 4 }],
};

test('TopicRouteData legacy form is byte-exact with §7.3 [verified fastjson]', () => {
  const legacy =
    '{"brokerDatas":[{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}';
  assert.equal(encodeTopicRouteData(route, { standard: false }).toString(), legacy);
  assert.deepEqual(decodeTopicRouteData(Buffer.from(legacy)), route);
});

test('TopicRouteData standard form quotes keys (4.9.4+, §7.3/§7.8) and JSON.parse accepts it', () => {
  const standard =
    '{"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911","1":"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}';
  const buf = encodeTopicRouteData(route);
  assert.equal(buf.toString(), standard);
  assert.deepEqual(JSON.parse(buf.toString()), route);
  const withOrder = encodeTopicRouteData({ ...route, orderTopicConf: 'broker-a:4' }).toString();
  assert.ok(withOrder.includes('"filterServerTable":{},"orderTopicConf":"broker-a:4","queueDatas"'));
  assert.equal(decodeTopicRouteData(withOrder).orderTopicConf, 'broker-a:4');
});

test('ClusterInfo is the legacy form with bare brokerId keys (§7.5)', () => {
  const text =
    '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"10.0.0.1:10911"},"brokerName":"broker-a","cluster":"C"}},"clusterAddrTable":{"C":["broker-a"]}}';
  const info = {
    brokerAddrTable: {
      'broker-a': { brokerAddrs: { '0': '10.0.0.1:10911' }, brokerName: 'broker-a', cluster: 'C' },
    },
    clusterAddrTable: { C: ['broker-a'] },
  };
  assert.equal(encodeClusterInfo(info).toString(), text);
  assert.deepEqual(decodeClusterInfo(Buffer.from(text)), info);
});

test('DataVersion, TopicList, KVTable JSON', () => {
  assert.equal(
    encodeDataVersion({ counter: 3, timestamp: 1700000000123 }).toString(),
    '{"counter":3,"timestamp":1700000000123}',
  );
  assert.deepEqual(decodeDataVersion('{"timestamp":5,"counter":2}'), { counter: 2, timestamp: 5 });
  assert.equal(encodeTopicList({ topicList: ['a', 'b'] }).toString(), '{"topicList":["a","b"]}');
  assert.equal(
    encodeTopicList({ topicList: ['C'], brokerAddr: '1.2.3.4:10911' }).toString(),
    '{"brokerAddr":"1.2.3.4:10911","topicList":["C"]}',
  );
  assert.deepEqual(decodeTopicList('{"brokerAddr":"x","topicList":["C"]}'), {
    topicList: ['C'],
    brokerAddr: 'x',
  });
  assert.equal(encodeKVTable({ table: { b: '2', a: '1' } }).toString(), '{"table":{"a":"1","b":"2"}}');
  assert.deepEqual(decodeKVTable('{"table":{"putTps":"1.0 2.0 3.0"}}'), { table: { putTps: '1.0 2.0 3.0' } });
});

const regBody: RegisterBrokerBody = {
  filterServerList: [],
  topicConfigSerializeWrapper: {
    dataVersion: { counter: 7, timestamp: 1700000000000 },
    topicConfigTable: {
      TopicTest: newTopicConfig('TopicTest', { readQueueNums: 8, writeQueueNums: 8, perm: 6 }),
      TBW102: newTopicConfig('TBW102', { readQueueNums: 8, writeQueueNums: 8, perm: 7, topicSysFlag: 0 }),
    },
  },
};

test('RegisterBrokerBody uncompressed form is byte-exact with §7.2 (topics in Java map order)', () => {
  const text =
    '{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":7,"timestamp":1700000000000},"topicConfigTable":{' +
    '"TopicTest":{"order":false,"perm":6,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":8},' +
    '"TBW102":{"order":false,"perm":7,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"TBW102","topicSysFlag":0,"writeQueueNums":8}}}}';
  const buf = encodeRegisterBrokerBody(regBody);
  assert.equal(buf.toString(), text);
  assert.deepEqual(decodeRegisterBrokerBody(buf, false), regBody);
});

test('RegisterBrokerBody compressed form: zlib of length-prefixed DataVersion, topic texts, filter list (§7.2)', () => {
  const z = encodeRegisterBrokerBody(regBody, true);
  assert.equal(z[0], 0x78); // zlib header
  const raw = inflateSync(z);
  const dv = '{"counter":7,"timestamp":1700000000000}';
  const t1 = 'TopicTest 8 8 6 SINGLE_TAG';
  const t2 = 'TBW102 8 8 7 SINGLE_TAG';
  const chunks: Buffer[] = [];
  const lp = (s: string) => {
    const l = Buffer.alloc(4);
    l.writeInt32BE(Buffer.byteLength(s));
    chunks.push(l, Buffer.from(s));
  };
  lp(dv);
  chunks.push(Buffer.from([0, 0, 0, 2]));
  lp(t1);
  lp(t2);
  lp('[]');
  assert.deepEqual(raw, Buffer.concat(chunks));
  const back = decodeRegisterBrokerBody(z, true);
  assert.deepEqual(
    back.topicConfigSerializeWrapper.dataVersion,
    regBody.topicConfigSerializeWrapper.dataVersion,
  );
  assert.deepEqual(
    back.topicConfigSerializeWrapper.topicConfigTable.TBW102,
    regBody.topicConfigSerializeWrapper.topicConfigTable.TBW102,
  );
  assert.deepEqual(back.filterServerList, []);
  assert.throws(() => decodeRegisterBrokerBody(Buffer.from('not zlib'), true), BodyError);
  assert.throws(
    () => decodeRegisterBrokerBody(Buffer.from('{"topicConfigSerializeWrapper":['), false),
    BodyError,
  );
});

test('masked CRC32 as UtilAll.crc32 (§10.4)', () => {
  assert.equal(maskedCrc32(Buffer.from('test')), 1484750348);
});

test('decodes a compressed RegisterBrokerBody produced by Java (DeflaterOutputStream, BEST_COMPRESSION, OpenJDK 17)', () => {
  // Java's zlib output differs from node's (Chromium zlib) byte for byte; both must inflate the same.
  const javaBytes = Buffer.from(
    '78da63606050af564ace2fcd2b492d52b232d7512ac9cc4d2d2e49cc2d50b232343740805a0606062620960ac92fc84c0e01aa51b000423385604f3f771fd7f8104777a0ac788853b8a1811158ca1c558a293a1600f9901a1e',
    'hex',
  );
  const b = decodeRegisterBrokerBody(javaBytes, true);
  assert.deepEqual(b.topicConfigSerializeWrapper.dataVersion, { counter: 7, timestamp: 1700000000000 });
  assert.deepEqual(Object.keys(b.topicConfigSerializeWrapper.topicConfigTable), ['TopicTest', 'TBW102']);
  assert.equal(b.topicConfigSerializeWrapper.topicConfigTable.TBW102.perm, 7);
  assert.deepEqual(inflateSync(javaBytes), inflateSync(encodeRegisterBrokerBody(regBody, true)));
});

test('ConsumeStatsList: fastjson text with MessageQueue object keys, one-entry group maps, and back', () => {
  const l: ConsumeStatsList = {
    brokerAddr: '1.2.3.4:10911',
    totalDiff: 6,
    consumeStatsList: [
      [
        'G1',
        [
          {
            consumeTps: 1.5,
            offsetTable: [
              [
                { topic: 'T', brokerName: 'b', queueId: 1 },
                { brokerOffset: 10, consumerOffset: 4, lastTimestamp: 99 },
              ],
              [
                { topic: 'T', brokerName: 'b', queueId: 0 },
                { brokerOffset: 7, consumerOffset: 7, lastTimestamp: 0 },
              ],
            ],
          },
          { consumeTps: 0, offsetTable: [] },
        ],
      ],
    ],
  };
  const body = encodeConsumeStatsList(l);
  assert.equal(
    body.toString(),
    '{"brokerAddr":"1.2.3.4:10911","consumeStatsList":[{"G1":[{"consumeTps":1.5,"offsetTable":{' +
      '{"brokerName":"b","queueId":0,"topic":"T"}:{"brokerOffset":7,"consumerOffset":7,"lastTimestamp":0},' +
      '{"brokerName":"b","queueId":1,"topic":"T"}:{"brokerOffset":10,"consumerOffset":4,"lastTimestamp":99}}},' +
      '{"consumeTps":0.0,"offsetTable":{}}]}],"totalDiff":6}',
  );
  const back = decodeConsumeStatsList(body);
  assert.equal(back.brokerAddr, l.brokerAddr);
  assert.equal(back.totalDiff, 6);
  assert.equal(back.consumeStatsList[0]![0], 'G1');
  const [first, second] = back.consumeStatsList[0]![1];
  assert.equal(first!.consumeTps, 1.5);
  assert.deepEqual(
    [...first!.offsetTable].sort((a, b) => a[0].queueId - b[0].queueId),
    [...l.consumeStatsList[0]![1][0]!.offsetTable].sort((a, b) => a[0].queueId - b[0].queueId),
  );
  assert.deepEqual(second, { consumeTps: 0, offsetTable: [] });
});
