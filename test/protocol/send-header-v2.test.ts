import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequest, type RemotingCommand } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { decodeSendHeader } from '../../src/engine/protocol/requests/send-message.js';

// SEND_MESSAGE_V2 headers are read by their fixed one-letter names with a char-by-char int reader; every
// value must come out as Java's parseInt / parseLong / parseBoolean read it, and bad ones fail the same way.

const V2_OF: Record<string, string> = {
  producerGroup: 'a',
  topic: 'b',
  defaultTopic: 'c',
  defaultTopicQueueNums: 'd',
  queueId: 'e',
  sysFlag: 'f',
  bornTimestamp: 'g',
  flag: 'h',
  properties: 'i',
  reconsumeTimes: 'j',
  unitMode: 'k',
  maxReconsumeTimes: 'l',
  batch: 'm',
  brokerName: 'n',
};

const good: Record<string, string> = {
  producerGroup: 'PG',
  topic: 'T',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: '4',
  queueId: '3',
  sysFlag: '0',
  bornTimestamp: '1733234567890',
  flag: '0',
};

function v2(fields: Record<string, string | undefined>, code: number = RequestCode.SEND_MESSAGE_V2) {
  const ext: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) ext[V2_OF[k]!] = v;
  return { ...createRequest(code, {}), extFields: ext } as RemotingCommand;
}

function v1(fields: Record<string, string | undefined>): RemotingCommand {
  const ext: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) ext[k === 'brokerName' ? 'bname' : k] = v;
  return { ...createRequest(RequestCode.SEND_MESSAGE, {}), extFields: ext } as RemotingCommand;
}

test('V2 letters and V1 names read the same header, odd but valid numbers included', () => {
  const cases: Array<Record<string, string>> = [
    { ...good },
    { ...good, queueId: '-1', sysFlag: '007', flag: '-0', reconsumeTimes: '+5', maxReconsumeTimes: '16' },
    {
      ...good,
      queueId: '2147483647',
      flag: '-2147483648',
      sysFlag: '123456789',
      defaultTopicQueueNums: '1234567890',
    },
    {
      ...good,
      bornTimestamp: '9007199254740991',
      unitMode: 'TRUE',
      batch: 'yes',
      properties: 'A\u0001b',
      brokerName: 'bn',
    },
    { ...good, bornTimestamp: '-5', unitMode: 'false', batch: 'True', properties: '' },
  ];
  for (const c of cases) {
    const fromV2 = decodeSendHeader(v2(c));
    assert.deepEqual(fromV2, decodeSendHeader(v1(c)), JSON.stringify(c));
    assert.deepEqual(decodeSendHeader(v2(c, RequestCode.SEND_BATCH_MESSAGE)), fromV2);
  }
  const odd = decodeSendHeader(v2(cases[1]!));
  assert.equal(odd.queueId, -1);
  assert.equal(odd.sysFlag, 7);
  assert.ok(Object.is(odd.flag, -0), 'parseInt("-0") reads as the general reader does');
  assert.equal(odd.reconsumeTimes, 5);
  const big = decodeSendHeader(v2(cases[2]!));
  assert.equal(big.queueId, 2147483647);
  assert.equal(big.flag, -2147483648);
  assert.equal(big.defaultTopicQueueNums, 1234567890);
  const bools = decodeSendHeader(v2(cases[3]!));
  assert.equal(bools.unitMode, true);
  assert.equal(bools.batch, false);
  assert.equal(bools.bornTimestamp, 9007199254740991);
});

test('bad V2 values are refused with the field named, as on the V1 path', () => {
  const bad: Array<[Record<string, string | undefined>, RegExp]> = [
    [{ ...good, producerGroup: undefined }, /the custom field <a> is null/],
    [{ ...good, queueId: undefined }, /the custom field <e> is null/],
    [{ ...good, queueId: '' }, /the custom field <e> is not an int: ""/],
    [{ ...good, queueId: '-' }, /the custom field <e> is not an int: "-"/],
    [{ ...good, queueId: '1.5' }, /the custom field <e> is not an int: "1.5"/],
    [{ ...good, queueId: '2147483648' }, /the custom field <e> is not an int: "2147483648"/],
    [{ ...good, sysFlag: '12a' }, /the custom field <f> is not an int: "12a"/],
    [{ ...good, flag: '--1' }, /the custom field <h> is not an int: "--1"/],
    [{ ...good, reconsumeTimes: ' 1' }, /the custom field <j> is not an int: " 1"/],
    [{ ...good, bornTimestamp: '12345678901234567890' }, /the custom field <g> is out of long range/],
    [{ ...good, bornTimestamp: '9007199254740993' }, /the custom field <g> exceeds 2\^53/],
    [{ ...good, bornTimestamp: 'now' }, /the custom field <g> is not a long: "now"/],
  ];
  for (const [fields, why] of bad) {
    assert.throws(() => decodeSendHeader(v2(fields)), why, JSON.stringify(fields));
  }
});
