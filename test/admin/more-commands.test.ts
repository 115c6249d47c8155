// The mqadmin commands added after the first set (brokerConsumeStats, printMsgByQueue, queryCq,
// cloneGroupOffset, the broker housekeeping trio, allocateMQ and the send-RT probes) against one real
// name server + broker with known data: tag counts, a known lag, an orphan consume queue, aged commit-log files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { PushConsumer } from '../../src/engine/client/consumer/push-consumer.js';
import { Producer } from '../../src/engine/client/producer/producer.js';
import { startBroker } from '../helpers/servers.js';
import { type Cluster, mq, mqJson, startCluster, waitFor } from './servers.js';

let c: Cluster;
let admin: AdminClient;
let producer: Producer;
let push: PushConsumer | undefined;
const T1 = 'MoreTopic';
const CQ_ROOT = () => join(c.dir, 'store', 'consumequeue');
const COMMITLOG = () => join(c.dir, 'store', 'commitlog');
const keysOf = (o: object) => Object.keys(o).sort();

before(async () => {
  c = await startCluster({ broker: false });
  // A consume queue of a topic the broker does not configure: what cleanUnusedTopic removes.
  mkdirSync(join(CQ_ROOT(), 'OrphanTopic', '0'), { recursive: true });
  const { freePortPair } = await import('../helpers/servers.js');
  const port = await freePortPair();
  const b = await startBroker({
    confFile: join(c.dir, 'broker.conf'),
    pidFile: join(c.dir, 'broker.pid'),
    conf: {
      brokerClusterName: c.clusterName,
      brokerName: c.brokerName,
      brokerId: 0,
      namesrvAddr: c.namesrvAddr,
      listenPort: port,
      brokerIP1: '127.0.0.1',
      storePathRootDir: join(c.dir, 'store'),
      storePathCommitLog: COMMITLOG(),
      autoCreateTopicEnable: true,
      autoCreateSubscriptionGroup: true,
      flushDiskType: 'ASYNC_FLUSH',
      // Small commit-log files so a few hundred KB span several; retention only when asked.
      mappedFileSizeCommitLog: 64 * 1024,
      deleteWhen: String((new Date().getHours() + 12) % 24).padStart(2, '0'),
      diskMaxUsedSpaceRatio: 95,
    },
    env: c.env,
  });
  c.broker = b.proc;
  c.brokerAddr = b.addr;
  admin = new AdminClient({ namesrvAddr: c.namesrvAddr });
  await waitFor(
    async () => (await admin.examineBrokerClusterInfo()).brokerAddrTable[c.brokerName] !== undefined,
    15_000,
    'broker registration',
  );
  await admin.createAndUpdateTopicConfig(c.brokerAddr, {
    topicName: T1,
    readQueueNums: 2,
    writeQueueNums: 2,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  });
  producer = new Producer({
    namesrvAddr: c.namesrvAddr,
    groupName: 'more_pg',
    instanceName: 'more_pg',
    heartbeatBrokerInterval: 500,
  });
  await producer.start();
  await waitFor(async () => (await admin.fetchAllTopicList()).includes(T1), 10_000, 'topic route');
  // Queue 0: TagA ×3, TagB ×2, one without a tag.
  const q0 = { topic: T1, brokerName: c.brokerName, queueId: 0 };
  for (const tags of ['TagA', 'TagB', 'TagA', undefined, 'TagB', 'TagA']) {
    await producer.send({ topic: T1, body: Buffer.from(`body-${tags ?? 'none'}`), tags }, { queue: q0 });
  }
  // G1 committed 2 of queue 0's 6 messages: a lag of 4.
  const up = await mq(c, ['updateSubGroup', '-b', c.brokerAddr, '-g', 'G1']);
  assert.equal(up.code, 0, up.stderr);
  await admin.updateConsumerOffset(c.brokerAddr, 'G1', q0, 2);
});

after(async () => {
  await push?.shutdown().catch(() => {});
  await producer?.shutdown().catch(() => {});
  await admin?.close();
  await c?.stop();
});

