import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { type ClusterInfo, encodeClusterInfo } from '../../src/engine/protocol/bodies/cluster-info.js';
import { encodeDataVersion } from '../../src/engine/protocol/bodies/data-version.js';
import { encodeKVTable } from '../../src/engine/protocol/bodies/kv-table.js';
import { encodeRegisterBrokerBody } from '../../src/engine/protocol/bodies/register-broker-body.js';
import { newTopicConfig, type TopicConfig } from '../../src/engine/protocol/bodies/topic-config.js';
import { encodeTopicList } from '../../src/engine/protocol/bodies/topic-list.js';
import {
  encodeTopicRouteData,
  type TopicRouteData,
} from '../../src/engine/protocol/bodies/topic-route-data.js';
import {
  FastjsonDouble,
  FastjsonMap,
  parseFastjson,
  toFastjson,
} from '../../src/engine/protocol/fastjson.js';
import { jsonHeaderText } from '../../src/engine/protocol/header-json.js';

// Strings written by fastjson 1.2.69 for the same content (test/fixtures/protocol/FastjsonFixtures.java).
const java = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/protocol/fastjson-1.2.69.json'), 'utf8'),
) as Record<string, string>;

const TOPICS = [
  'TBW102',
  'SELF_TEST_TOPIC',
  'BenchmarkTest',
  'OFFSET_MOVED_EVENT',
  'DefaultCluster',
  'broker-a',
  'RMQ_SYS_TRANS_HALF_TOPIC',
  'SCHEDULE_TOPIC_XXXX',
  '%RETRY%group1',
  '%RETRY%please_rename_unique_group_name_4',
  'TopicTest',
  'TopicA',
  'TopicB',
  'TopicC',
  'orders',
  'payments',
  '中文主题',
  'T1',
  'T2',
  'T10',
  'T100',
];
const dv = { counter: 7, timestamp: 1700000000000 };

test('remoting headers are byte-identical to fastjson, incl. extFields order and escapes', () => {
  const base = { language: 'JAVA', version: 409, serializeType: 0 as const };
  assert.equal(
    jsonHeaderText({ ...base, code: 105, opaque: 1, flag: 0, extFields: { topic: 'T' } }),
    java.header_route,
  );
  const ext: Record<string, string> = {};
  for (const k of 'abcdefghijklmn') ext[k] = `v${k}`;
  ext.i = 'TAGS\u0001TagA\u0002';
  assert.equal(
    jsonHeaderText({
      ...base,
      code: 1,
      opaque: -3,
      flag: 1,
      remark: 'bad \u0001\u001a\t"q" é/中 \u007f\u2028',
      extFields: ext,
    }),
    java.header_remark,
  );
});

test('DataVersion and RegisterBrokerBody (topic order of the broker map, compressed content) match Java', () => {
  assert.equal(encodeDataVersion(dv).toString(), java.data_version);
  const table: Record<string, TopicConfig> = {};
  TOPICS.forEach((t, i) => {
    table[t] = newTopicConfig(t, { readQueueNums: 8, writeQueueNums: 8, perm: i % 2 === 0 ? 6 : 7 });
  });
  const body = {
    filterServerList: [],
    topicConfigSerializeWrapper: { dataVersion: dv, topicConfigTable: table },
  };
  assert.equal(encodeRegisterBrokerBody(body).toString(), java.register_body);
  assert.equal(
    inflateSync(encodeRegisterBrokerBody(body, true)).toString('hex'),
    java.register_body_compressed_content_hex,
  );
});

