import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseBrokerConfig } from '../../src/engine/broker/config/broker-config.js';
import {
  buildSubscriptionData,
  tagsFilter,
} from '../../src/engine/broker/longpolling/subscription-filter.js';
import { ConsumerOffsetManager } from '../../src/engine/broker/offset/consumer-offset-manager.js';
import { BusyReason, SendQueue } from '../../src/engine/broker/send-queue.js';
import { TopicConfigManager } from '../../src/engine/broker/topic/topic-config-manager.js';
import { createLogger } from '../../src/engine/common/logger.js';
import { decodeConsumeStats, encodeConsumeStats } from '../../src/engine/protocol/bodies/consume-stats.js';
import { decodeHeartbeatData } from '../../src/engine/protocol/bodies/heartbeat-data.js';
import {
  decodeConsumerOffsetTable,
  encodeConsumerOffsetTable,
} from '../../src/engine/protocol/bodies/offset-tables.js';

process.env.MQ_LOG_LEVEL = 'silent';
const log = createLogger('broker-unit');
const dir = mkdtempSync(join(tmpdir(), 'mq-broker-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('ConsumeStats is written in fastjson form with object keys, and reads back', () => {
  const body = encodeConsumeStats({
    consumeTps: 0,
    offsetTable: [
      [
        { topic: 'T', brokerName: 'b', queueId: 0 },
        { brokerOffset: 100, consumerOffset: 90, lastTimestamp: 1700000000000 },
      ],
    ],
  });
  assert.equal(
    body.toString(),
    '{"consumeTps":0.0,"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:{"brokerOffset":100,"consumerOffset":90,"lastTimestamp":1700000000000}}}',
  );
  const back = decodeConsumeStats(body);
  assert.deepEqual(back.offsetTable[0]![0], { topic: 'T', brokerName: 'b', queueId: 0 });
  assert.equal(back.offsetTable[0]![1].consumerOffset, 90);
});

test('consumer offsets use bare integer keys like consumerOffset.json', () => {
  const t = new Map([
    [
      'T@g',
      new Map([
        [0, 12],
        [1, 7],
      ]),
    ],
  ]);
  const text = encodeConsumerOffsetTable(t).toString();
  assert.equal(text, '{"offsetTable":{"T@g":{0:12,1:7}}}');
  assert.deepEqual(decodeConsumerOffsetTable(text), t);
});

test('ali-ons heartbeat JSON decodes (numbers for codeSet, optional expressionType)', () => {
  const hb = decodeHeartbeatData(
    JSON.stringify({
      clientID: '127.0.0.1@c1',
      consumerDataSet: [
        {
          groupName: 'G',
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
          subscriptionDataSet: [
            {
              topic: 'T',
              subString: 'TagA',
              classFilterMode: false,
              tagsSet: ['TagA'],
              codeSet: [2598919],
              subVersion: 1,
            },
          ],
          unitMode: false,
        },
      ],
      producerDataSet: [{ groupName: 'CLIENT_INNER_PRODUCER' }],
    }),
  );
  assert.equal(hb.consumerDataSet[0]!.subscriptionDataSet[0]!.expressionType, 'TAG');
  assert.deepEqual(hb.consumerDataSet[0]!.subscriptionDataSet[0]!.codeSet, [2598919]);
});

test('tag filter matches consume-queue codes of the subscribed tags only', () => {
  const f = tagsFilter(buildSubscriptionData('T', 'TagA || TagC'))!;
  assert.equal(f(2598919), true); // "TagA".hashCode()
  assert.equal(f(2598920), false); // "TagB"
  assert.equal(tagsFilter(buildSubscriptionData('T', '*')), undefined);
});

test('system topics and auto-create from TBW102: queues capped by the request, INHERIT dropped', () => {
  const { config } = parseBrokerConfig(
    `storePathRootDir=${dir}/a\ndefaultReadQueueNums=16\ndefaultWriteQueueNums=16\n`,
  );
  const m = new TopicConfigManager(config, log, { read: 16, write: 16 });
  for (const t of [
    'TBW102',
    'SELF_TEST_TOPIC',
    'DefaultCluster',
    'broker-a',
    'OFFSET_MOVED_EVENT',
    'SCHEDULE_TOPIC_XXXX',
  ]) {
    assert.ok(m.select(t), t);
  }
  assert.equal(m.select('TBW102')!.perm, 7);
  assert.equal(m.select('TBW102')!.writeQueueNums, 16);
  const tc = m.createInSendMessage('NewTopic', 'TBW102', '127.0.0.1:1', 4, 0)!;
  assert.equal(tc.writeQueueNums, 4);
  assert.equal(tc.perm, 6);
  const big = m.createInSendMessage('NewTopic2', 'TBW102', '127.0.0.1:1', 64, 0)!;
  assert.equal(big.readQueueNums, 16);
  const off = parseBrokerConfig(`storePathRootDir=${dir}/b\nautoCreateTopicEnable=false\n`).config;
  const m2 = new TopicConfigManager(off, log, { read: 8, write: 8 });
  assert.equal(m2.select('TBW102'), undefined);
  assert.equal(m2.createInSendMessage('X', 'TBW102', 'h', 4, 0), undefined);
});

test('offsets and topics persist to config/*.json and load back', () => {
  const { config } = parseBrokerConfig(`storePathRootDir=${dir}/p\n`);
  const o = new ConsumerOffsetManager(config, log);
  o.commitOffset('h', 'g', 'T', 3, 42);
  o.persist();
  const o2 = new ConsumerOffsetManager(config, log);
  assert.equal(o2.load(), true);
  assert.equal(o2.queryOffset('g', 'T', 3), 42);
  const t = new TopicConfigManager(config, log, { read: 8, write: 8 });
  t.update({ ...t.select('SELF_TEST_TOPIC')!, topicName: 'Mine', writeQueueNums: 3 });
  const t2 = new TopicConfigManager(config, log, { read: 8, write: 8 });
  assert.equal(t2.load(), true);
  assert.equal(t2.select('Mine')!.writeQueueNums, 3);
  assert.equal(t2.dataVersion.counter, t.dataVersion.counter);
});

test('send queue: a send that waited past waitTimeMillsInSendQueue is refused with TIMEOUT_CLEAN_QUEUE', async () => {
  const q = new SendQueue(1, 100, 20);
  let release!: () => void;
  const first = q.run(() => new Promise<string>((r) => (release = () => r('first'))));
  const second = q.run(async () => 'second');
  await new Promise((r) => setTimeout(r, 40));
  release();
  assert.equal(await first, 'first');
  await assert.rejects(
    second,
    (e: unknown) => e instanceof BusyReason && /^\[TIMEOUT_CLEAN_QUEUE\]/.test(e.message),
  );
  assert.equal(await q.run(async () => 'third'), 'third');
});