describe('queue inspection', () => {
  test('printMsgByQueue: tag counts (-f), messages (-p/-d), a tag filter, and its --json', async () => {
    const r = await mq(c, ['printMsgByQueue', '-t', T1, '-a', c.brokerName, '-i', '0', '-f', 'true']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Tag: ${'TagA'.padEnd(30)} Count: 3\nTag: ${'TagB'.padEnd(30)} Count: 2\n`);
    const p = await mq(c, [
      'printMsgByQueue',
      '-t',
      T1,
      '-a',
      c.brokerName,
      '-i',
      '0',
      '-p',
      'true',
      '-d',
      'true',
    ]);
    assert.equal(p.code, 0, p.stderr);
    const lines = p.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 6);
    assert.match(
      lines[0]!,
      /^MSGID: [0-9A-F]{32} MessageExt \[brokerName=broker-a, queueId=0, queueOffset=0, .* BODY: body-TagA$/,
    );
    assert.match(lines[3]!, /BODY: body-none$/);
    const nobody = await mq(c, ['printMsgByQueue', '-t', T1, '-a', c.brokerName, '-i', '0', '-p', 'true']);
    assert.ok(
      nobody.stdout
        .trimEnd()
        .split('\n')
        .every((l) => l.endsWith('BODY: NOT PRINT BODY')),
    );
    const j = await mqJson<Record<string, unknown>>(c, [
      'printMsgByQueue',
      '-t',
      T1,
      '-a',
      c.brokerName,
      '-i',
      '0',
      '-s',
      'TagA',
      '-f',
      'true',
    ]);
    assert.deepEqual(keysOf(j), [
      'brokerName',
      'maxOffset',
      'messageCount',
      'minOffset',
      'queueId',
      'tagCounts',
      'topic',
    ]);
    assert.deepEqual(j.tagCounts, [{ tag: 'TagA', count: 3 }]);
    assert.equal(j.messageCount, 3);
    assert.equal(j.maxOffset, 6);
    // Empty time range: begin after every message.
    const late = await mqJson<Record<string, unknown>>(c, [
      'printMsgByQueue',
      '-t',
      T1,
      '-a',
      c.brokerName,
      '-i',
      '0',
      '-b',
      String(Date.now() + 60_000),
    ]);
    assert.equal(late.messageCount, 0);
  });

  test('printMsgByQueue: unknown broker name, missing queue, bad queue id → one stderr line, exit ≠ 0', async () => {
    for (const args of [
      ['-a', 'no-such-broker', '-i', '0'],
      ['-a', c.brokerName, '-i', '7'],
      ['-a', c.brokerName, '-i', 'x'],
    ]) {
      const r = await mq(c, ['printMsgByQueue', '-t', T1, ...args]);
      assert.notEqual(r.code, 0, args.join(' '));
      // One line of reason (a command-line mistake adds the command's usage line).
      assert.equal(
        r.stderr
          .trimEnd()
          .split('\n')
          .filter((l) => !l.startsWith('usage: ')).length,
        1,
        r.stderr,
      );
    }
    const r = await mq(c, ['printMsgByQueue', '-t', 'NoSuchTopicHere', '-a', c.brokerName, '-i', '0']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^printMsgByQueue: .*NoSuchTopicHere/);
  });

  test('consumeMessage: one queue limited by -c, every queue to the end; bad flag combinations refused', async () => {
    const r = await mq(c, ['consumeMessage', '-t', T1, '-b', c.brokerName, '-i', '0', '-c', '2']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 2), ['The oldler 2 message will be provided', 'Consume ok']);
    assert.equal(lines.length, 4);
    assert.match(
      lines[2]!,
      /^MSGID: [0-9A-F]{32} MessageExt \[brokerName=broker-a, queueId=0, queueOffset=0, .* BODY: body-TagA$/,
    );
    assert.match(lines[3]!, /queueOffset=1, .* BODY: body-TagB$/);
    const all = await mq(c, ['consumeMessage', '-t', T1]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout.split('\n').filter((l) => l.startsWith('MSGID: ')).length, 6);
    const ends = all.stdout.split('\n').filter((l) => l.includes('print msg finished'));
    assert.deepEqual(ends.sort(), [
      `MessageQueue [topic=${T1}, brokerName=broker-a, queueId=0] print msg finished. status=NO_NEW_MSG, offset=6`,
      `MessageQueue [topic=${T1}, brokerName=broker-a, queueId=1] print msg finished. status=NO_NEW_MSG, offset=0`,
    ]);
    const j = await mqJson<{ steps: Array<{ type: string }> }>(c, [
      'consumeMessage',
      '-t',
      T1,
      '-b',
      c.brokerName,
      '-i',
      '0',
      '-o',
      '5',
    ]);
    assert.deepEqual(
      j.steps.map((s) => s.type),
      ['found', 'finished'],
    );
    for (const [args, msg] of [
      [['-i', '0'], 'Please set the brokerName before queueId!'],
      [['-b', c.brokerName, '-o', '1'], 'Please set queueId before offset!'],
      [['-c', '0'], 'Please input a positive messageNumber!'],
    ] as const) {
      const bad = await mq(c, ['consumeMessage', '-t', T1, ...args]);
      assert.notEqual(bad.code, 0);
      assert.equal(bad.stderr, `consumeMessage: ${msg}\n`);
    }
  });

  test('producer: the live producer connections of the broker', async () => {
    const r = await waitFor(
      async () => {
        const x = await mq(c, ['producer', '-b', c.brokerAddr]);
        return x.stdout.includes('more_pg') ? x : undefined;
      },
      10_000,
      'producer heartbeat',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^producer group \(more_pg\) instance : clientId=\S+,remoteIP=\/127\.0\.0\.1:\d+, language=\w+, version=\d+, lastUpdateTimestamp=\d+$/m,
    );
    const j = await mqJson<{ data: Record<string, Array<Record<string, unknown>>> }>(c, [
      'producer',
      '-b',
      c.brokerAddr,
    ]);
    assert.deepEqual(keysOf(j.data.more_pg![0]!), [
      'clientId',
      'language',
      'lastUpdateTimestamp',
      'remoteIP',
      'version',
    ]);
    const bad = await mq(c, ['producer']);
    assert.notEqual(bad.code, 0);
  });

  test('queryCq: entries with offsets/sizes/tag codes; a subscribed group gets eval per entry', async () => {
    const r = await mq(c, ['queryCq', '-t', T1, '-q', '0', '-i', '1', '-c', '2']);
    assert.equal(r.code, 0, r.stderr);
    const rule = '======================================';
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 3), ['Queue data: ', 'max: 6, min: 0', rule]);
    assert.equal(lines[3], 'idx: 1');
    // TagB's tags code is its Java String.hashCode.
    assert.match(
      lines[4]!,
      /^ConsumeQueueData\{physicOffset=\d+, physicSize=\d+, tagsCode=2598920, extendDataJson='null', bitMap='null', eval=false, msg='null'\}$/,
    );
    assert.equal(lines[6], 'idx: 2');
    assert.equal(lines.length, 9);
    // A group that is not online.
    const off = await mqJson<Record<string, unknown>>(c, [
      'queryCq',
      '-t',
      T1,
      '-q',
      '0',
      '-i',
      '0',
      '-g',
      'G1',
    ]);
    assert.equal(off.filterData, `G1@${T1} is not online!`);
    // An online group subscribed to TagA: eval says which entries it would get.
    push = new PushConsumer({
      namesrvAddr: c.namesrvAddr,
      groupName: 'G2',
      instanceName: 'more-g2',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      persistConsumerOffsetInterval: 200,
    });
    push.subscribe(T1, 'TagA').registerMessageListener(async () => 'CONSUME_SUCCESS' as const);
    await push.start();
    const j = await waitFor(
      async () => {
        const x = await mqJson<{
          subscriptionData?: { subString: string };
          queueData: Array<{ eval: boolean; tagsCode: number; physicSize: number }>;
        }>(c, ['queryCq', '-t', T1, '-q', '0', '-i', '0', '-g', 'G2', '-b', c.brokerAddr]);
        return x.subscriptionData ? x : undefined;
      },
      15_000,
      'G2 heartbeat',
    );
    assert.equal(j.subscriptionData!.subString, 'TagA');
    assert.deepEqual(
      j.queueData.map((d) => d.eval),
      [true, false, true, false, false, true],
    );
    const text = await mq(c, ['queryCq', '-t', T1, '-q', '0', '-i', '0', '-c', '1', '-g', 'G2']);
    assert.match(text.stdout, /^Subscription data: \n\{\n\t"classFilterMode":false,\n/);
    assert.match(text.stdout, /\n\t"subString":"TagA",\n/);
    assert.match(text.stdout, /\nFilter data: \nnull\n={38}\nQueue data: \nmax: 6, min: 0\n/);
  });

  test('queryCq: a queue that does not exist, an index past the end → error line, exit ≠ 0', async () => {
    const q = await mq(c, ['queryCq', '-t', T1, '-q', '9', '-i', '0']);
    assert.notEqual(q.code, 0);
    assert.match(q.stderr, new RegExp(`^queryCq: .*9@${T1} is not exist!\\n$`));
    const zero = await mq(c, ['queryCq', '-t', T1, '-q', '0', '-i', '0', '-c', '0']);
    assert.equal(zero.code, 0, zero.stderr);
    assert.equal(zero.stdout, `Queue data: \nmax: 6, min: 0\n${'='.repeat(38)}\n`);
    const i = await mq(c, ['queryCq', '-t', T1, '-q', '0', '-i', '100']);
    assert.notEqual(i.code, 0);
    assert.match(i.stderr, new RegExp(`^queryCq: Index 100 of 0@${T1} is not exist!\\n$`));
  });
});

describe('consumer offsets', () => {
  test('brokerConsumeStats: the known lag of G1 in mqadmin columns, -l filters, --json rows', async () => {
    // G2 (TagA) consumed everything by now: only G1 lags.
    await waitFor(
      async () => {
        const j = await mqJson<{
          rows: Array<{ group: string; diff: number; topic: string; queueId: number }>;
        }>(c, ['brokerConsumeStats', '-b', c.brokerAddr]);
        return j.rows.some((r) => r.group === 'G2' && r.topic === T1 && r.queueId === 0 && r.diff === 0);
      },
      20_000,
      'G2 caught up',
    );
    const r = await mq(c, ['brokerConsumeStats', '-b', c.brokerAddr]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(
      lines[0],
      `${'#Topic'.padEnd(64)}  ${'#Group'.padEnd(64)}  ${'#Broker Name'.padEnd(32)}  #QID  ${'#Broker Offset'.padEnd(20)}  ${'#Consumer Offset'.padEnd(20)}  ${'#Diff'.padEnd(20)}  #LastTime`,
    );
    const g1 = lines.find((l) => l.startsWith(T1.padEnd(64)) && l.includes(`  ${'G1'.padEnd(64)}  `));
    assert.ok(g1, r.stdout);
    assert.match(
      g1!,
      new RegExp(
        `  ${c.brokerName.padEnd(32)}  0 {5}6 {21}2 {21}4 {21}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`,
      ),
    );
    assert.ok(r.stdout.endsWith('\nDiff Total: 4\n'), r.stdout);
    const j = await mqJson<{ brokerAddr: string; totalDiff: number; rows: Array<Record<string, unknown>> }>(
      c,
      ['brokerConsumeStats', '-b', c.brokerAddr, '-l', '1'],
    );
    assert.deepEqual(keysOf(j), ['brokerAddr', 'rows', 'totalDiff']);
    assert.equal(j.totalDiff, 4);
    assert.deepEqual(
      j.rows.map((x) => ({ ...x, lastTimestamp: 0 })),
      [
        {
          topic: T1,
          group: 'G1',
          brokerName: c.brokerName,
          queueId: 0,
          brokerOffset: 6,
          consumerOffset: 2,
          lastTimestamp: 0,
          diff: 4,
        },
      ],
    );
    const high = await mqJson<{ rows: unknown[] }>(c, ['brokerConsumeStats', '-b', c.brokerAddr, '-l', '5']);
    assert.deepEqual(high.rows, []);
    const bad = await mq(c, ['brokerConsumeStats', '-b', '127.0.0.1:1']);
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1);
    const noB = await mq(c, ['brokerConsumeStats']);
    assert.notEqual(noB.code, 0);
  });

  test('cloneGroupOffset: G2 offsets on the topic become G3 offsets; an unknown source is refused', async () => {
    // G2's retry topic (created by its heartbeat) must be on the name server: that is how groups are found.
    await waitFor(async () => (await admin.fetchAllTopicList()).includes('%RETRY%G2'), 40_000, 'retry topic');
    const r = await mq(c, ['cloneGroupOffset', '-s', 'G2', '-d', 'G3', '-t', T1]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `clone group offset success. srcGroup[G2], destGroup=[G3], topic[${T1}]`);
    const stats = await admin.getConsumeStats(c.brokerAddr, 'G3', T1);
    const q0 = stats.offsetTable.find(([m]) => m.queueId === 0)!;
    assert.equal(q0[1].consumerOffset, 6);
    const j = await mqJson<{ queues: Array<Record<string, unknown>> }>(c, [
      'cloneGroupOffset',
      '-s',
      'G2',
      '-d',
      'G4',
      '-t',
      T1,
    ]);
    assert.ok(j.queues.some((x) => x.queueId === 0 && x.offset === 6 && x.topic === T1));
    const bad = await mq(c, ['cloneGroupOffset', '-s', 'NoSuchGroup', '-d', 'G5', '-t', T1]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /^cloneGroupOffset: .*NoSuchGroup/);
  });

  test('allocateMQ: every readable queue to exactly one id, contiguous shares, RebalanceResult JSON', async () => {
    const r = await mq(c, ['allocateMQ', '-t', T1, '-i', 'ip1,ip2,ip3']);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as {
      result: Record<string, Array<{ brokerName: string; queueId: number; topic: string }>>;
    };
    assert.deepEqual(Object.keys(parsed.result).sort(), ['ip1', 'ip2', 'ip3']);
    const all = Object.values(parsed.result).flat();
    assert.deepEqual(all.map((m) => m.queueId).sort(), [0, 1]);
    assert.ok(r.stdout.startsWith('{"result":{"ip'));
    assert.match(r.stdout, /\{"brokerName":"broker-a","queueId":\d,"topic":"MoreTopic"\}/);
    // 2 queues, 3 ids: one each for two of them, none for the third (averagely: ip3 gets nothing).
    assert.deepEqual(parsed.result.ip3, []);
    const j = await mqJson<{ result: Record<string, unknown[]> }>(c, [
      'allocateMQ',
      '-t',
      T1,
      '-i',
      'ip1,ip2,ip3',
    ]);
    assert.deepEqual(j, parsed);
    const bad = await mq(c, ['allocateMQ', '-t', 'NoSuchTopicHere', '-i', 'a']);
    assert.notEqual(bad.code, 0);
  });
});

