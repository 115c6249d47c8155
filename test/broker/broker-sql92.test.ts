import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { MessageSelector, Producer, PushConsumer } from '../../src/engine/client/index.js';
import { decodeRecords } from '../../src/engine/protocol/message/index.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { RUN_JS } from '../helpers/servers.js';
import { type Cluster, startCluster } from './harness.js';

// SQL92 selectors (MessageSelector.bySql) against `mq broker start`: refused while enablePropertyFilter is
// off, filtered by the broker on message properties once it is on; our consumers and CLI use it.

const TOPIC = 'SqlTopic';
let c: Cluster;
let producer: Producer;

before(async () => {
  c = await startCluster({ enablePropertyFilter: false });
  await c.createTopic(TOPIC, 1);
  producer = new Producer({ namesrvAddr: c.namesrv, instanceName: `sql92-${process.pid}` });
  await producer.start();
  for (let n = 0; n < 20; n++) {
    const r = await producer.send({
      topic: TOPIC,
      tags: 'T',
      body: `m${n}`,
      properties: { n: String(n), region: n % 2 ? 'eu' : 'us' },
    });
    assert.equal(r.sendStatus, 'SEND_OK');
  }
});

after(async () => {
  await producer?.shutdown();
  await c?.stop();
});

const pullSql = (expression: string) =>
  c.call(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'sql_raw_group',
    topic: TOPIC,
    queueId: 0,
    queueOffset: 0,
    maxMsgNums: 32,
    sysFlag: 4, // subscription in the request
    commitOffset: 0,
    suspendTimeoutMillis: 0,
    subscription: expression,
    subVersion: Date.now(),
    expressionType: 'SQL92',
  });

const numbers = (body: Buffer | null | undefined) =>
  body ? decodeRecords(body).map((r) => Number(r.properties.n)) : [];

test('while enablePropertyFilter=false: pulls and consumer start are refused with the reason', async () => {
  const r = await pullSql('n > 1');
  assert.equal(r.code, ResponseCode.SYSTEM_ERROR);
  assert.match(r.remark!, /does not support consumer to filter message by SQL92/);
  const consumer = new PushConsumer({
    namesrvAddr: c.namesrv,
    groupName: 'sql_refused_group',
    instanceName: `sql92-refused-${process.pid}`,
  });
  consumer.subscribe(TOPIC, MessageSelector.bySql('n > 1'));
  consumer.registerMessageListener(async () => 'CONSUME_SUCCESS' as const);
  await assert.rejects(consumer.start(), /does not support consumer to filter message by SQL92/);
  await consumer.shutdown();
});

test('enabled: the broker returns only matching messages; bad SQL and no match are answered as Java does', async () => {
  const upd = await c.call(RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('enablePropertyFilter=true\n'));
  assert.equal(upd.code, ResponseCode.SUCCESS, upd.remark);

  const r = await pullSql("n >= 10 AND region = 'eu'");
  assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
  assert.deepEqual(numbers(r.body), [11, 13, 15, 17, 19]);
  assert.equal(r.extFields?.nextBeginOffset, '20');

  const none = await pullSql('n > 100');
  assert.equal(none.code, ResponseCode.PULL_RETRY_IMMEDIATELY);
  assert.equal(none.extFields?.nextBeginOffset, '20', 'the filtered range is skipped');

  const missing = await pullSql('weight > 1'); // no such property: unknown, never a match
  assert.equal(missing.code, ResponseCode.PULL_RETRY_IMMEDIATELY);

  const bad = await pullSql('n >');
  assert.equal(bad.code, ResponseCode.SUBSCRIPTION_PARSE_FAILED);
  assert.match(bad.remark!, /n >.*column 4/);
});

test('mq consumer tail --sql receives exactly the matching messages; a bad selector is one line', {
  timeout: 60_000,
}, () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, [RUN_JS, 'consumer', 'tail', '-n', c.namesrv, '-t', TOPIC, ...args], {
      encoding: 'utf8',
      timeout: 45_000,
    });
  const ok = run(['--sql', "region = 'us' AND n < 6", '--from', 'first', '--count', '3', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const got = ok.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { body: string; properties: Record<string, string> });
  assert.deepEqual(got.map((m) => m.properties.n).sort(), ['0', '2', '4']);
  const bad = run(['--sql', "region = 'us' AND", '--from', 'first', '--count', '1']);
  assert.notEqual(bad.status, 0);
  const lines = bad.stderr.trim().split('\n');
  assert.equal(lines.length, 1, bad.stderr);
  assert.match(lines[0]!, /expected a property, a literal or \( but found the end/);
});
