import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFrame, encodeFrame } from '../../src/engine/protocol/frame-codec.js';
import type { RemotingCommand } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import {
  buildConsumerSendMsgBackRequest,
  type ConsumerSendMsgBackHeader,
  decodeConsumerSendMsgBackHeader,
} from '../../src/engine/protocol/requests/consumer-send-msg-back.js';
import {
  buildPullMessageRequest,
  decodePullHeader,
  type PullMessageRequestHeader,
  PullSysFlag,
} from '../../src/engine/protocol/requests/pull-message.js';
import {
  buildSendMessageRequest,
  decodeSendHeader,
  type SendMessageRequestHeader,
} from '../../src/engine/protocol/requests/send-message.js';

// Broker request headers shared by client (encode) and broker (decode): exact wire keys and values, and a
// round trip through the frame codec (which writes extFields in Java HashMap order, not ours).

const wire = (cmd: RemotingCommand): RemotingCommand => decodeFrame(encodeFrame(cmd));

const send: SendMessageRequestHeader = {
  producerGroup: 'PG',
  topic: 'T',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 3,
  sysFlag: 0x301,
  bornTimestamp: 1700000000000,
  flag: 7,
  properties: 'TAGS\u0001a\u0002UNIQ_KEY\u0001K',
  reconsumeTimes: 2,
  unitMode: false,
  maxReconsumeTimes: 16,
  batch: false,
  brokerName: 'broker-a',
};
const sendValues = ['PG', 'T', 'TBW102', '4', '3', '769', '1700000000000', '7'];
const sendTail = ['TAGS\u0001a\u0002UNIQ_KEY\u0001K', '2', 'false', '16', 'false', 'broker-a'];

test('SEND_MESSAGE_V2: letters a..n in order; the broker reads them back into the V1 names', () => {
  const cmd = wire(buildSendMessageRequest(send, Buffer.from('x')));
  assert.equal(cmd.code, RequestCode.SEND_MESSAGE_V2);
  assert.deepEqual(
    cmd.extFields,
    Object.fromEntries([...'abcdefghijklmn'].map((k, i) => [k, [...sendValues, ...sendTail][i]])),
  );
  assert.deepEqual(decodeSendHeader(cmd), send);
  assert.equal(cmd.body?.toString(), 'x');
});

test('SEND_MESSAGE (V1): long names, broker name as bname; a batch always goes as SEND_BATCH_MESSAGE', () => {
  const v1 = wire(buildSendMessageRequest(send, Buffer.alloc(0), true));
  assert.equal(v1.code, RequestCode.SEND_MESSAGE);
  assert.deepEqual(Object.keys(v1.extFields ?? {}).sort(), [
    'batch',
    'bname',
    'bornTimestamp',
    'defaultTopic',
    'defaultTopicQueueNums',
    'flag',
    'maxReconsumeTimes',
    'producerGroup',
    'properties',
    'queueId',
    'reconsumeTimes',
    'sysFlag',
    'topic',
    'unitMode',
  ]);
  assert.deepEqual(decodeSendHeader(v1), send);
  const batch = wire(buildSendMessageRequest({ ...send, batch: true }, Buffer.alloc(0), true));
  assert.equal(batch.code, RequestCode.SEND_BATCH_MESSAGE);
  assert.equal(batch.extFields?.m, 'true');
  assert.equal(decodeSendHeader(batch).batch, true);
});

test('send header: optional fields left out stay out; a missing required one is a clear error', () => {
  const bare: SendMessageRequestHeader = { ...send, brokerName: undefined, maxReconsumeTimes: undefined };
  const cmd = wire(buildSendMessageRequest(bare, Buffer.alloc(0)));
  assert.equal(cmd.extFields?.n, undefined);
  assert.equal(cmd.extFields?.l, undefined);
  assert.deepEqual(decodeSendHeader(cmd), bare);
  delete cmd.extFields?.b;
  assert.throws(() => decodeSendHeader(cmd), /<b>/);
});

