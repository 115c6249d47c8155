import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonHeaderText } from '../../src/engine/protocol/header-json.js';
import { javaHashMapOrder } from '../../src/engine/protocol/java-hashmap-order.js';

// Expected orders were printed by OpenJDK 17 (`new HashMap<>()`, put in the given order, keySet()).
const cases: Array<[string[], string]> = [
  [
    'consumerGroup,topic,queueId,queueOffset,maxMsgNums,sysFlag,commitOffset,suspendTimeoutMillis,subscription,subVersion,expressionType'.split(
      ',',
    ),
    'queueId,maxMsgNums,sysFlag,suspendTimeoutMillis,commitOffset,topic,queueOffset,expressionType,subscription,subVersion,consumerGroup',
  ],
  ['a,b,c,d,e,f,g,h,i,j,k,l,m,n'.split(','), 'a,b,c,d,e,f,g,h,i,j,k,l,m,n'],
  [
    'brokerName,brokerAddr,clusterName,haServerAddr,brokerId,compressed,bodyCrc32'.split(','),
    'brokerId,bodyCrc32,clusterName,brokerAddr,haServerAddr,compressed,brokerName',
  ],
  ['topic,acceptStandardJsonOnly'.split(','), 'topic,acceptStandardJsonOnly'],
  [
    'producerGroup,topic,defaultTopic,defaultTopicQueueNums,queueId,sysFlag,bornTimestamp,flag,properties,reconsumeTimes,unitMode,batch,maxReconsumeTimes'.split(
      ',',
    ),
    'queueId,flag,sysFlag,reconsumeTimes,batch,unitMode,defaultTopic,defaultTopicQueueNums,producerGroup,maxReconsumeTimes,topic,bornTimestamp,properties',
  ],
  [
    'msgId,queueId,queueOffset,transactionId,batchUniqId'.split(','),
    'queueId,msgId,queueOffset,batchUniqId,transactionId',
  ],
];

test('extFields order matches Java HashMap iteration (what fastjson writes)', () => {
  for (const [keys, expected] of cases) assert.equal(javaHashMapOrder(keys).join(','), expected);
});

test('a REGISTER_BROKER JSON header comes out in Java order', () => {
  const text = jsonHeaderText({
    code: 103,
    language: 'JAVA',
    version: 409,
    opaque: 5,
    flag: 0,
    extFields: {
      brokerName: 'b',
      brokerAddr: '1.1.1.1:10911',
      clusterName: 'C',
      haServerAddr: '1.1.1.1:10912',
      brokerId: '0',
      compressed: 'false',
      bodyCrc32: '7',
    },
    serializeType: 0,
  });
  assert.equal(
    text,
    '{"code":103,"extFields":{"brokerId":"0","bodyCrc32":"7","clusterName":"C","brokerAddr":"1.1.1.1:10911","haServerAddr":"1.1.1.1:10912","compressed":"false","brokerName":"b"},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":409}',
  );
});

test('key lists sharing a first key each get their own order, also after the caller changes its array', async () => {
  const { javaHashOrder, javaHashMapHash } = await import('../../src/engine/protocol/java-hashmap-order.js');
  const lists = [
    ['msgId', 'queueId', 'queueOffset'],
    ['msgId', 'transactionId', 'batchUniqId'],
    ['msgId', 'queueId', 'queueOffset', 'MSG_REGION', 'TRACE_ON'],
    ['msgId', 'queueOffset', 'queueId', 'MSG_REGION', 'TRACE_ON', 'zz'],
    ['msgId', 'queueId'],
  ];
  for (let round = 0; round < 2; round++) {
    for (const keys of lists) {
      const copy = keys.slice();
      assert.deepEqual(javaHashMapOrder(copy), javaHashOrder(keys, javaHashMapHash), keys.join(','));
      copy[1] = 'changed'; // a caller reusing its array must not change what the cache holds
    }
  }
});
