// Issue 15 item 7, the send check: with enableTopicMessageTypeCheck=true the broker applies 5.x's
// TopicMessageTypeValidator on the classic path (the proxy applies it by default in 5.x); an untyped 4.x
// topic is NORMAL. Item 5: a timer send to a broker with timerWheelEnable=false gets 5.x's refusal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { buildSendMessageRequest } from '../../src/engine/protocol/requests/send-message.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { type Cluster, startCluster } from '../broker/harness.js';

let c: Cluster;

before(async () => {
  c = await startCluster({ enableTopicMessageTypeCheck: true, timerWheelEnable: false });
  await c.createTopic('TypedFifo', 1, { attributes: '+message.type=FIFO' });
  await c.createTopic('TypedDelay', 1, { attributes: '+message.type=DELAY' });
  await c.createTopic('Untyped', 1);
});
after(async () => {
  await c?.stop();
});

async function send(topic: string, props: Record<string, string>) {
  const properties = Object.entries({ UNIQ_KEY: `K${Math.random()}`, WAIT: 'true', ...props })
    .map(([k, v]) => `${k}\u0001${v}`)
    .join('\u0002');
  const req = buildSendMessageRequest(
    {
      producerGroup: 'PG',
      topic,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: 0,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      flag: 0,
      properties,
      unitMode: false,
      batch: false,
    },
    Buffer.from('body'),
  );
  return c.client.invoke(c.brokerAddr, req, 5000);
}

const conflict = (expected: string, actual: string) =>
  `TopicMessageType validate failed, the expected type is ${expected}, but actual type is ${actual}`;

test('a FIFO topic takes messages with a message group only', async () => {
  const plain = await send('TypedFifo', {});
  assert.equal(plain.code, ResponseCode.MESSAGE_ILLEGAL);
  assert.equal(plain.remark, conflict('FIFO', 'NORMAL'));
  assert.equal((await send('TypedFifo', { __SHARDINGKEY: 'g1' })).code, ResponseCode.SUCCESS);
  const max = await c.call(RequestCode.GET_MAX_OFFSET, { topic: 'TypedFifo', queueId: 0 });
  assert.equal(max.extFields?.offset, '1', 'only the FIFO message was stored');
});

test('a DELAY topic takes delayed messages; an untyped topic is NORMAL', async () => {
  assert.equal((await send('TypedDelay', { DELAY: '1' })).code, ResponseCode.SUCCESS);
  const plain = await send('TypedDelay', {});
  assert.equal(plain.remark, conflict('DELAY', 'NORMAL'));
  assert.equal((await send('Untyped', {})).code, ResponseCode.SUCCESS);
  const delayed = await send('Untyped', { DELAY: '2' });
  assert.equal(delayed.code, ResponseCode.MESSAGE_ILLEGAL);
  assert.equal(delayed.remark, conflict('NORMAL', 'DELAY'));
  // Messages a broker moves itself (TRANSFER_FLAG) are not checked, as in 5.x.
  assert.equal((await send('Untyped', { DELAY: '2', TRANSFER_FLAG: 'true' })).code, ResponseCode.SUCCESS);
});

test('timerWheelEnable=false: a timer message is refused as 5.x refuses it', async () => {
  const r = await send('TypedDelay', { TIMER_DELAY_SEC: '5' });
  assert.equal(r.code, ResponseCode.SYSTEM_ERROR);
  assert.equal(r.remark, 'accurate timer message is not enabled, timerWheelEnable is false');
});
