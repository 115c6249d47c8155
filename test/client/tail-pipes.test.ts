// `mq consumer tail` in shell pipes and under signals: it exits when the reader of its stdout goes away,
// commits only what it wrote out, and without -g leaves no consumer group on the broker.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { type CliRun, RUN_JS, runCli, runCliUntilLines } from '../helpers/servers.js';
import { type Cluster, startCluster } from './servers.js';

let cluster: Cluster;
let admin: AdminClient;
before(async () => {
  cluster = await startCluster();
  admin = new AdminClient({ namesrvAddr: cluster.namesrv });
});
after(async () => {
  await admin?.close();
  await cluster?.stop();
});

const mq = (args: string[], stdin?: string) =>
  runCli([...args, '-n', cluster.namesrv], { env: cluster.env, stdin, timeoutMs: 40_000 });

/** A topic with one queue, so "the first k messages" is a well-defined set. */
async function oneQueueTopic(topic: string): Promise<void> {
  const r = await mq(['updateTopic', '-b', cluster.brokers[0]!, '-t', topic, '-r', '1', '-w', '1']);
  assert.equal(r.code, 0, r.stderr);
}

async function send(topic: string, bodies: string[]): Promise<void> {
  const r = await mq(['producer', 'send', '-t', topic, '--json'], `${bodies.join('\n')}\n`);
  assert.equal(r.code, 0, r.stderr);
}

/** `sh -c '<tail …> | <reader>'`, killed after `timeoutMs`; resolves with the pipeline's output and time. */
function pipeline(tailArgs: string[], reader: string, timeoutMs = 30_000): Promise<CliRun & { ms: number }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `${[process.execPath, RUN_JS, 'consumer', 'tail', '-n', cluster.namesrv, ...tailArgs].map(quote).join(' ')} | ${reader}`;
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills the whole pipeline (tail included), not only sh.
    const child = spawn('sh', ['-c', cmd], {
      env: cluster.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`"… | ${reader}" still running after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

const bodiesOf = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { body: string }).body);

/** The group's committed offset of each queue of `topic` (-1: none). */
async function committed(group: string, topic: string): Promise<number[]> {
  const cs = await admin.examineConsumeStats(group, topic);
  return cs.offsetTable.sort(([a], [b]) => a.queueId - b.queueId).map(([, w]) => w.consumerOffset);
}

test('tail -g … | head -2 exits at once and commits only the two messages head printed', {
  timeout: 90_000,
}, async () => {
  const topic = `PipeHead_${process.pid}`;
  const group = `CG_PIPE_HEAD_${process.pid}`;
  await oneQueueTopic(topic);
  // Each JSON line is larger than a pipe's buffer (64 KiB): the write of the third message cannot have
  // completed when head exits, so exactly two messages were written out.
  const bodies = Array.from({ length: 12 }, (_, i) => `m-${i}-${randomBytes(60_000).toString('hex')}`);
  await send(topic, bodies);

  const first = await pipeline(['-t', topic, '-g', group, '--from', 'first', '--json'], 'head -2');
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(bodiesOf(first.stdout), bodies.slice(0, 2));
  assert.ok(first.ms < 15_000, `the pipeline took ${first.ms} ms`);
  assert.deepEqual(await committed(group, topic), [2]);

  // The same group, again through a pipe, then to the end: every message it never printed, once each.
  const second = await pipeline(['-t', topic, '-g', group, '--json'], 'head -3');
  assert.deepEqual(bodiesOf(second.stdout), bodies.slice(2, 5));
  assert.deepEqual(await committed(group, topic), [5]);
  const rest = await mq(['consumer', 'tail', '-t', topic, '-g', group, '--count', '7', '--json']);
  assert.equal(rest.code, 0, rest.stderr);
  assert.deepEqual(bodiesOf(rest.stdout), bodies.slice(5));
  assert.deepEqual(await committed(group, topic), [12]);
});

test('SIGTERM: tail -g commits exactly what it printed, exits 0, and the group resumes after it', {
  timeout: 60_000,
}, async () => {
  const topic = `PipeTerm_${process.pid}`;
  const group = `CG_PIPE_TERM_${process.pid}`;
  await oneQueueTopic(topic);
  const bodies = Array.from({ length: 400 }, (_, i) => `t-${i}`);
  await send(topic, bodies);
  const first = await runCliUntilLines(
    ['consumer', 'tail', '-n', cluster.namesrv, '-t', topic, '-g', group, '--from', 'first', '--json'],
    {
      env: cluster.env,
      lines: 50,
      signal: 'SIGTERM',
    },
  );
  assert.equal(first.code, 0, first.stderr);
  const printed = bodiesOf(first.stdout);
  assert.ok(printed.length >= 50 && printed.length < 400, `printed ${printed.length}`);
  assert.deepEqual(printed, bodies.slice(0, printed.length));
  assert.deepEqual(await committed(group, topic), [printed.length]);
  const rest = await mq([
    'consumer',
    'tail',
    '-t',
    topic,
    '-g',
    group,
    '--count',
    String(400 - printed.length),
    '--json',
  ]);
  assert.equal(rest.code, 0, rest.stderr);
  assert.deepEqual(bodiesOf(rest.stdout), bodies.slice(printed.length));
});

test('tail without -g leaves no consumer group, offset or subscription on the broker', {
  timeout: 60_000,
}, async () => {
  const topic = `PipeNoGroup_${process.pid}`;
  await oneQueueTopic(topic);
  // Lines larger than a pipe's buffer, as above: the third write fails once head is gone. (A tail with
  // nothing more to write notices the closed pipe only at its next message, as kcat does.)
  const bodies = Array.from({ length: 12 }, (_, i) => `n-${i}-${randomBytes(60_000).toString('hex')}`);
  await send(topic, bodies);
  const broker = cluster.brokers[0]!;
  const groupsBefore = Object.keys((await admin.getAllSubscriptionGroup(broker)).subscriptionGroupTable);

  const piped = await pipeline(['-t', topic, '--from', 'first', '--json'], 'head -2');
  assert.equal(piped.code, 0, piped.stderr);
  assert.deepEqual(bodiesOf(piped.stdout), bodies.slice(0, 2));
  assert.ok(piped.ms < 15_000, `the pipeline took ${piped.ms} ms`);
  const counted = await mq(['consumer', 'tail', '-t', topic, '--from', 'first', '--count', '12', '--json']);
  assert.equal(counted.code, 0, counted.stderr);
  assert.deepEqual(bodiesOf(counted.stdout), bodies);
  // --from last: only what is sent after it started (sent until it has one).
  const latest = mq(['consumer', 'tail', '-t', topic, '--from', 'last', '--count', '1', '--json']);
  let exited = false;
  void latest.finally(() => {
    exited = true;
  });
  for (let i = 0; !exited && i < 40; i++) {
    await send(topic, [`late-${i}`]);
    await new Promise((r) => setTimeout(r, 500));
  }
  const late = await latest;
  assert.equal(late.code, 0, late.stderr);
  assert.match(bodiesOf(late.stdout)[0] ?? '', /^late-\d+$/);

  const groupsAfter = Object.keys((await admin.getAllSubscriptionGroup(broker)).subscriptionGroupTable);
  assert.deepEqual(groupsAfter.sort(), groupsBefore.sort(), 'no subscription group was created');
  assert.deepEqual(await admin.queryTopicConsumeByWho(broker, topic), [], 'no group consumed the topic');
  const progress = await mq(['consumerProgress', '--json']);
  assert.equal(progress.code, 0, progress.stderr);
  assert.doesNotMatch(progress.stdout, /MQ_TAIL_/);
});
