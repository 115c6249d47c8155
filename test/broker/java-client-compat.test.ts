import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeConsumeStatsList } from '../../src/engine/protocol/bodies/consume-stats-list.js';
import {
  encodeSubscriptionGroupConfig,
  newSubscriptionGroupConfig,
} from '../../src/engine/protocol/bodies/subscription-group-config.js';
import { decodeRecords, encodeProperties } from '../../src/engine/protocol/message/index.js';
import {
  createRequest,
  createResponse,
  type RemotingCommand,
} from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import { type Cluster, startCluster } from './harness.js';

// Requests exactly as the Apache RocketMQ 4.9.8 Java client/mqadmin sends them (found by running the real
// Java tools against our servers); each test pins a header shape ali-ons never produces.

const LONG_MAX = 9223372036854775807n;
let c: Cluster;

before(async () => {
  c = await startCluster();
  await c.createTopic('JavaCompat', 2);
});
after(async () => {
  await c?.stop();
});

async function send(key: string, uniq: string, body: string) {
  const r = await c.call(
    RequestCode.SEND_MESSAGE_V2,
    {
      a: 'PG_java',
      b: 'JavaCompat',
      c: 'TBW102',
      d: 4,
      e: 0,
      f: 0,
      g: Date.now(),
      h: 0,
      i: encodeProperties({ KEYS: key, UNIQ_KEY: uniq, TAGS: 'TagA', WAIT: 'true' }),
      j: 0,
      k: false,
    },
    Buffer.from(body),
  );
  assert.equal(r.code, 0, r.remark);
}

/** QUERY_MESSAGE, retried while the index dispatch catches up. */
async function query(ext: Record<string, string | number | bigint>) {
  for (let i = 0; ; i++) {
    const r = await c.call(RequestCode.QUERY_MESSAGE, ext);
    if (r.code === 0 || i >= 40) return r;
    await sleep(50);
  }
}

test('QUERY_MESSAGE accepts endTimestamp = Long.MAX_VALUE (mqadmin queryMsgByKey)', {
  timeout: 20_000,
}, async () => {
  await send('order-42', '0A000001000018B4AAC2000000000001', 'by key');
  const r = await query({
    topic: 'JavaCompat',
    key: 'order-42',
    maxNum: 64,
    beginTimestamp: 0,
    endTimestamp: LONG_MAX,
  });
  assert.equal(r.code, 0, r.remark ?? '');
  const recs = decodeRecords(r.body!);
  assert.equal(recs.length, 1);
  assert.equal(recs[0]!.body.toString(), 'by key');
});

test('QUERY_MESSAGE by UNIQ_KEY with endTimestamp = Long.MAX_VALUE (queryMsgById fallback)', {
  timeout: 20_000,
}, async () => {
  const uniq = '0A000001000018B4AAC2000000000002';
  await send('other', uniq, 'by uniq key');
  const r = await query({
    topic: 'JavaCompat',
    key: uniq,
    maxNum: 32,
    beginTimestamp: Date.now() - 60_000,
    endTimestamp: LONG_MAX,
    _UNIQUE_KEY_QUERY: 'true',
  });
  assert.equal(r.code, 0, r.remark ?? '');
  assert.equal(decodeRecords(r.body!)[0]!.body.toString(), 'by uniq key');
});