test('TopicRouteData legacy and standard forms match Java (filterServerTable order, escapes)', () => {
  const route: TopicRouteData = {
    brokerDatas: [
      {
        cluster: 'DefaultCluster',
        brokerName: 'broker-a',
        brokerAddrs: { '0': '10.0.0.1:10911', '1': '10.0.0.2:10911' },
      },
      {
        cluster: 'DefaultCluster',
        brokerName: 'broker-b',
        brokerAddrs: { '0': '10.0.0.3:10911', '2': '10.0.0.4:10911' },
      },
    ],
    queueDatas: ['broker-a', 'broker-b'].map((b) => ({
      brokerName: b,
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
      topicSysFlag: 0,
    })),
    filterServerTable: {
      '10.0.0.3:10911': ['10.0.0.3:30000'],
      '10.0.0.1:10911': ['10.0.0.1:30000', '10.0.0.1:30001'],
    },
  };
  assert.equal(encodeTopicRouteData(route, { standard: false }).toString(), java.route_legacy);
  assert.equal(encodeTopicRouteData(route).toString(), java.route_standard);
  const uni: TopicRouteData = {
    brokerDatas: [{ cluster: '集群/x', brokerName: 'broker-é', brokerAddrs: { '0': '10.0.0.1:10911' } }],
    queueDatas: [{ brokerName: 'broker-é', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
    filterServerTable: {},
    orderTopicConf: 'broker-é:4',
  };
  assert.equal(encodeTopicRouteData(uni).toString(), java.route_standard_unicode);
  assert.equal(encodeTopicRouteData(uni, { standard: false }).toString(), java.route_legacy_unicode);
});

test('ClusterInfo, KVTable, TopicList and the KV config file match Java HashMap/HashSet order', () => {
  const ci: ClusterInfo = { brokerAddrTable: {}, clusterAddrTable: {} };
  for (const [cluster, name] of [
    ['DefaultCluster', 'broker-a'],
    ['DefaultCluster', 'broker-b'],
    ['OtherCluster', 'broker-c'],
    ['DefaultCluster', 'broker-z'],
    ['OtherCluster', 'node-1'],
  ]) {
    ci.brokerAddrTable[name] = {
      cluster,
      brokerName: name,
      brokerAddrs: { '0': `${name}:10911`, '1': `${name}-s:10911`, '17': `${name}-t:10911` },
    };
    (ci.clusterAddrTable[cluster] ??= []).push(name);
  }
  assert.equal(encodeClusterInfo(ci).toString(), java.cluster_info);
  const table: Record<string, string> = {};
  for (const k of [
    'brokerVersionDesc',
    'putTps',
    'getTransferedTps',
    'sendThreadPoolQueueSize',
    'pullThreadPoolQueueSize',
    'earliestMessageTimeStamp',
    'commitLogDiskRatio',
    'msgPutTotalTodayNow',
    'bootTimestamp',
    'brokerVersion',
  ]) {
    table[k] = `${k}-v`;
  }
  assert.equal(encodeKVTable({ table }).toString(), java.kv_table);
  assert.equal(encodeTopicList({ topicList: TOPICS }).toString(), java.topic_list);
  assert.equal(
    encodeTopicList({
      topicList: ['DefaultCluster', 'broker-a', 'broker-b'],
      brokerAddr: '10.0.0.1:10911',
    }).toString(),
    java.topic_list_system,
  );
  const kvFile = toFastjson({
    configTable: FastjsonMap.java({
      ORDER_TOPIC_CONFIG: FastjsonMap.java({ TopicA: 'broker-a:4;broker-b:4', orders: 'broker-a:8' }),
      NS: FastjsonMap.java({ k: 'v' }),
    }),
  });
  assert.equal(kvFile, java.kv_config_file);
});

test('ConsumeStats with an object key and a double match Java, and read back', () => {
  const stats = {
    consumeTps: new FastjsonDouble(1.5),
    offsetTable: new FastjsonMap([
      [
        { brokerName: 'broker-a', queueId: 0, topic: 'T' },
        { brokerOffset: 100, consumerOffset: 90, lastTimestamp: 1700000000000 },
      ],
    ]),
  };
  assert.equal(toFastjson(stats), java.consume_stats);
  assert.equal(
    toFastjson({ consumeTps: new FastjsonDouble(0), offsetTable: new FastjsonMap([]) }),
    java.consume_stats_empty,
  );
  for (const key of Object.keys(java)) {
    if (!key.endsWith('_hex')) assert.doesNotThrow(() => parseFastjson(java[key]), key);
  }
});
