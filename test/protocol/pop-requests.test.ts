import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame, encodeFrame } from '../../src/engine/protocol/frame-codec.js';
import {
  buildExtraInfo,
  buildMsgOffsetInfo,
  buildOrderCountInfo,
  buildQueueInfo,
  parseExtraInfo,
  parseMsgOffsetInfo,
  parseNormalTopic,
  parseQueueInfo,
  popRetryTopicV1,
  realTopic,
} from '../../src/engine/protocol/pop-extra-info.js';
import type { RemotingCommand } from '../../src/engine/protocol/remoting-command.js';
import { createResponse } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import {
  buildAckMessageRequest,
  decodeAckMessageHeader,
  decodeBatchAckBody,
  encodeBatchAckBody,
} from '../../src/engine/protocol/requests/ack-message.js';
import {
  buildChangeInvisibleTimeRequest,
  decodeChangeInvisibleTimeHeader,
} from '../../src/engine/protocol/requests/change-invisible-time.js';
import {
  buildNotificationRequest,
  decodeNotificationHeader,
} from '../../src/engine/protocol/requests/notification.js';
import {
  buildPopMessageRequest,
  decodePopMessageHeader,
  decodePopMessageResponseHeader,
  encodePopMessageResponseHeader,
} from '../../src/engine/protocol/requests/pop-message.js';

// RocketMQ 5.x POP headers: the exact JSON frame header a 5.x client writes (fastjson, HashMap order of
// extFields), read back by the broker's decoder.

const wire = (cmd: RemotingCommand): RemotingCommand => decodeFrame(encodeFrame(cmd));
const headerJson = (cmd: RemotingCommand): string => {
  const f = encodeFrame({ ...cmd, opaque: 7 });
  return f.subarray(8, 8 + f.readInt32BE(4)).toString('utf8');
};

test('request codes are 5.x RequestCode.java numbers', () => {
  assert.equal(RequestCode.POP_MESSAGE, 200050);
  assert.equal(RequestCode.ACK_MESSAGE, 200051);
  assert.equal(RequestCode.PEEK_MESSAGE, 200052);
  assert.equal(RequestCode.CHANGE_MESSAGE_INVISIBLETIME, 200053);
  assert.equal(RequestCode.NOTIFICATION, 200054);
  assert.equal(RequestCode.POLLING_INFO, 200055);
  assert.equal(RequestCode.BATCH_ACK_MESSAGE, 200151);
});

test('POP_MESSAGE: 5.x field names, values as text; the broker reads the same header back', () => {
  const h = {
    consumerGroup: 'G',
    topic: 'T',
    queueId: -1,
    maxMsgNums: 32,
    invisibleTime: 60000,
    pollTime: 15000,
    bornTime: 1700000000000,
    initMode: 0,
    expType: 'TAG',
    exp: 'a || b',
    order: true,
    attemptId: undefined,
    brokerName: 'broker-a',
  };
  const req = buildPopMessageRequest(h);
  // Byte for byte what Java's fastjson writes for these extFields (HashMap iteration order).
  assert.equal(
    headerJson(req),
    '{"code":200050,"extFields":{"invisibleTime":"60000","pollTime":"15000","queueId":"-1","bornTime":"1700000000000","maxMsgNums":"32","bname":"broker-a","topic":"T","expType":"TAG","exp":"a || b","consumerGroup":"G","initMode":"0","order":"true"},"flag":0,"language":"JAVA","opaque":7,"serializeTypeCurrentRPC":"JSON","version":409}',
  );
  const json = JSON.parse(headerJson(req)) as { code: number; extFields: Record<string, string> };
  assert.equal(json.code, 200050);
  assert.deepEqual(json.extFields, {
    bname: 'broker-a',
    bornTime: '1700000000000',
    consumerGroup: 'G',
    exp: 'a || b',
    expType: 'TAG',
    initMode: '0',
    invisibleTime: '60000',
    maxMsgNums: '32',
    order: 'true',
    pollTime: '15000',
    queueId: '-1',
    topic: 'T',
  });
  assert.deepEqual(decodePopMessageHeader(wire(req)), h);
});