test('GET_BROKER_CONSUME_STATS (mqadmin brokerConsumeStats): every group, offsets, total diff', {
  timeout: 20_000,
}, async () => {
  for (let i = 0; i < 3; i++) await send(`stats-${i}`, `0A000001000018B4AAC20000000001${i}0`, 'x');
  const sg = await c.call(
    RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
    undefined,
    encodeSubscriptionGroupConfig(newSubscriptionGroupConfig('CG_stats')),
  );
  assert.equal(sg.code, 0, sg.remark ?? '');
  // Which queues the sends landed on does not matter: commit offset 1 on queue 0 only.
  const up = await c.call(RequestCode.UPDATE_CONSUMER_OFFSET, {
    consumerGroup: 'CG_stats',
    topic: 'JavaCompat',
    queueId: 0,
    commitOffset: 1,
  });
  assert.equal(up.code, 0, up.remark ?? '');
  const r = await c.call(RequestCode.GET_BROKER_CONSUME_STATS, { isOrder: false });
  assert.equal(r.code, 0, r.remark ?? '');
  const text = r.body!.toString();
  assert.match(text, /^\{"brokerAddr":"[^"]+","consumeStatsList":\[\{"/);
  assert.match(
    text,
    /"consumeTps":0\.0,"offsetTable":\{\{"brokerName":"broker-t","queueId":0,"topic":"JavaCompat"\}:\{/,
  );
  const list = decodeConsumeStatsList(r.body!);
  assert.equal(list.brokerAddr, c.brokerAddr);
  const mine = list.consumeStatsList.find(([g]) => g === 'CG_stats');
  assert.ok(mine, `CG_stats missing from ${text}`);
  assert.equal(mine[1].length, 1);
  const rows = mine[1][0]!.offsetTable.sort((a, b) => a[0].queueId - b[0].queueId);
  assert.deepEqual(
    rows.map(([mq]) => `${mq.topic}:${mq.queueId}`),
    ['JavaCompat:0', 'JavaCompat:1'],
  );
  assert.equal(rows[0]![1].consumerOffset, 1);
  const diff = rows.reduce((d, [, w]) => d + w.brokerOffset - w.consumerOffset, 0);
  assert.ok(diff >= 2);
  assert.equal(list.totalDiff, diff);
  // isOrder: only order topics count, and JavaCompat is not one.
  const ordered = decodeConsumeStatsList(
    (await c.call(RequestCode.GET_BROKER_CONSUME_STATS, { isOrder: true })).body!,
  );
  assert.deepEqual(ordered.consumeStatsList.find(([g]) => g === 'CG_stats')?.[1], []);
});

test('request-reply: SEND_REPLY_MESSAGE_V2 is pushed to the requester (PUSH_REPLY_MESSAGE_TO_CLIENT) and stored', {
  timeout: 20_000,
}, async (t) => {
  // The requester: a producer client whose heartbeat names it, answering the broker's push like Java does.
  const requester = new RemotingClient({ idleMs: 0 });
  t.after(() => requester.close());
  const pushes: RemotingCommand[] = [];
  requester.registerProcessor(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, (req) => {
    pushes.push(req);
    return createResponse(req, 0);
  });
  const hb = await requester.invoke(
    c.brokerAddr,
    createRequest(
      RequestCode.HEART_BEAT,
      undefined,
      Buffer.from(
        JSON.stringify({
          clientID: 'req@1',
          consumerDataSet: [],
          producerDataSet: [{ groupName: 'PG_req' }],
        }),
      ),
    ),
    5000,
  );
  assert.equal(hb.code, 0);

  const replyTopic = 'TestCluster_REPLY_TOPIC';
  const sendReply = (replyTo: string) =>
    c.call(
      RequestCode.SEND_REPLY_MESSAGE_V2,
      {
        a: 'PG_replier',
        b: replyTopic,
        c: 'TBW102',
        d: 4,
        e: -1,
        f: 0,
        g: 1700000000000,
        h: 0,
        i: encodeProperties({
          CORRELATION_ID: 'corr-1',
          REPLY_TO_CLIENT: replyTo,
          MSG_TYPE: 'reply',
          TTL: '3000',
        }),
        j: 0,
        k: false,
      },
      Buffer.from('pong'),
    );
  const r = await sendReply('req@1');
  assert.equal(r.code, 0, r.remark ?? '');
  assert.equal(pushes.length, 1);
  const p = pushes[0]!;
  const ext = p.extFields!;
  assert.equal(ext.topic, replyTopic);
  assert.equal(ext.producerGroup, 'PG_replier');
  assert.equal(ext.bornTimestamp, '1700000000000');
  assert.match(ext.bornHost!, /^127\.0\.0\.1:\d+$/);
  assert.equal(ext.storeHost, c.brokerAddr);
  assert.ok(Number(ext.storeTimestamp) > 0);
  assert.match(ext.properties!, /CORRELATION_ID\u0001corr-1\u0002/);
  assert.match(ext.properties!, /PUSH_REPLY_TIME\u0001\d+(\u0002|$)/);
  assert.equal(p.body!.toString(), 'pong');
  // Stored too (storeReplyMessageEnable): the reply carries the real offset msgId.
  assert.notEqual(r.extFields!.msgId, '0');
  const view = await c.call(RequestCode.VIEW_MESSAGE_BY_ID, {
    offset: Number.parseInt(r.extFields!.msgId!.slice(16), 16),
  });
  assert.equal(view.code, 0);
  assert.equal(decodeRecords(view.body!)[0]!.body.toString(), 'pong');

  // A requester that is not connected: Java answers SYSTEM_ERROR naming it.
  const gone = await sendReply('nobody@9');
  assert.equal(gone.code, 1);
  assert.match(gone.remark ?? '', /channel of <nobody@9> not found/);
});
