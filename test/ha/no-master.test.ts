// Errors that tell the truth when brokers are down: a send to a broker group whose master died names the
// group and its read-only slave (not "topic does not exist"); consumerProgress names the brokers it could
// not reach and still prints the queues of the others.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { cleanupAfter } from '../helpers/cleanup.js';
import { freePortPair, killProc, runCli, tempDir } from '../helpers/servers.js';
import { startBroker, startNamesrv, waitFor } from './procs.js';

const { procs, closers, dirs } = cleanupAfter();

test('no master online: producer send names the broker group and its read-only slave; consumerProgress names unreachable brokers', {
  timeout: 120_000,
}, async () => {
  const dir = tempDir('mq-nomaster-');
  dirs.push(dir);
  const ns = await startNamesrv(dir);
  procs.push(ns.proc);
  const admin = new AdminClient({ namesrvAddr: ns.addr });
  closers.push(() => admin.close());
  const env = { ...process.env, MQ_LOG_DIR: join(dir, 'cli-logs'), NO_COLOR: '1' };
  const mq = (args: string[], stdin?: string) =>
    runCli([...args, '-n', ns.addr], { env, stdin, timeoutMs: 40_000 });

  const spec = (name: string, brokerName: string, brokerId: number, port: number) => ({
    name,
    namesrvAddr: ns.addr,
    brokerName,
    brokerId,
    brokerRole: brokerId === 0 ? ('ASYNC_MASTER' as const) : ('SLAVE' as const),
    listenPort: port,
    storeDir: join(dir, name),
  });
  const masterA = await startBroker(spec('master-a', 'nm-a', 0, await freePortPair()));
  procs.push(masterA.proc);
  const slaveA = await startBroker(spec('slave-a', 'nm-a', 1, await freePortPair()));
  procs.push(slaveA.proc);
  const masterB = await startBroker(spec('master-b', 'nm-b', 0, await freePortPair()));
  procs.push(masterB.proc);
  await waitFor('both groups registered', async () => {
    const t = (await admin.examineBrokerClusterInfo()).brokerAddrTable;
    return t['nm-a']?.brokerAddrs['1'] === slaveA.addr && t['nm-b']?.brokerAddrs['0'] === masterB.addr;
  });

  // TopicA lives on nm-a only; TopicAB on both groups, consumed by one group.
  assert.equal((await mq(['updateTopic', '-b', masterA.addr, '-t', 'TopicA'])).code, 0);
  assert.equal((await mq(['updateTopic', '-c', 'HaCluster', '-t', 'TopicAB'])).code, 0);
  await waitFor('TopicAB routed to both groups', async () => {
    const r = await admin.examineTopicRouteInfo('TopicAB').catch(() => undefined);
    return r?.queueDatas.length === 2;
  });
  const ok = await mq(['producer', 'send', '-t', 'TopicA', '--body', 'before']);
  assert.equal(ok.code, 0, ok.stderr);
  const lines = Array.from({ length: 40 }, (_, i) => `ab-${i}`).join('\n');
  assert.equal((await mq(['producer', 'send', '-t', 'TopicAB'], `${lines}\n`)).code, 0);
  const tail = await mq([
    'consumer',
    'tail',
    '-t',
    'TopicAB',
    '-g',
    'CG_NOMASTER',
    '--from',
    'first',
    '-c',
    '40',
  ]);
  assert.equal(tail.code, 0, tail.stderr);

  // The slave syncs the group's offsets from its master every 10 s: wait for them before the master dies.
  await waitFor(
    "the group's offsets on nm-a's slave",
    async () =>
      (await admin.getConsumeStats(slaveA.addr, 'CG_NOMASTER').catch(() => undefined))?.offsetTable.length,
    30_000,
    500,
  );

  // The master of nm-a dies for real; the name server drops it, its slave stays.
  await killProc(masterA.proc);
  await waitFor('nm-a without master', async () => {
    const t = (await admin.examineBrokerClusterInfo()).brokerAddrTable;
    return t['nm-a'] !== undefined && t['nm-a'].brokerAddrs['0'] === undefined;
  });
  const send = await mq(['producer', 'send', '-t', 'TopicA', '--body', 'after']);
  assert.equal(send.code, 1, send.stdout);
  assert.equal(send.stderr.trim().split('\n').length, 1, send.stderr);
  assert.match(
    send.stderr,
    new RegExp(
      `nm-a has no master online; its slave ${slaveA.addr.replace(/\./g, '\\.')} is read-only\\. Start the master \\(brokerId=0\\) of nm-a`,
    ),
  );
  assert.doesNotMatch(send.stderr, /does not exist|no route/i);

  // nm-b's master stops answering (still listed by the name server): consumerProgress prints nm-a's queues
  // (from its slave), names nm-b, and exits non-zero.
  process.kill(masterB.proc.child.pid!, 'SIGSTOP');
  try {
    // Each waits for the stopped broker's request timeout: run the text and the JSON form together.
    const [progress, json] = await Promise.all([
      mq(['consumerProgress', '-g', 'CG_NOMASTER']),
      mq(['consumerProgress', '-g', 'CG_NOMASTER', '--json']),
    ]);
    assert.equal(progress.code, 1, progress.stdout);
    assert.match(progress.stdout, /TopicAB\s+nm-a\s+\d/, progress.stderr);
    assert.doesNotMatch(progress.stdout, /nm-b/);
    assert.match(
      progress.stderr,
      new RegExp(`could not reach nm-b \\(${masterB.addr.replace(/\./g, '\\.')}\\): .*mqadmin clusterList`),
    );
    assert.equal(json.code, 1);
    const p = JSON.parse(json.stdout) as { queues: Array<{ brokerName: string }>; unreachable: unknown[] };
    assert.ok(p.queues.length > 0 && p.queues.every((q) => q.brokerName === 'nm-a'));
    assert.equal(p.unreachable.length, 1);
    // A send that reaches no broker names the group it tried and what to check.
    const stuck = await mq(['producer', 'send', '-t', 'TopicAB', '--body', 'x', '--timeout', '2000']);
    assert.equal(stuck.code, 1);
    assert.match(stuck.stderr, /send to topic TopicAB failed on broker nm-b: .*mqadmin clusterList/);
  } finally {
    process.kill(masterB.proc.child.pid!, 'SIGCONT');
  }
});