test('POP_MESSAGE response header: popTime, invisibleTime, reviveQid, restNum and the offset infos', () => {
  const ext = encodePopMessageResponseHeader({
    popTime: 1700000000123,
    invisibleTime: 3000,
    reviveQid: 2,
    restNum: 5,
    startOffsetInfo: buildQueueInfo([{ topic: 'T', queueId: 1, value: 10 }]),
    msgOffsetInfo: buildMsgOffsetInfo([{ topic: 'T', queueId: 1, offsets: [10, 11, 13] }]),
  });
  const resp = wire(createResponse({ opaque: 1, serializeType: 0 }, 0, 'FOUND', ext));
  assert.deepEqual(resp.extFields, {
    popTime: '1700000000123',
    invisibleTime: '3000',
    reviveQid: '2',
    restNum: '5',
    startOffsetInfo: '0 1 10',
    msgOffsetInfo: '0 1 10,11,13',
  });
  const h = decodePopMessageResponseHeader(resp);
  assert.equal(h.restNum, 5);
  assert.deepEqual(parseQueueInfo(h.startOffsetInfo), new Map([['0@1', 10]]));
  assert.deepEqual(parseMsgOffsetInfo(h.msgOffsetInfo), new Map([['0@1', [10, 11, 13]]]));
});

test('extraInfo: ExtraInfoUtil layout, retry kinds, and a clear error for a malformed receipt', () => {
  const s = buildExtraInfo({
    ckQueueOffset: 10,
    popTime: 1700000000123,
    invisibleTime: 3000,
    reviveQid: 2,
    topic: popRetryTopicV1('T', 'G'),
    brokerName: 'broker-a',
    queueId: 0,
    queueOffset: 12,
  });
  assert.equal(s, '10 1700000000123 3000 2 1 broker-a 0 12');
  const e = parseExtraInfo(s);
  assert.equal(e.topicKind, '1');
  assert.equal(realTopic('T', 'G', e.topicKind), '%RETRY%G_T');
  assert.equal(parseNormalTopic('%RETRY%G_T', 'G'), 'T');
  assert.equal(parseNormalTopic('%RETRY%G+T', 'G'), 'T');
  assert.equal(parseExtraInfo('1 2 3 4 0 b 5').queueOffset, undefined);
  assert.throws(() => parseExtraInfo('1 2 3'), /extraInfo '1 2 3' has 3 fields/);
  assert.throws(() => parseExtraInfo('x 2 3 4 0 b 5 6'), /ckQueueOffset is not a number/);
  assert.equal(
    buildOrderCountInfo('T', 3, new Map([[7, 2]]), [7, 8]),
    '0 qo3%7 2;0 3 0',
    'per-offset counts, then the queue minimum (0: offset 8 is new)',
  );
});

test('ACK_MESSAGE and CHANGE_MESSAGE_INVISIBLETIME headers', () => {
  const ack = {
    consumerGroup: 'G',
    topic: 'T',
    queueId: 1,
    extraInfo: '10 1700000000123 3000 2 0 broker-a 1 12',
    offset: 12,
    brokerName: 'broker-a',
  };
  const a = buildAckMessageRequest(ack);
  assert.deepEqual(wire(a).extFields, {
    consumerGroup: 'G',
    topic: 'T',
    queueId: '1',
    extraInfo: ack.extraInfo,
    offset: '12',
    bname: 'broker-a',
  });
  assert.deepEqual(decodeAckMessageHeader(wire(a)), ack);
  const c = buildChangeInvisibleTimeRequest({ ...ack, invisibleTime: 5000 });
  assert.equal(c.code, 200053);
  assert.equal(wire(c).extFields?.invisibleTime, '5000');
  assert.deepEqual(decodeChangeInvisibleTimeHeader(wire(c)), { ...ack, invisibleTime: 5000 });
});

test('NOTIFICATION header', () => {
  const h = {
    consumerGroup: 'G',
    topic: 'T',
    queueId: -1,
    pollTime: 5000,
    bornTime: 1700000000000,
    order: false,
    attemptId: undefined,
    brokerName: undefined,
  };
  const n = wire(buildNotificationRequest(h));
  assert.deepEqual(n.extFields, {
    consumerGroup: 'G',
    topic: 'T',
    queueId: '-1',
    pollTime: '5000',
    bornTime: '1700000000000',
    order: 'false',
  });
  assert.deepEqual(decodeNotificationHeader(n), h);
});

test('BATCH_ACK body: the JSON a 5.x client writes (short names, BitSet as base64 bytes)', () => {
  // As fastjson writes BatchAckMessageRequestBody for acks of offsets 10, 12 and 19 of a check point at 10.
  const java =
    '{"acks":[{"b":"BQI=","c":"G","it":3000,"pt":1700000000123,"q":1,"r":"0","rq":2,"so":10,"t":"T"}],"brokerName":"broker-a"}';
  const body = decodeBatchAckBody(Buffer.from(java));
  assert.deepEqual(body.acks[0]?.bits, [0, 2, 9]);
  assert.equal(encodeBatchAckBody('broker-a', body.acks).toString(), java);
  assert.throws(() => decodeBatchAckBody(Buffer.from('{"acks":[{"c":"G"}]}')), /topic is missing/);
});