describe('send RT probes', () => {
  test('sendMsgStatus: one rt/SendResult line per message to the broker-name topic', async () => {
    const r = await mq(c, ['sendMsgStatus', '-b', c.brokerName, '-c', '3', '-s', '20']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    for (const l of lines)
      assert.match(
        l,
        /^rt=\d+ms, SendResult=SendResult \[sendStatus=SEND_OK, msgId=[0-9A-F]{32}, offsetMsgId=[0-9A-F]{32}, messageQueue=MessageQueue \[topic=broker-a, brokerName=broker-a, queueId=\d+\], queueOffset=\d+\]$/,
      );
    const j = await mqJson<{
      brokerName: string;
      sends: Array<{ rt: number; result: { sendStatus: string } }>;
    }>(c, ['sendMsgStatus', '-b', c.brokerName, '-c', '2']);
    assert.equal(j.sends.length, 2);
    assert.equal(j.sends[0]!.result.sendStatus, 'SEND_OK');
  });

  test('checkMsgSendRT: queue i mod n per send, then the average', async () => {
    const r = await mq(c, ['checkMsgSendRT', '-t', T1, '-a', '4', '-s', '10']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `${'#Broker Name'.padEnd(32)}  #QID  ${'#Send Result'.padEnd(20)}    #RT`);
    assert.deepEqual(
      lines.slice(1, 5).map((l) => l.slice(0, 60).trimEnd()),
      [0, 1, 0, 1].map((q) => `${c.brokerName.padEnd(32)}  ${String(q).padEnd(4)}  true`),
    );
    assert.match(lines[5]!, /^Avg RT: \d+\.\d\d$/);
    const j = await mqJson<{ samples: unknown[]; avgRt: number }>(c, ['checkMsgSendRT', '-t', T1, '-a', '2']);
    assert.equal(j.samples.length, 2);
  });

  test('clusterRT: one round over the cluster; an unknown cluster is an error', async () => {
    const r = await mq(c, ['clusterRT', '-c', c.clusterName, '-a', '3', '-s', '16', '--count', '1']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      `${'#Cluster Name'.padEnd(24)}  ${'#Broker Name'.padEnd(24)}  #RT   #successCount  #failCount`,
    );
    assert.match(
      lines[1]!,
      new RegExp(`^${c.clusterName.padEnd(24)}  ${c.brokerName.padEnd(24)}  \\d+\\.\\d\\d\\s+3 {17}0\\s*$`),
    );
    const t = await mq(c, [
      'clusterRT',
      '-c',
      c.clusterName,
      '-a',
      '2',
      '-p',
      'true',
      '-m',
      'room9',
      '--count',
      '1',
    ]);
    assert.match(
      t.stdout,
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\|room9\\|${c.clusterName}\\|${c.brokerName}\\|\\d+\\n$`,
      ),
    );
    const bad = await mq(c, ['clusterRT', '-c', 'NoSuchCluster', '-a', '2', '--count', '1']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /NoSuchCluster/);
  });
});

describe('order conf and exports', () => {
  test('updateOrderConf put/get/delete in the ORDER_TOPIC_CONFIG namespace; bad input refused', async () => {
    const put = await mq(c, ['updateOrderConf', '-t', T1, '-m', 'put', '-v', 'broker-a:2']);
    assert.equal(put.code, 0, put.stderr);
    assert.equal(put.stdout, `update orderConf success. topic=[${T1}], orderConf=[broker-a:2]`);
    assert.equal(await admin.getKvConfig('ORDER_TOPIC_CONFIG', T1), 'broker-a:2');
    const get = await mq(c, ['updateOrderConf', '-t', T1, '-m', 'get']);
    assert.equal(get.stdout, `get orderConf success. topic=[${T1}], orderConf=[broker-a:2] `);
    const j = await mqJson<Record<string, unknown>>(c, ['updateOrderConf', '-t', T1, '-m', 'get']);
    assert.deepEqual(j, { topic: T1, method: 'get', orderConf: 'broker-a:2' });
    const del = await mqJson<Record<string, unknown>>(c, ['updateOrderConf', '-t', T1, '-m', 'delete']);
    assert.deepEqual(del, { topic: T1, method: 'delete', nameServers: [c.namesrvAddr] });
    assert.equal(await admin.getKvConfig('ORDER_TOPIC_CONFIG', T1), undefined);
    for (const args of [
      ['-m', 'get'],
      ['-m', 'put'],
      ['-m', 'put', '-v', 'broker-a'],
      ['-m', 'list'],
    ]) {
      const r = await mq(c, ['updateOrderConf', '-t', T1, ...args]);
      assert.notEqual(r.code, 0, args.join(' '));
      // One line of reason (a command-line mistake adds the command's usage line).
      assert.equal(
        r.stderr
          .trimEnd()
          .split('\n')
          .filter((l) => !l.startsWith('usage: ')).length,
        1,
        r.stderr,
      );
    }
  });

  test('exportMetadata: cluster metadata.json and a broker topic.json hold the user topics and groups', async () => {
    const dir = join(c.dir, 'export');
    const r = await mq(c, ['exportMetadata', '-c', c.clusterName, '-f', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `export ${join(dir, 'metadata.json')} success\n`);
    const text = readFileSync(join(dir, 'metadata.json'), 'utf8');
    assert.match(text, /^\{\n\t"exportTime":\d+,\n\t"subscriptionGroupTable":\{/);
    const meta = JSON.parse(text) as {
      topicConfigTable: Record<string, { readQueueNums: number; topicName: string }>;
      subscriptionGroupTable: Record<string, unknown>;
    };
    assert.equal(meta.topicConfigTable[T1]!.readQueueNums, 2);
    assert.ok(!('TBW102' in meta.topicConfigTable), 'system topics left out');
    assert.ok(!Object.keys(meta.topicConfigTable).some((t) => t.startsWith('%RETRY%')));
    assert.ok('G1' in meta.subscriptionGroupTable);
    assert.ok(!('TOOLS_CONSUMER' in meta.subscriptionGroupTable));
    const j = await mqJson<{
      path: string;
      fileName: string;
      content: { topicConfigTable: Record<string, unknown> };
    }>(c, ['exportMetadata', '-b', c.brokerAddr, '-t', '-s', '-f', dir]);
    assert.equal(j.fileName, 'topic.json');
    assert.ok(
      Object.keys(j.content.topicConfigTable).some((t) => t.startsWith('%RETRY%')),
      '-s keeps retry topics',
    );
    assert.deepEqual(
      JSON.parse(readFileSync(join(dir, 'topic.json'), 'utf8')).topicConfigTable,
      j.content.topicConfigTable,
    );
    const noWhat = await mq(c, ['exportMetadata', '-b', c.brokerAddr, '-f', dir]);
    assert.notEqual(noWhat.code, 0);
    const noCluster = await mq(c, ['exportMetadata', '-c', 'NoSuchCluster', '-f', dir]);
    assert.notEqual(noCluster.code, 0);
  });

  test("exportConfigs: the master's settings and the cluster size in configs.json", async () => {
    const dir = join(c.dir, 'export');
    const r = await mq(c, ['exportConfigs', '-c', c.clusterName, '-f', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `export ${join(dir, 'configs.json')} success`);
    const conf = JSON.parse(readFileSync(join(dir, 'configs.json'), 'utf8')) as {
      brokerConfigs: Record<string, Record<string, string>>;
      clusterScale: Record<string, number>;
    };
    assert.deepEqual(conf.clusterScale, { masterBrokerSize: 1, namesrvSize: 1, slaveBrokerSize: 0 });
    assert.equal(conf.brokerConfigs[c.brokerName]!.brokerClusterName, c.clusterName);
    assert.equal(conf.brokerConfigs[c.brokerName]!.flushDiskType, 'ASYNC_FLUSH');
    const bad = await mq(c, ['exportConfigs', '-c', 'NoSuchCluster', '-f', dir]);
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1);
  });

  test('exportMetrics: per master TPS, message counts, sizes and totals in metrics.json', async () => {
    const dir = join(c.dir, 'export-metrics');
    const r = await mq(c, ['exportMetrics', '-c', c.clusterName, '-f', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `export ${join(dir, 'metrics.json')} success`);
    type Report = {
      runtimeQuota: {
        tps: Record<string, number>;
        oneDayNum: Record<string, number>;
        messageAverageSize: string;
        topicSize: number;
        groupSize: number;
        diskRatio: Record<string, string>;
      };
      runtimeVersion: { rocketmqVersion: string; clientInfo: string[] };
    };
    const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as {
      evaluateReport: Record<string, Report>;
      totalData: { totalTps: Record<string, number>; totalOneDayNum: Record<string, number> };
    };
    const b = m.evaluateReport[c.brokerName]!;
    assert.deepEqual(Object.keys(b.runtimeQuota.tps).sort(), [
      'normalInTps',
      'normalOutTps',
      'scheduleInTps',
      'transInTps',
    ]);
    assert.ok(Number(b.runtimeQuota.messageAverageSize) > 0, 'messages were stored, so an average size');
    assert.ok(b.runtimeQuota.topicSize >= 1, `the test topics (${b.runtimeQuota.topicSize})`);
    assert.match(b.runtimeQuota.diskRatio.commitLogDiskRatio!, /^0?\.\d+|^[01]$/);
    assert.equal(b.runtimeVersion.rocketmqVersion, 'V4_9_8');
    assert.equal(m.totalData.totalTps.totalNormalInTps, b.runtimeQuota.tps.normalInTps);
    assert.equal(m.totalData.totalOneDayNum.normalOneDayInNum, b.runtimeQuota.oneDayNum.normalOneDayInNum);
    const bad = await mq(c, ['exportMetrics', '-c', 'NoSuchCluster', '-f', dir]);
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1);
  });
});

describe('broker housekeeping', () => {
  test('cleanUnusedTopic drops only the unconfigured topic’s consume queue', async () => {
    assert.ok(existsSync(join(CQ_ROOT(), 'OrphanTopic')));
    const args = ['printMsgByQueue', '-t', T1, '-a', c.brokerName, '-i', '0'];
    const count0 = (await mqJson<{ messageCount: number }>(c, args)).messageCount;
    assert.ok(count0 >= 6);
    const r = await mq(c, ['cleanUnusedTopic', '-b', c.brokerAddr]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'success');
    assert.ok(!existsSync(join(CQ_ROOT(), 'OrphanTopic')));
    assert.ok(existsSync(join(CQ_ROOT(), T1, '0')));
    const j = await mqJson<Record<string, unknown>>(c, ['cleanUnusedTopic', '-c', c.clusterName]);
    assert.deepEqual(j, {
      op: 'CLEAN_UNUSED_TOPIC',
      result: true,
      brokers: [{ addr: c.brokerAddr, ok: true }],
    });
    // The messages are still there.
    assert.equal((await mqJson<{ messageCount: number }>(c, args)).messageCount, count0);
    const bad = await mq(c, ['cleanUnusedTopic', '-c', 'NoSuchCluster']);
    assert.notEqual(bad.code, 0);
    const down = await mq(c, ['cleanExpiredCQ', '-b', '127.0.0.1:1']);
    assert.notEqual(down.code, 0);
    assert.equal(down.stdout, 'false');
    assert.equal(down.stderr.trimEnd().split('\n').length, 1);
  });

  test('deleteExpiredCommitLog keeps unexpired files, deletes aged ones; cleanExpiredCQ then drops emptied queues', async () => {
    // ~300 KB of "Old" messages: several 64 KB commit-log files; then a fresh topic in the newest file.
    const body = Buffer.alloc(2000, 'x');
    for (let i = 0; i < 150; i++) await producer.send({ topic: 'OldTopic', body });
    await admin.createAndUpdateTopicConfig(c.brokerAddr, {
      topicName: 'FreshTopic',
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
    });
    await waitFor(async () => (await admin.fetchAllTopicList()).includes('FreshTopic'), 10_000, 'FreshTopic');
    for (let i = 0; i < 3; i++) await producer.send({ topic: 'FreshTopic', body: Buffer.from(`fresh-${i}`) });
    await waitFor(async () => readdirSync(COMMITLOG()).length >= 4, 5000, 'commit-log files');
    const before = readdirSync(COMMITLOG()).sort();
    // Nothing has expired (fileReservedTime 72 h): nothing goes.
    const r0 = await mq(c, ['deleteExpiredCommitLog', '-b', c.brokerAddr]);
    assert.equal(r0.code, 0, r0.stderr);
    assert.equal(r0.stdout, 'success');
    assert.deepEqual(readdirSync(COMMITLOG()).sort(), before);
    // Age every file but the last two by 100 hours (the newest is in use and would never go anyway).
    const old = new Date(Date.now() - 100 * 3600_000);
    for (const f of before.slice(0, -2)) utimesSync(join(COMMITLOG(), f), old, old);
    await new Promise((res) => setTimeout(res, 600)); // let the async flush cover them
    const j = await mqJson<Record<string, unknown>>(c, ['deleteExpiredCommitLog', '-c', c.clusterName]);
    assert.deepEqual(j, {
      op: 'DELETE_EXPIRED_COMMITLOG',
      result: true,
      brokers: [{ addr: c.brokerAddr, ok: true }],
    });
    assert.deepEqual(readdirSync(COMMITLOG()).sort(), before.slice(-2));
    // The fresh messages are intact.
    const fresh = await mqJson<{ messageCount: number }>(c, [
      'printMsgByQueue',
      '-t',
      'FreshTopic',
      '-a',
      c.brokerName,
      '-i',
      '0',
    ]);
    const fresh3 = fresh.messageCount;
    assert.equal(fresh3, 3);
    // MoreTopic's six messages were in the first file: its queue now points only below the commit log.
    assert.ok(existsSync(join(CQ_ROOT(), T1)));
    const q0 = { topic: T1, brokerName: c.brokerName, queueId: 0 };
    const t1Max = await admin.getMaxOffset(c.brokerAddr, q0);
    assert.ok(t1Max >= 6);
    const cq = await mq(c, ['cleanExpiredCQ', '-b', c.brokerAddr]);
    assert.equal(cq.code, 0, cq.stderr);
    assert.equal(cq.stdout, 'success');
    assert.ok(!existsSync(join(CQ_ROOT(), T1)), 'expired queue removed');
    assert.ok(existsSync(join(CQ_ROOT(), 'FreshTopic')), 'live queue kept');
    const after = await mqJson<{ messageCount: number }>(c, [
      'printMsgByQueue',
      '-t',
      'FreshTopic',
      '-a',
      c.brokerName,
      '-i',
      '0',
    ]);
    assert.equal(after.messageCount, fresh3);
    // The emptied queue keeps its numbering: the next message continues where consumers left off.
    const next = await producer.send({ topic: T1, body: Buffer.from('after-clean') }, { queue: q0 });
    assert.equal(next.queueOffset, t1Max);
    const again = await mqJson<{ minOffset: number; maxOffset: number; messageCount: number }>(c, [
      'printMsgByQueue',
      '-t',
      T1,
      '-a',
      c.brokerName,
      '-i',
      '0',
    ]);
    assert.deepEqual([again.minOffset, again.maxOffset, again.messageCount], [t1Max, t1Max + 1, 1]);
  });
});

describe('startMonitoring', () => {
  test('a round reports an online group’s backlog per topic, as text and JSON lines', {
    timeout: 60_000,
  }, async () => {
    const topic = 'MonitorTopic';
    const group = 'monitorGroup';
    const up = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', topic, '-r', '1', '-w', '1']);
    assert.equal(up.code, 0, up.stderr);
    await waitFor(async () => (await admin.fetchAllTopicList()).includes(topic), 10_000, 'topic');
    for (let i = 0; i < 5; i++) await producer.send({ topic, body: `m${i}` });
    // An online group that consumes nothing: its listener never returns, so the backlog stays at 5.
    const held = new PushConsumer({
      namesrvAddr: c.namesrvAddr,
      groupName: group,
      instanceName: 'monitor-push',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    held.subscribe(topic, '*').registerMessageListener(() => new Promise(() => {}));
    await held.start();
    try {
      type Round = {
        undone: Array<{
          consumerGroup: string;
          topic: string;
          undoneMsgsTotal: number;
          undoneMsgsSingleMQ: number;
        }>;
      };
      const round = await waitFor(
        async () => {
          const r = await mq(c, ['startMonitoring', '--rounds', '1', '--json']);
          assert.equal(r.code, 0, r.stderr);
          const lines = r.stdout.trim().split('\n');
          assert.equal(lines.length, 1, 'one JSON line per round');
          const j = JSON.parse(lines[0]!) as Round;
          return j.undone.some((u) => u.consumerGroup === group && u.topic === topic) ? j : undefined;
        },
        30_000,
        'the group in a monitor round',
      );
      const u = round.undone.find((x) => x.consumerGroup === group && x.topic === topic)!;
      assert.equal(u.undoneMsgsTotal, 5);
      assert.equal(u.undoneMsgsSingleMQ, 5);
      const text = await mq(c, ['startMonitoring', '--rounds', '1']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^=+beginRound\n/);
      assert.match(
        text.stdout,
        new RegExp(
          `reportUndoneMsgs: UndoneMsgs \\[consumerGroup=${group}, topic=${topic}, undoneMsgsTotal=5, undoneMsgsSingleMQ=5, undoneMsgsDelayTimeMills=\\d+\\]`,
        ),
      );
      assert.match(text.stdout, /=+endRound\nExecute one round monitor work, spent timemills: \d+\n$/);
    } finally {
      await held.shutdown();
    }
  });
});
