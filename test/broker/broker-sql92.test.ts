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

const pullSql = (expression: string, queueOffset = 0) =>
  c.call(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'sql_raw_group',
    topic: TOPIC,
    queueId: 0,
    queueOffset,
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

/** Pulls on from offset 0 to the queue's end (a filter may leave a pull empty), collecting matches and codes. */
async function pullAllSql(expression: string): Promise<{ got: number[]; codes: number[] }> {
  const got: number[] = [];
  const codes: number[] = [];
  let offset = 0;
  for (let i = 0; i < 50 && offset < 20; i++) {
    const r = await pullSql(expression, offset);
    codes.push(r.code);
    if (r.code !== ResponseCode.SUCCESS && r.code !== ResponseCode.PULL_RETRY_IMMEDIATELY) break;
    got.push(...numbers(r.body));
    offset = Number(r.extFields?.nextBeginOffset);
  }
  assert.equal(offset, 20, `pulled to the end (codes ${codes.join(',')})`);
  return { got, codes };
}

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

  const r = await pullAllSql("n >= 10 AND region = 'eu'");
  assert.deepEqual(r.got, [11, 13, 15, 17, 19]);
  assert.ok(r.codes.includes(ResponseCode.SUCCESS));

  // Nothing matches: every pull answers PULL_RETRY_IMMEDIATELY and moves past the filtered range.
  const none = await pullAllSql('n > 100');
  assert.deepEqual(none.got, []);
  assert.ok(
    none.codes.every((code) => code === ResponseCode.PULL_RETRY_IMMEDIATELY),
    none.codes.join(),
  );

  const missing = await pullAllSql('weight > 1'); // no such property: unknown, never a match
  assert.deepEqual(missing.got, []);

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
