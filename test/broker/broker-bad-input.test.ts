import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeRecords, encodeProperties } from '../../src/engine/protocol/message/index.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { type Cluster, startCluster } from './harness.js';

// Bad input against a real broker process: clear error replies, the connection stays usable, and what
// was stored before is untouched.

let c: Cluster;
const MAX = 65536;

before(async () => {
  c = await startCluster({ autoCreateTopicEnable: false, maxMessageSize: MAX });
  await c.createTopic('GoodTopic', 2);
});
after(async () => {
  await c?.stop();
});

function sendV2(topic: string, body: Buffer, overrides: Record<string, string | number> = {}) {
  return c.call(
    310,
    {
      a: 'PG_bad',
      b: topic,
      c: 'TBW102',
      d: 4,
      e: 0,
      f: 0,
      g: Date.now(),
      h: 0,
      i: encodeProperties({ TAGS: 'T', WAIT: 'true', KEYS: 'k1' }),
      j: 0,
      k: false,
      ...overrides,
    },
    body,
  );
}

async function pullAll(topic: string, queueId: number) {
  const r = await c.pullFromStart('CG_probe', topic, queueId);
  return { code: r.code, records: r.code === 0 ? decodeRecords(r.body!) : [] };
}

test('bad sends get clear errors and leave stored messages intact', { timeout: 30_000 }, async () => {
  const good = await sendV2('GoodTopic', Buffer.from('keep me'));
  assert.equal(good.code, ResponseCode.SUCCESS);
  assert.equal(good.extFields!.queueId, '0');
  assert.equal(good.extFields!.queueOffset, '0');
  assert.match(good.extFields!.msgId!, /^[0-9A-F]{32}$/);
  assert.equal(good.extFields!.MSG_REGION, 'DefaultRegion');
  assert.equal(good.extFields!.TRACE_ON, 'true');

  const big = await sendV2('GoodTopic', Buffer.alloc(MAX + 1, 7));
  assert.equal(big.code, ResponseCode.MESSAGE_ILLEGAL);
  assert.match(big.remark!, /maxMessageSize=65536/);

  const unknown = await sendV2('NoSuchTopic', Buffer.from('x'));
  assert.equal(unknown.code, ResponseCode.TOPIC_NOT_EXIST);
  assert.match(unknown.remark!, /mqadmin updateTopic -n \S+ -c TestCluster -t NoSuchTopic/);
  assert.match(unknown.remark!, /mq updateTopic/);

  const internal = await sendV2('SCHEDULE_TOPIC_XXXX', Buffer.from('x'));
  assert.equal(internal.code, ResponseCode.NO_PERMISSION);

  const illegal = await sendV2('bad topic!', Buffer.from('x'));
  assert.equal(illegal.code, ResponseCode.SYSTEM_ERROR);
  assert.match(illegal.remark!, /illegal characters/);

  const badQueue = await sendV2('GoodTopic', Buffer.from('x'), { e: 9 });
  assert.equal(badQueue.code, ResponseCode.SYSTEM_ERROR);
  assert.match(badQueue.remark!, /queueId\[9\] is illegal/);

  const { records } = await pullAll('GoodTopic', 0);
  assert.equal(records.length, 1);
  assert.equal(records[0]!.body.toString(), 'keep me');
  assert.equal(records[0]!.properties.WAIT, undefined, 'WAIT is stripped');
  assert.equal(records[0]!.properties.CLUSTER, 'TestCluster');
  assert.equal(records[0]!.msgId, good.extFields!.msgId);
});

test('a malformed header gets an error reply and the connection stays up', { timeout: 30_000 }, async () => {
  const ch = await c.client.getChannel(c.brokerAddr);
  const notInt = await ch.invoke(
    createRequest(
      310,
      { a: 'PG', b: 'GoodTopic', c: 'TBW102', d: 4, e: 'zero', f: 0, g: 1, h: 0 },
      Buffer.from('x'),
    ),
    5000,
  );
  assert.equal(notInt.code, ResponseCode.SYSTEM_ERROR);
  assert.match(notInt.remark!, /<e>/);

  const missing = await ch.invoke(createRequest(11, { topic: 'GoodTopic' }), 5000);
  assert.equal(missing.code, ResponseCode.SYSTEM_ERROR);
  assert.match(missing.remark!, /consumerGroup/);

  const badBody = await ch.invoke(createRequest(34, {}, Buffer.from('{not json')), 5000);
  assert.equal(badBody.code, ResponseCode.SYSTEM_ERROR);

  const unknownCode = await ch.invoke(createRequest(9999, {}), 5000);
  assert.equal(unknownCode.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);

  assert.equal(ch.closed, false);
  const max = await ch.invoke(createRequest(30, { topic: 'GoodTopic', queueId: 0 }), 5000);
  assert.equal(max.code, 0);
  assert.equal(max.extFields!.offset, '1', 'the earlier message is still the only one');
  const view = await ch.invoke(createRequest(33, { offset: 0 }), 5000);
  assert.equal(view.code, 0);
  assert.equal(decodeRecords(view.body!)[0]!.body.toString(), 'keep me');
});

