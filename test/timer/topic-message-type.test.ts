// Issue 15 item 7: RocketMQ 5 topic attributes (`message.type`) set by `updateTopic -a`, kept in
// topics.json, read back through GET_TOPIC_CONFIG (351) and MQClientAPI.getTopicConfig.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MQClientAPI } from '../../src/engine/client/api/client-api.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { ResponseError } from '../../src/engine/protocol/response-error.js';
import { topicMessageType } from '../../src/engine/protocol/topic-attributes.js';
import { type Cluster, startCluster } from '../broker/harness.js';
import { runCli, stopProc } from '../helpers/servers.js';

let c: Cluster;
let api: MQClientAPI;

before(async () => {
  c = await startCluster();
  api = new MQClientAPI(c.client);
});
after(async () => {
  await c?.stop();
});

const mq = (...args: string[]) =>
  runCli([...args, '-n', c.namesrv], { env: { ...process.env, ...logEnv() } });
const logEnv = () => ({ MQ_LOG_DIR: join(c.dir, 'logs'), MQ_PID_DIR: join(c.dir, 'pids') });

test('updateTopic -a +message.type=FIFO: stored in topics.json, returned by getTopicConfig, kept over a restart', async () => {
  const r = await mq('updateTopic', '-b', c.brokerAddr, '-t', 'FifoTopic', '-a', '+message.type=FIFO');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /attributes=\{message\.type=FIFO\}/);
  const stored = readFileSync(join(c.dir, 'store', 'config', 'topics.json'), 'utf8');
  assert.match(stored, /"FifoTopic":\{"attributes":\{"message\.type":"FIFO"\},"order":false/);

  const tc = await api.getTopicConfig(c.brokerAddr, 'FifoTopic', 5000);
  assert.deepEqual(tc.attributes, { 'message.type': 'FIFO' });
  assert.equal(tc.writeQueueNums, 8);
  assert.equal(topicMessageType(tc.attributes), 'FIFO');

  // Changeable: +message.type=DELAY replaces it; the raw body is 5.x's TopicConfigAndQueueMapping JSON.
  assert.equal(
    (await mq('updateTopic', '-b', c.brokerAddr, '-t', 'FifoTopic', '-a', '+message.type=DELAY')).code,
    0,
  );
  const raw = await c.call(RequestCode.GET_TOPIC_CONFIG, { topic: 'FifoTopic' });
  assert.equal(raw.code, ResponseCode.SUCCESS);
  assert.equal(
    raw.body?.toString(),
    '{"attributes":{"message.type":"DELAY"},"order":false,"perm":6,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"FifoTopic","topicSysFlag":0,"writeQueueNums":8}',
  );

  await stopProc(c.broker);
  await c.restartBroker();
  const again = await api.getTopicConfig(c.brokerAddr, 'FifoTopic', 5000);
  assert.equal(topicMessageType(again.attributes), 'DELAY');
});

test('an untyped topic is NORMAL, with attributes {} in the body as 5.x writes it', async () => {
  await c.createTopic('PlainTopic', 4);
  const raw = await c.call(RequestCode.GET_TOPIC_CONFIG, { topic: 'PlainTopic' });
  assert.match(raw.body!.toString(), /^\{"attributes":\{\},"order":false,/);
  const tc = await api.getTopicConfig(c.brokerAddr, 'PlainTopic', 5000);
  assert.equal(topicMessageType(tc.attributes), 'NORMAL');
  // topics.json keeps 4.9's bytes for it: no attributes key.
  const stored = readFileSync(join(c.dir, 'store', 'config', 'topics.json'), 'utf8');
  assert.match(stored, /"PlainTopic":\{"order":false,/);
});

test('a topic the broker lacks: TOPIC_NOT_EXIST', async () => {
  await assert.rejects(
    api.getTopicConfig(c.brokerAddr, 'NoSuchTopic', 5000),
    (e: unknown) => e instanceof ResponseError && e.code === ResponseCode.TOPIC_NOT_EXIST,
  );
});

test('bad attributes are refused with the reason, and the topic keeps what it had', async () => {
  await c.createTopic('KeepTopic', 2, { attributes: '+message.type=TRANSACTION' });
  const bad = [
    ['+message.type=BOGUS', /value is not in set/],
    ['+no.such.key=1', /unsupported key: no\.such\.key/],
    ['+queue.type=BatchCQ', /unchangeable attribute\. key: queue\.type/],
    ['+message.type=MIXED', /MIXED message type is not supported/],
  ] as const;
  for (const [attrs, why] of bad) {
    const r = await c.call(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic: 'KeepTopic',
      defaultTopic: 'TBW102',
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      attributes: attrs,
    });
    assert.notEqual(r.code, ResponseCode.SUCCESS, attrs);
    assert.match(r.remark ?? '', why);
  }
  const cli = await mq('updateTopic', '-b', c.brokerAddr, '-t', 'KeepTopic', '-a', 'message.type=FIFO');
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /add\/alter attribute format is wrong: message\.type/);
  const tc = await api.getTopicConfig(c.brokerAddr, 'KeepTopic', 5000);
  assert.deepEqual(tc.attributes, { 'message.type': 'TRANSACTION' });
  assert.equal(tc.writeQueueNums, 2);
});
