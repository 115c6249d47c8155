import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliRun, runCli, runCliUntilLines } from '../helpers/servers.js';
import { type Cluster, startCluster } from './servers.js';

let cluster: Cluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.stop();
});

function mq(args: string[], stdin?: string | Buffer, timeoutMs = 40000): Promise<CliRun> {
  return runCli(args, { env: cluster.env, stdin, timeoutMs });
}

const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('producer send --body --json prints one parseable SendResult', { timeout: 30000 }, async () => {
  const r = await mq([
    'producer',
    'send',
    '-n',
    cluster.namesrv,
    '-t',
    'CmdOne',
    '--body',
    'hi',
    '--tags',
    'A',
    '--keys',
    'K',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const [v] = lines(r.stdout);
  assert.equal(v!.status, 'SEND_OK');
  assert.match(String(v!.msgId), /^[0-9A-F]{32}$/);
  assert.match(String(v!.offsetMsgId), /^[0-9A-F]{32}$/);
  assert.equal(v!.topic, 'CmdOne');
  assert.equal(v!.brokerName, 'broker-a');
  assert.equal(typeof v!.queueId, 'number');
  assert.equal(typeof v!.queueOffset, 'number');
  assert.equal(v!.body, 'hi');
});

test('10,000 piped lines are sent in order, and tail --count 10000 gets each exactly once', {
  timeout: 60000,
}, async () => {
  const topic = `CmdBulk_${process.pid}`;
  const input = `${Array.from({ length: 10000 }, (_, i) => `line-${i}`).join('\n')}\n`;
  const t0 = Date.now();
  const sent = await mq(
    ['producer', 'send', '-n', cluster.namesrv, '-t', topic, '--tags', 'bulk', '--keys', 'k', '--json'],
    input,
  );
  const sendMs = Date.now() - t0;
  assert.equal(sent.code, 0, sent.stderr);
  const results = lines(sent.stdout);
  assert.equal(results.length, 10000);
  assert.deepEqual(
    results.map((v) => v.body),
    Array.from({ length: 10000 }, (_, i) => `line-${i}`),
    'results come out in input order',
  );
  assert.ok(results.every((v) => v.status === 'SEND_OK'));
  assert.ok(sendMs < 30000, `sending took ${sendMs} ms`);

  const tail = await mq([
    'consumer',
    'tail',
    '-n',
    cluster.namesrv,
    '-t',
    topic,
    '--from',
    'first',
    '--count',
    '10000',
    '--json',
  ]);
  assert.equal(tail.code, 0, tail.stderr);
  const got = lines(tail.stdout);
  assert.equal(got.length, 10000);
  const bodies = new Set(got.map((m) => m.body));
  assert.equal(bodies.size, 10000, 'no duplicates');
  const byId = new Map(results.map((v) => [v.msgId, v]));
  for (const m of got.slice(0, 50)) {
    const s = byId.get(m.msgId)!;
    assert.ok(s, 'msgId matches a SendResult');
    assert.equal(m.body, s.body);
    assert.equal(m.queueId, s.queueId);
    assert.equal(m.queueOffset, s.queueOffset);
    assert.equal(m.tags, 'bulk');
    assert.equal(m.keys, 'k');
    assert.equal(m.topic, topic);
    assert.ok(!Number.isNaN(Date.parse(String(m.storeTime))));
  }
});

test('bad input: each a one-line error naming the cause and a non-zero exit', {
  timeout: 40000,
}, async () => {
  const cases: Array<[string[], RegExp, (string | Buffer)?]> = [
    [['consumer', 'tail', '-n', '127.0.0.1:1', '-t', 'T'], /cannot reach the name server 127\.0\.0\.1:1/],
    [['producer', 'send', '-n', '127.0.0.1:1', '-t', 'T', '--body', 'x'], /cannot reach the name server/],
    [
      ['consumer', 'tail', '-n', cluster.namesrv, '-t', 'NoSuchTopic_xyz'],
      /topic NoSuchTopic_xyz does not exist/,
    ],
    [
      ['consumer', 'tail', '-n', cluster.namesrv, '-t', 'CmdOne', '--tags', 'A ||'],
      /bad tag expression "A \|\|"/,
    ],
    [
      ['producer', 'send', '-n', cluster.namesrv, '-t', 'CmdOne'],
      /line 1: the message body size 4194305 is over the limit/,
      `${'x'.repeat(4 * 1024 * 1024 + 1)}\n`,
    ],
    [['producer', 'send', '-n', cluster.namesrv, '-t', 'bad topic', '--body', 'x'], /illegal characters/],
  ];
  for (const [args, re, stdin] of cases) {
    const r = await mq(args, stdin);
    assert.notEqual(r.code, 0, `${args.join(' ')} should fail`);
    const errLines = r.stderr.trim().split('\n');
    assert.equal(errLines.length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    assert.match(errLines[0]!, re);
  }
});

test('quickstart runs name server + broker in one process, sends and receives', {
  timeout: 40000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mq-quickstart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await mq(['quickstart', '--store', join(dir, 'store'), '--count', '20', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(v.sent, 20);
  assert.equal(v.received, 20);
  assert.match(String(v.namesrvAddr), /^127\.0\.0\.1:\d+$/);
  assert.equal(v.storeDir, join(dir, 'store'));
});

test('tail -g: Ctrl-C exits 0 and commits, so the same group resumes after what it printed', {
  timeout: 40000,
}, async () => {
  const topic = `CmdResume_${process.pid}`;
  const group = `CG_RESUME_${process.pid}`;
  const input = `${Array.from({ length: 30 }, (_, i) => `r-${i}`).join('\n')}\n`;
  assert.equal((await mq(['producer', 'send', '-n', cluster.namesrv, '-t', topic, '--json'], input)).code, 0);
  // First run: interrupted with SIGINT once it printed 30 lines.
  const first = await runCliUntilLines(
    ['consumer', 'tail', '-n', cluster.namesrv, '-t', topic, '-g', group, '--from', 'first', '--json'],
    {
      env: cluster.env,
      lines: 30,
      signal: 'SIGINT',
    },
  );
  assert.equal(first.code, 0, first.stderr);
  assert.equal(lines(first.stdout).length, 30);
  const more = `${Array.from({ length: 5 }, (_, i) => `s-${i}`).join('\n')}\n`;
  assert.equal((await mq(['producer', 'send', '-n', cluster.namesrv, '-t', topic], more)).code, 0);
  const second = await mq([
    'consumer',
    'tail',
    '-n',
    cluster.namesrv,
    '-t',
    topic,
    '-g',
    group,
    '--count',
    '5',
    '--json',
  ]);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(
    lines(second.stdout)
      .map((m) => m.body)
      .sort(),
    ['s-0', 's-1', 's-2', 's-3', 's-4'],
  );
});

test('benchmark producer --json: interval lines and a total that adds up', { timeout: 40000 }, async () => {
  const r = await mq([
    'benchmark',
    'producer',
    '-n',
    cluster.namesrv,
    '-t',
    'CmdBench',
    '-w',
    '8',
    '-s',
    '1024',
    '--count',
    '3000',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  const total = out.at(-1)!;
  assert.equal(total.type, 'total');
  assert.equal(total.totalSent, 3000);
  assert.equal(total.totalFailed, 0);
  assert.ok(
    Number(total.sendTps) > 0 && Number(total.avgRtMs) > 0 && Number(total.maxRtMs) >= Number(total.avgRtMs),
  );
  assert.ok(out.slice(0, -1).every((l) => l.type === 'interval'));
});
