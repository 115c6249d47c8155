import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Producer, PushConsumer } from '../../src/engine/client/index.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { RUN_JS } from '../helpers/servers.js';
import { type Cluster, startCluster } from './harness.js';

// Message traces (RocketMQ 4.9): with traceTopicEnable the broker has RMQ_SYS_TRACE_TOPIC; clients with
// trace on put their records there, keyed by the traced message ids; queryMsgTraceById reads them back.

let c: Cluster;
before(async () => {
  c = await startCluster({ traceTopicEnable: true });
});
after(async () => {
  await c?.stop();
});

const F = '\u0001';
const END = '\u0002';
// Records as the Java client's TraceDataEncoder writes them (4.9.8): a Pub, two consumer groups' SubAfter,
// and a Pub of another message in the same batch.
const PUB =
  [
    'Pub',
    '1700000000000',
    'DefaultRegion',
    'tracePG',
    'TraceTopic',
    'MSG1',
    'TagA',
    'k1',
    '10.0.0.9:10911',
    '5',
    '12',
    '0',
    'OFFSET1',
    'true',
  ].join(F) + END;
const SUB_A = ['SubAfter', 'req-1', 'MSG1', '7', 'true', 'k1', '0', '1700000001000', 'groupA'].join(F) + END;
const SUB_B = ['SubAfter', 'req-2', 'MSG1', '9', 'false', 'k1', '1', '1700000002000', 'groupB'].join(F) + END;
const OTHER =
  [
    'Pub',
    '1700000000500',
    'DefaultRegion',
    'tracePG',
    'TraceTopic',
    'MSG2',
    'TagB',
    '',
    '10.0.0.9:10911',
    '3',
    '4',
    '0',
    'OFFSET2',
    'true',
  ].join(F) + END;

function mq(args: string[]) {
  return spawnSync(process.execPath, [RUN_JS, ...args, '-n', c.namesrv], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test("traceTopicEnable creates the trace topic; queryMsgTraceById shows a message's Pub and Sub traces", {
  timeout: 60_000,
}, async () => {
  const topics = await c.call(RequestCode.GET_ALL_TOPIC_CONFIG);
  assert.match(topics.body!.toString(), /"RMQ_SYS_TRACE_TOPIC"/);

  const producer = new Producer({ namesrvAddr: c.namesrv, instanceName: `trace-${process.pid}` });
  await producer.start();
  try {
    const r = await producer.send({
      topic: 'RMQ_SYS_TRACE_TOPIC',
      body: PUB + SUB_A + SUB_B + OTHER,
      keys: ['MSG1', 'MSG2'],
    });
    assert.equal(r.sendStatus, 'SEND_OK');
  } finally {
    await producer.shutdown();
  }

  type Res = {
    traces: Array<{
      msgType: string;
      groupName: string;
      costTime: number;
      status: string;
      clientHost: string;
    }>;
  };
  let res: Res | undefined;
  for (let i = 0; i < 50; i++) {
    const j = mq(['queryMsgTraceById', '-i', 'MSG1', '--json']);
    assert.equal(j.status, 0, j.stderr);
    res = JSON.parse(j.stdout) as Res;
    if (res.traces.length) break;
    await new Promise((r) => setTimeout(r, 200)); // the index is built right after the put
  }
  assert.deepEqual(
    res!.traces.map((t) => [t.msgType, t.groupName, t.costTime, t.status]),
    [
      ['Pub', 'tracePG', 12, 'success'],
      ['SubAfter', 'groupA', 7, 'success'],
      ['SubAfter', 'groupB', 9, 'failed'],
    ],
  );
  assert.equal(res!.traces[0]!.clientHost, '127.0.0.1');

  const text = mq(['queryMsgTraceById', '-i', 'MSG1']);
  assert.equal(text.status, 0, text.stderr);
  const lines = text.stdout.split('\n');
  assert.match(lines[0]!, /^#Type +#ProducerGroup +#ClientHost +#SendTime +#CostTimes +#Status/);
  assert.match(lines[1]!, /^Pub +tracePG +127\.0\.0\.1 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +12ms +success/);
  assert.match(
    text.stdout,
    /#Type +#ConsumerGroup +#ClientHost +#ConsumerTime +#CostTimes +#Status *\nSub +group[AB] /,
  );
  assert.match(text.stdout, /Sub +groupB +127\.0\.0\.1 +\S+ \S+ +9ms +failed/);

  const none = mq(['queryMsgTraceById', '-i', 'NO_SUCH_MSG', '--json']);
  assert.equal(none.status, 0, none.stderr);
  assert.deepEqual((JSON.parse(none.stdout) as Res).traces, []);
});

test('our Producer and PushConsumer with enableMsgTrace record Pub and Sub traces that queryMsgTraceById finds', {
  timeout: 60_000,
}, async () => {
  await c.createTopic('TracedTopic', 1);
  const producer = new Producer({
    namesrvAddr: c.namesrv,
    groupName: 'tracedPG',
    instanceName: `traced-p-${process.pid}`,
    enableMsgTrace: true,
  });
  await producer.start();
  const sent = await producer.send({ topic: 'TracedTopic', body: 'traced', tags: 'T1', keys: 'order-7' });
  await producer.shutdown(); // flushes its trace records
  const consumer = new PushConsumer({
    namesrvAddr: c.namesrv,
    groupName: 'tracedCG',
    instanceName: `traced-c-${process.pid}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    enableMsgTrace: true,
  });
  let consumed = 0;
  consumer.subscribe('TracedTopic', '*').registerMessageListener(async () => {
    consumed++;
    return 'CONSUME_SUCCESS' as const;
  });
  await consumer.start();
  try {
    for (let i = 0; i < 100 && consumed === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(consumed, 1);
  } finally {
    await consumer.shutdown(); // flushes the consumer's trace records
  }
  type Res = {
    traces: Array<{ msgType: string; groupName: string; status: string; tags?: string; keys?: string }>;
  };
  let res: Res | undefined;
  for (let i = 0; i < 50; i++) {
    const j = mq(['queryMsgTraceById', '-i', sent.msgId, '--json']);
    assert.equal(j.status, 0, j.stderr);
    res = JSON.parse(j.stdout) as Res;
    if (res.traces.some((t) => t.msgType === 'SubAfter')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const byType = Object.fromEntries(res!.traces.map((t) => [t.msgType, t]));
  assert.equal(byType.Pub?.groupName, 'tracedPG');
  assert.equal(byType.Pub?.status, 'success');
  assert.equal(byType.Pub?.tags, 'T1');
  assert.equal(byType.Pub?.keys, 'order-7');
  assert.equal(byType.SubAfter?.groupName, 'tracedCG');
  assert.equal(byType.SubAfter?.status, 'success');
  const text = mq(['queryMsgTraceById', '-i', sent.msgId]);
  assert.match(text.stdout, /^Pub +tracedPG /m);
  assert.match(text.stdout, /^Sub +tracedCG /m);

  // The CLI: `mq producer send --trace`.
  const cli = mq(['producer', 'send', '-t', 'TracedTopic', '-b', 'from cli', '--trace', '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  const cliId = (JSON.parse(cli.stdout) as { msgId: string }).msgId;
  let pub = false;
  for (let i = 0; i < 50 && !pub; i++) {
    const j = JSON.parse(mq(['queryMsgTraceById', '-i', cliId, '--json']).stdout) as Res;
    pub = j.traces.some((t) => t.msgType === 'Pub' && t.status === 'success');
    if (!pub) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(pub, 'the CLI send was traced');
});