test('query by key, runtime info and consume stats answer in RocketMQ form', {
  timeout: 30_000,
}, async () => {
  const q = await c.call(12, {
    topic: 'GoodTopic',
    key: 'k1',
    maxNum: 32,
    beginTimestamp: 0,
    endTimestamp: Date.now() + 1000,
  });
  assert.equal(q.code, 0);
  assert.equal(decodeRecords(q.body!)[0]!.body.toString(), 'keep me');

  const info = await c.call(28);
  assert.equal(info.code, 0);
  const table = JSON.parse(info.body!.toString()).table;
  for (const k of [
    'brokerVersionDesc',
    'putTps',
    'getTransferedTps',
    'msgPutTotalTodayNow',
    'commitLogDiskRatio',
  ]) {
    assert.ok(k in table, `runtime info has ${k}`);
  }
  assert.equal(table.putTps.split(' ').length, 3);

  await c.call(15, { consumerGroup: 'CG_stats', topic: 'GoodTopic', queueId: 0, commitOffset: 1 });
  const stats = await c.call(208, { consumerGroup: 'CG_stats', topic: 'GoodTopic' });
  assert.equal(stats.code, 0);
  const text = stats.body!.toString();
  assert.match(
    text,
    /^\{"consumeTps":\d+(\.\d+)?,"offsetTable":\{\{"brokerName":"broker-t","queueId":0,"topic":"GoodTopic"\}:\{"brokerOffset":1,"consumerOffset":1,"lastTimestamp":\d+\}/,
  );
  const putStats = await c.call(315, { statsName: 'TOPIC_PUT_NUMS', statsKey: 'GoodTopic' });
  assert.equal(putStats.code, 0);
  assert.match(
    putStats.body!.toString(),
    /^\{"statsDay":\{"avgpt":1\.0,"sum":1,"tps":[\d.E-]+\},"statsHour":/,
  );
  const noStats = await c.call(315, { statsName: 'TOPIC_PUT_NUMS', statsKey: 'NoSuchTopic' });
  assert.equal(noStats.code, ResponseCode.SYSTEM_ERROR);
  const off = await c.call(14, { consumerGroup: 'CG_stats', topic: 'GoodTopic', queueId: 0 });
  assert.equal(off.extFields!.offset, '1');
  const none = await c.call(14, { consumerGroup: 'CG_none', topic: 'GoodTopic', queueId: 0 });
  assert.equal(none.code, 0, 'a fresh queue starts at 0');
  assert.equal(none.extFields!.offset, '0');
});

test('long polling: a pull at the queue head is held and answered when a message arrives', {
  timeout: 30_000,
}, async () => {
  await c.createTopic('PollTopic', 1);
  const t0 = Date.now();
  const held = c.call(
    11,
    {
      consumerGroup: 'CG_poll',
      topic: 'PollTopic',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      sysFlag: 2 | 4,
      commitOffset: 0,
      suspendTimeoutMillis: 15000,
      subscription: '*',
      subVersion: Date.now(),
    },
    null,
    20_000,
  );
  await new Promise((r) => setTimeout(r, 700));
  const sent = await sendV2('PollTopic', Buffer.from('wake up'));
  assert.equal(sent.code, 0);
  const r = await held;
  const waited = Date.now() - t0;
  assert.equal(r.code, 0, r.remark);
  assert.ok(waited >= 700 && waited < 5000, `answered after ${waited} ms`);
  assert.equal(decodeRecords(r.body!)[0]!.body.toString(), 'wake up');
  assert.equal(r.extFields!.nextBeginOffset, '1');
  assert.equal(r.extFields!.suggestWhichBrokerId, '0');
});