test('send header: the SEND_MESSAGE_V2 frame recorded from ali-ons decodes', () => {
  const dir = join(import.meta.dirname, '../../../test/fixtures/protocol');
  const h = decodeSendHeader(decodeFrame(readFileSync(join(dir, 'ali-ons-04-code310.bin'))));
  assert.equal(h.topic, 'TopicA');
  assert.equal(h.defaultTopic, 'TBW102');
  assert.equal(h.defaultTopicQueueNums, 4);
  assert.equal(h.unitMode, false);
  assert.equal(h.batch, false);
  assert.equal(h.properties, 'TAGS\u0001TagA\u0002KEYS\u0001K1\u0002');
  assert.ok(h.bornTimestamp > 1_600_000_000_000);
});

test('PULL_MESSAGE: field order as Java, bname last, round trip', () => {
  const h: PullMessageRequestHeader = {
    consumerGroup: 'CG',
    topic: 'T',
    queueId: 1,
    queueOffset: 2 ** 40,
    maxMsgNums: 32,
    sysFlag: PullSysFlag.SUBSCRIPTION | PullSysFlag.SUSPEND | PullSysFlag.COMMIT_OFFSET,
    commitOffset: 12,
    suspendTimeoutMillis: 15000,
    subscription: 'a || b',
    subVersion: 1700000000001,
    expressionType: 'TAG',
    brokerName: 'broker-a',
  };
  const cmd = wire(buildPullMessageRequest(h));
  assert.equal(cmd.code, RequestCode.PULL_MESSAGE);
  assert.deepEqual(
    cmd.extFields,
    Object.fromEntries([
      ['consumerGroup', 'CG'],
      ['topic', 'T'],
      ['queueId', '1'],
      ['queueOffset', '1099511627776'],
      ['maxMsgNums', '32'],
      ['sysFlag', '7'],
      ['commitOffset', '12'],
      ['suspendTimeoutMillis', '15000'],
      ['subscription', 'a || b'],
      ['subVersion', '1700000000001'],
      ['expressionType', 'TAG'],
      ['bname', 'broker-a'],
    ]),
  );
  assert.deepEqual(decodePullHeader(cmd), h);
  const bare = wire(buildPullMessageRequest({ ...h, subscription: undefined, brokerName: undefined }));
  assert.equal('subscription' in (bare.extFields ?? {}), false);
  assert.equal(decodePullHeader(bare).subscription, undefined);
  delete bare.extFields?.queueOffset;
  assert.throws(() => decodePullHeader(bare), /<queueOffset>/);
});

test('CONSUMER_SEND_MSG_BACK: field order as Java, unitMode false by default, round trip', () => {
  const h: ConsumerSendMsgBackHeader = {
    offset: 4096,
    group: 'CG',
    delayLevel: 0,
    originMsgId: '0A0000010000',
    originTopic: 'T',
    maxReconsumeTimes: 16,
    brokerName: 'broker-a',
  };
  const cmd = wire(buildConsumerSendMsgBackRequest(h));
  assert.equal(cmd.code, RequestCode.CONSUMER_SEND_MSG_BACK);
  assert.deepEqual(
    cmd.extFields,
    Object.fromEntries([
      ['offset', '4096'],
      ['group', 'CG'],
      ['delayLevel', '0'],
      ['originMsgId', '0A0000010000'],
      ['originTopic', 'T'],
      ['unitMode', 'false'],
      ['maxReconsumeTimes', '16'],
      ['bname', 'broker-a'],
    ]),
  );
  assert.deepEqual(decodeConsumerSendMsgBackHeader(cmd), { ...h, unitMode: false });
  delete cmd.extFields?.delayLevel;
  assert.throws(() => decodeConsumerSendMsgBackHeader(cmd), /<delayLevel>/);
});
