// Issue 15 item 5: RocketMQ 5 timer messages (TIMER_DELAY_SEC / TIMER_DELAY_MS / TIMER_DELIVER_MS) on a
// real broker: parked in rmq_sys_wheel_timer, delivered to the real topic when due (never before),
// refused past timerMaxDelaySec, kept over a restart and over kill -9.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type MessageExt, Producer, PushConsumer } from '../../src/engine/client/index.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { ResponseError } from '../../src/engine/protocol/response-error.js';
import { type Cluster, startCluster } from '../broker/harness.js';
import { killProc, stopProc } from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

const waitFor = (cond: () => boolean, timeoutMs: number, what: string) =>
  pollUntil(cond, { what, timeoutMs, everyMs: 50 });

let c: Cluster;
let producer: Producer;
let seq = 0;
const instance = () => `timer${process.pid}-${++seq}`;
const PRECISION_MS = 1000;

before(async () => {
  c = await startCluster();
  producer = new Producer({ namesrvAddr: c.namesrv, instanceName: instance(), groupName: 'PG_TIMER' });
  await producer.start();
});
after(async () => {
  await producer?.shutdown();
  await c?.stop();
});

interface Got {
  m: MessageExt;
  at: number;
}

async function consume(topic: string, got: Got[]): Promise<PushConsumer> {
  const consumer = new PushConsumer({
    namesrvAddr: c.namesrv,
    instanceName: instance(),
    groupName: `CG_${topic}_${seq}`,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener((msgs) => {
    for (const m of msgs) got.push({ m, at: Date.now() });
    if (process.env.TIMER_DEBUG)
      console.log('got', msgs.map((m) => m.body.toString()).join(','), Date.now() % 100000);
    return 'CONSUME_SUCCESS';
  });
  await consumer.start();
  return consumer;
}

/** Each body arrived once at least, not before its due time, and at most one tick (+ slack) after it. */
function assertOnTime(got: Got[], due: Map<string, number>, slackMs: number): void {
  for (const [body, at] of due) {
    const first = got.find((g) => g.m.body.toString() === body);
    assert.ok(first, `${body} delivered`);
    assert.ok(first.at >= at, `${body} arrived ${at - first.at} ms before its time`);
    assert.ok(first.at <= at + PRECISION_MS + slackMs, `${body} arrived ${first.at - at} ms after its time`);
  }
}

test('TIMER_DELAY_SEC=2, TIMER_DELAY_MS and TIMER_DELIVER_MS: a push consumer gets each when due, not before', {
  timeout: 60_000,
}, async () => {
  const topic = 'TimerTopicA';
  await c.createTopic(topic, 4);
  const got: Got[] = [];
  const consumer = await consume(topic, got);
  try {
    await producer.send({ topic, body: 'now' });
    await waitFor(() => got.length >= 1, 15_000, 'the plain message (consumer ready)');
    const due = new Map<string, number>();
    let t = Date.now();
    const a = await producer.send({ topic, body: 'sec2', delayTimeSec: 2, tags: 'T', keys: 'k-sec2' });
    due.set('sec2', t + 2000);
    t = Date.now();
    await producer.send({ topic, body: 'ms1500', delayTimeMs: 1500 });
    due.set('ms1500', t + 1500);
    const at = Date.now() + 3000;
    await producer.send({ topic, body: 'at3000', deliverTimeMs: at });
    due.set('at3000', at);
    // The send answers for the real topic; the message waits in the timer topic meanwhile.
    assert.equal(a.messageQueue.topic, topic);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(
      got.map((g) => g.m.body.toString()),
      ['now'],
      'nothing delivered after 1 s',
    );
    await waitFor(() => got.length >= 4, 15_000, 'three timer messages');
    assertOnTime(got, due, 2500);
    const sec2 = got.find((g) => g.m.body.toString() === 'sec2')!.m;
    assert.equal(sec2.tags, 'T');
    assert.equal(sec2.keys, 'k-sec2');
    assert.equal(sec2.topic, topic);
    assert.ok(Number(sec2.properties.TIMER_OUT_MS) >= due.get('sec2')!, 'TIMER_OUT_MS is the slot time');
    assert.ok(sec2.properties.TIMER_ENQUEUE_MS && sec2.properties.TIMER_DEQUEUE_MS);
    assert.equal(sec2.properties.REAL_TOPIC, undefined);
    // The wheel and log are on disk under the store root, as 5.x keeps them.
    assert.ok(existsSync(join(c.dir, 'store', 'timerwheel')));
    assert.ok(existsSync(join(c.dir, 'store', 'config', 'timercheck')));
  } finally {
    await consumer.shutdown();
  }
});

test('a delay past timerMaxDelaySec (3 days) or a malformed one is refused with 5.x error; nothing is stored', async () => {
  const topic = 'TimerTopicB';
  await c.createTopic(topic, 1);
  const before = await c.call(RequestCode.GET_MAX_OFFSET, { topic: 'rmq_sys_wheel_timer', queueId: 0 });
  for (const m of [
    { topic, body: 'far', delayTimeSec: 3 * 86_400 + 60 },
    { topic, body: 'far2', deliverTimeMs: Date.now() + 4 * 86_400_000 },
  ]) {
    await assert.rejects(
      producer.send(m),
      (e: unknown) =>
        e instanceof ResponseError &&
        e.code === ResponseCode.MESSAGE_ILLEGAL &&
        /timer message illegal, the delay time should not be bigger than the max delay 259200000ms/.test(
          e.message,
        ),
    );
  }
  const afterSend = await c.call(RequestCode.GET_MAX_OFFSET, { topic: 'rmq_sys_wheel_timer', queueId: 0 });
  assert.equal(afterSend.extFields?.offset, before.extFields?.offset);
  const real = await c.call(RequestCode.GET_MAX_OFFSET, { topic, queueId: 0 });
  assert.equal(real.extFields?.offset, '0');
  // Producers may not write into the timer topic itself.
  await assert.rejects(producer.send({ topic: 'rmq_sys_wheel_timer', body: 'x' }), /forbidden/);
});

async function sendTimers(topic: string, n: number, fromMs: number, spreadMs: number, name = topic) {
  const due = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const at = Date.now() + fromMs + Math.floor((spreadMs * i) / n);
    await producer.send({ topic, body: `${name}-${i}`, deliverTimeMs: at });
    due.set(`${name}-${i}`, at);
  }
  return due;
}

test('pending timers survive a broker restart', { timeout: 90_000 }, async () => {
  const topic = 'TimerTopicRestart';
  await c.createTopic(topic, 2);
  const due = await sendTimers(topic, 20, 4000, 2000);
  await stopProc(c.broker);
  await c.restartBroker();
  const got: Got[] = [];
  const consumer = await consume(topic, got);
  try {
    await waitFor(() => new Set(got.map((g) => g.m.body.toString())).size >= 20, 30_000, '20 timers');
    assertOnTime(got, due, 4000);
  } finally {
    await consumer.shutdown();
  }
});

test('pending timers survive kill -9 of the broker (filed and not yet filed)', {
  timeout: 90_000,
}, async () => {
  const topic = 'TimerTopicKill';
  await c.createTopic(topic, 2);
  const due = await sendTimers(topic, 30, 3000, 3000);
  await new Promise((r) => setTimeout(r, 300)); // most are filed in the wheel by now
  const late = await sendTimers(topic, 10, 5000, 1000, 'late'); // these may not be
  await killProc(c.broker, 'SIGKILL');
  await c.restartBroker();
  const got: Got[] = [];
  const consumer = await consume(topic, got);
  try {
    await waitFor(() => new Set(got.map((g) => g.m.body.toString())).size >= 40, 40_000, '40 timers').catch(
      (e) => {
        const seen = new Set(got.map((g) => g.m.body.toString()));
        const missing = [...due.keys(), ...late.keys()].filter((b) => !seen.has(b));
        throw new Error(`${(e as Error).message}; missing ${missing.join(' ')}`);
      },
    );
    // Delivered when due; the ones already due while the broker was down come right after it is back.
    for (const [body, at] of [...due, ...late]) {
      const first = got.find((g) => g.m.body.toString() === body)!;
      assert.ok(
        first.at >= at,
        `${body} arrived ${at - first.at} ms early: ${JSON.stringify(first.m.properties)} ${first.at}`,
      );
    }
  } finally {
    await consumer.shutdown();
  }
});
