// mqadmin commands against one real name server + broker (child processes): each command's text
// (mqadmin's printf columns, since output is piped) and its --json shape; consumerProgress numbers against
// what the broker reports for a lag this test creates.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { PullConsumer } from '../../src/engine/client/consumer/pull-consumer.js';
import { PushConsumer } from '../../src/engine/client/consumer/push-consumer.js';
import { Producer } from '../../src/engine/client/producer/producer.js';
import { type Cluster, mq, mqJson, startCluster, waitFor } from './servers.js';

let c: Cluster;
let admin: AdminClient;

before(async () => {
  c = await startCluster();
  admin = new AdminClient({ namesrvAddr: c.namesrvAddr });
});

after(async () => {
  await admin?.close();
  await c?.stop();
});

const keysOf = (o: object) => Object.keys(o).sort();

describe('name-server commands', () => {
  test('clusterList: mqadmin columns, one row per broker; JSON rows carry the runtime figures', async () => {
    const r = await mq(c, ['clusterList']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      `${'#Cluster Name'.padEnd(16)}  ${'#Broker Name'.padEnd(22)}  #BID  ${'#Addr'.padEnd(22)} ${'#Version'.padEnd(16)} ${'#InTPS(LOAD)'.padStart(19)} ${'#OutTPS(LOAD)'.padStart(19)} #PCWait(ms) #Hour #SPACE`,
    );
    assert.equal(lines.length, 2);
    assert.ok(
      lines[1]!.startsWith(
        `${c.clusterName.padEnd(16)}  ${'broker-a'.padEnd(22)}  ${'0'.padEnd(4)}  ${c.brokerAddr.padEnd(22)} `,
      ),
    );
    const j = await mqJson<{ brokers: Array<Record<string, unknown>> }>(c, ['clusterList']);
    assert.deepEqual(keysOf(j), ['brokers']);
    assert.deepEqual(keysOf(j.brokers[0]!), [
      'addr',
      'brokerId',
      'brokerName',
      'clusterName',
      'hours',
      'inTps',
      'outTps',
      'pageCacheLockTimeMills',
      'pullThreadPoolQueueHeadWaitTimeMills',
      'pullThreadPoolQueueSize',
      'sendThreadPoolQueueHeadWaitTimeMills',
      'sendThreadPoolQueueSize',
      'space',
      'version',
    ]);
    assert.equal(j.brokers[0]!.addr, c.brokerAddr);
    assert.equal(j.brokers[0]!.version, 'V4_9_8');
    const m = await mqJson<{ brokers: Array<Record<string, unknown>> }>(c, ['clusterList', '-m']);
    assert.deepEqual(keysOf(m.brokers[0]!), [
      'addr',
      'brokerId',
      'brokerName',
      'clusterName',
      'inTotalToday',
      'inTotalYest',
      'outTotalToday',
      'outTotalYest',
    ]);
  });

  test('updateKvConfig / deleteKvConfig change what the name server holds', async () => {
    const up = await mq(c, ['updateKvConfig', '-s', 'ADMIN_NS', '-k', 'k1', '-v', 'v1']);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(up.stdout, 'create or update kv config to namespace success.\n');
    assert.equal(await admin.getKvConfig('ADMIN_NS', 'k1'), 'v1');
    const del = await mqJson<Record<string, unknown>>(c, ['deleteKvConfig', '-s', 'ADMIN_NS', '-k', 'k1']);
    assert.deepEqual(del, { namespace: 'ADMIN_NS', key: 'k1', nameServers: [c.namesrvAddr] });
    assert.equal(await admin.getKvConfig('ADMIN_NS', 'k1'), undefined);
  });

  test('updateNamesrvConfig then getNamesrvConfig shows the new value', async () => {
    const up = await mqJson<Record<string, unknown>>(c, [
      'updateNamesrvConfig',
      '-k',
      'orderMessageEnable',
      '-v',
      'true',
    ]);
    assert.deepEqual(up, { key: 'orderMessageEnable', value: 'true', nameServers: [c.namesrvAddr] });
    const r = await mq(c, ['getNamesrvConfig']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(`============${c.namesrvAddr}============\n`));
    assert.match(r.stdout, /\norderMessageEnable {32}= {2}true\n/);
    const j = await mqJson<{ nameServers: Array<{ addr: string; config: Record<string, string> }> }>(c, [
      'getNamesrvConfig',
    ]);
    assert.equal(j.nameServers[0]!.config.orderMessageEnable, 'true');
  });
});

describe('topics, messages and groups', () => {
  const topic = 'AdminTopic';

  test('updateTopic, topicList, topicRoute, topicStatus, topicClusterList, updateTopicPerm', async () => {
    const up = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', topic, '-r', '2', '-w', '2']);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(
      up.stdout,
      `create topic to ${c.brokerAddr} success.\nTopicConfig [topicName=${topic}, readQueueNums=2, writeQueueNums=2, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false]\n`,
    );
    await waitFor(
      async () => (await admin.fetchAllTopicList()).includes(topic),
      10_000,
      'topic registration',
    );
    const list = await mq(c, ['topicList']);
    assert.ok(list.stdout.split('\n').includes(topic));
    assert.ok((await mqJson<{ topics: string[] }>(c, ['topicList'])).topics.includes(topic));

    const route = await mqJson<{
      brokerDatas: unknown[];
      queueDatas: Array<Record<string, number | string>>;
    }>(c, ['topicRoute', '-t', topic]);
    assert.deepEqual(route.queueDatas, [
      { brokerName: 'broker-a', perm: 6, readQueueNums: 2, topicSysFlag: 0, writeQueueNums: 2 },
    ]);
    const rl = await mq(c, ['topicRoute', '-t', topic, '-l']);
    const rlines = rl.stdout.split('\n');
    assert.equal(
      rlines[0],
      `${'#ClusterName'.padEnd(45)} ${'#BrokerName'.padEnd(32)} ${'#BrokerAddrs'.padEnd(50)} #ReadQueue #WriteQueue #Perm`,
    );
    assert.equal(
      rlines[1]!.trimEnd(),
      `${c.clusterName.padEnd(45)} ${'broker-a'.padEnd(32)} ${`{0=${c.brokerAddr}}`.padEnd(50)} 2          2           6`,
    );

    const st = await mq(c, ['topicStatus', '-t', topic]);
    assert.equal(
      st.stdout.split('\n')[0],
      `${'#Broker Name'.padEnd(32)}  #QID  ${'#Min Offset'.padEnd(20)}  ${'#Max Offset'.padEnd(20)}    #Last Updated`,
    );
    const stj = await mqJson<{ topic: string; queues: Array<Record<string, unknown>> }>(c, [
      'topicStatus',
      '-t',
      topic,
    ]);
    assert.equal(stj.queues.length, 2);
    assert.deepEqual(keysOf(stj.queues[0]!), [
      'brokerName',
      'lastUpdateTimestamp',
      'maxOffset',
      'minOffset',
      'queueId',
    ]);

    const cl = await mq(c, ['topicClusterList', '-t', topic]);
    assert.equal(cl.stdout, `${c.clusterName}\n`);

    const perm = await mqJson<{ updated: Array<{ addr: string; oldPerm: number }> }>(c, [
      'updateTopicPerm',
      '-c',
      c.clusterName,
      '-t',
      topic,
      '-p',
      '4',
    ]);
    assert.deepEqual(perm.updated, [{ addr: c.brokerAddr, oldPerm: 6 }]);
    await waitFor(
      async () => (await admin.examineTopicRouteInfo(topic)).queueDatas[0]?.perm === 4,
      10_000,
      'perm 4',
    );
    const back = await mq(c, ['updateTopicPerm', '-b', c.brokerAddr, '-t', topic, '-p', '6']);
    assert.equal(back.stdout, `update topic perm from 4 to 6 in ${c.brokerAddr} success.\n`);
  });

  test('sendMessage, then the message by offset id, key, unique key, queue offset and printMsg', async () => {
    const r = await mq(c, [
      'sendMessage',
      '-t',
      topic,
      '-p',
      'hello admin',
      '-k',
      'order-42',
      '-c',
      'TagA',
      '-b',
      'broker-a',
      '-i',
      '1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [head, row] = r.stdout.split('\n');
    assert.equal(head, `${'#Broker Name'.padEnd(32)}  #QID  ${'#Send Result'.padEnd(20)}    #MsgId`);
    assert.match(row!, /^broker-a {24} {2}1 {5}SEND_OK {13} {4}[0-9A-F]{32}$/);
    const sent = await mqJson<{
      brokerName: string;
      queueId: number;
      sendStatus: string;
      msgId: string;
      offsetMsgId: string;
      queueOffset: number;
    }>(c, ['sendMessage', '-t', topic, '-p', 'second', '-k', 'order-43', '-b', 'broker-a', '-i', '1']);
    assert.deepEqual(keysOf(sent), [
      'brokerName',
      'msgId',
      'offsetMsgId',
      'queueId',
      'queueOffset',
      'sendStatus',
    ]);
    assert.equal(sent.queueOffset, 1);

    const byId = await mq(c, ['queryMsgById', '-i', sent.offsetMsgId]);
    assert.equal(byId.code, 0, byId.stderr);
    assert.match(
      byId.stdout,
      new RegExp(
        `^OffsetID: {12}${sent.offsetMsgId}\nTopic: {15}${topic}\nTags: {16}\\[null\\]\nKeys: {16}\\[order-43\\]\nQueue ID: {12}1\nQueue Offset: {8}1\n`,
      ),
    );
    const byIdJ = await mqJson<{ messages: Array<Record<string, unknown>> }>(c, [
      'queryMsgById',
      '-i',
      sent.offsetMsgId,
    ]);
    assert.equal(byIdJ.messages[0]!.body, 'second');
    assert.equal(byIdJ.messages[0]!.msgId, sent.msgId);

    const byKey = await waitFor(
      async () => {
        const j = await mqJson<{ messages: Array<{ keys: string; body: string; queueOffset: number }> }>(c, [
          'queryMsgByKey',
          '-t',
          topic,
          '-k',
          'order-42',
        ]);
        return j.messages.length ? j : undefined;
      },
      10_000,
      'index',
    );
    assert.equal(byKey.messages[0]!.body, 'hello admin');
    const keyText = await mq(c, ['queryMsgByKey', '-t', topic, '-k', 'order-42']);
    const keyId = (byKey.messages[0] as unknown as { offsetMsgId: string }).offsetMsgId;
    assert.equal(
      keyText.stdout,
      `${'#Message ID'.padEnd(50)} #QID ${'#Offset'.padStart(40)}\n${keyId.padEnd(50)} ${'1'.padStart(4)} ${'0'.padStart(40)}\n`,
    );

    const uniq = await mqJson<{ messages: Array<{ body: string }> }>(c, [
      'queryMsgByUniqueKey',
      '-t',
      topic,
      '-i',
      sent.msgId,
    ]);
    assert.equal(uniq.messages[0]!.body, 'second');

    const byOff = await mqJson<{ message: { body: string; keys: string } }>(c, [
      'queryMsgByOffset',
      '-t',
      topic,
      '-b',
      'broker-a',
      '-i',
      '1',
      '-o',
      '0',
    ]);
    assert.equal(byOff.message.body, 'hello admin');
    const missing = await mq(c, ['queryMsgByOffset', '-t', topic, '-b', 'broker-a', '-i', '1', '-o', '99']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split('\n').length, 1);

    const pm = await mq(c, ['printMsg', '-t', topic, '-s', 'TagA']);
    assert.equal(pm.code, 0, pm.stderr);
    assert.match(
      pm.stdout,
      /^minOffset=0, maxOffset=0, MessageQueue \[topic=AdminTopic, brokerName=broker-a, queueId=0\]\n-{56}\n/,
    );
    assert.match(
      pm.stdout,
      /minOffset=0, maxOffset=2, MessageQueue \[topic=AdminTopic, brokerName=broker-a, queueId=1\]\nMSGID: [0-9A-F]{32} MessageExt \[.*\] BODY: hello admin\n-{56}\n$/,
    );
    const pmj = await mqJson<{ queues: Array<{ queueId: number; messages: unknown[] }> }>(c, [
      'printMsg',
      '-t',
      topic,
    ]);
    assert.deepEqual(
      pmj.queues.map((q) => q.messages.length),
      [0, 2],
    );
  });

  test('updateSubGroup, getConsumerConfig, deleteSubGroup (refused without --yes when not a TTY)', async () => {
    const up = await mqJson<{ config: Record<string, unknown>; updated: string[]; failed: unknown[] }>(c, [
      'updateSubGroup',
      '-c',
      c.clusterName,
      '-g',
      'cfgGroup',
      '-r',
      '3',
    ]);
    assert.deepEqual(up.updated, [c.brokerAddr]);
    assert.equal(up.config.retryMaxTimes, 3);
    const cfg = await mq(c, ['getConsumerConfig', '-g', 'cfgGroup']);
    assert.match(cfg.stdout, /^={29}AdminTestCluster:broker-a={29}\ngroupName {31}= {2}cfgGroup\n/);
    assert.match(cfg.stdout, /\nretryMaxTimes {27}= {2}3\n/);
    const refused = await mq(c, ['deleteSubGroup', '-b', c.brokerAddr, '-g', 'cfgGroup']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--yes/);
    const del = await mq(c, ['deleteSubGroup', '-b', c.brokerAddr, '-g', 'cfgGroup', '--yes']);
    assert.equal(del.stdout, `delete subscription group [cfgGroup] from broker [${c.brokerAddr}] success.\n`);
    const gone = await mq(c, ['getConsumerConfig', '-g', 'cfgGroup']);
    assert.equal(gone.code, 1);
  });

  test('broker config and status commands', async () => {
    const st = await mq(c, ['brokerStatus', '-b', c.brokerAddr]);
    assert.match(st.stdout, /^bootTimestamp {19}: \d+\n/m);
    const stj = await mqJson<{ brokers: Array<{ addr: string; stats: Record<string, string> }> }>(c, [
      'brokerStatus',
      '-c',
      c.clusterName,
    ]);
    assert.equal(stj.brokers[0]!.addr, c.brokerAddr);
    assert.equal(stj.brokers[0]!.stats.brokerVersionDesc, 'V4_9_8');
    const up = await mqJson<{ updated: string[] }>(c, [
      'updateBrokerConfig',
      '-b',
      c.brokerAddr,
      '-k',
      'maxMessageSize',
      '-v',
      '2097152',
    ]);
    assert.deepEqual(up.updated, [c.brokerAddr]);
    const cfg = await mq(c, ['getBrokerConfig', '-b', c.brokerAddr]);
    assert.ok(cfg.stdout.startsWith(`============${c.brokerAddr}============\n`));
    assert.match(cfg.stdout, /\nmaxMessageSize {36}= {2}2097152\n/);
  });

  test('wipeWritePerm needs --yes off a TTY; with it the name server drops write perm; addWritePerm restores it', async () => {
    const refused = await mq(c, ['wipeWritePerm', '-b', 'broker-a']);
    assert.equal(refused.code, 1);
    const w = await mq(c, ['wipeWritePerm', '-b', 'broker-a', '--yes']);
    assert.match(
      w.stdout,
      new RegExp(`^wipe write perm of broker\\[broker-a\\] in name server\\[${c.namesrvAddr}\\] OK, \\d+\n$`),
    );
    assert.equal((await admin.examineTopicRouteInfo(topic)).queueDatas[0]!.perm & 2, 0);
    const a = await mqJson<{
      brokerName: string;
      nameServers: Array<{ addr: string; ok: boolean; topicCount: number }>;
    }>(c, ['addWritePerm', '-b', 'broker-a']);
    assert.equal(a.nameServers[0]!.ok, true);
    assert.ok(a.nameServers[0]!.topicCount > 0);
    assert.equal((await admin.examineTopicRouteInfo(topic)).queueDatas[0]!.perm & 2, 2);
  });
});

describe('consumerProgress', () => {
  const topic = 'LagTopic';
  const group = 'dawnGroup';
  // Sent per queue, and consumed+committed per queue: lag 6−4 + 5−1 = 6.
  const sentPerQueue = [6, 5];
  const consumedPerQueue = [4, 1];

  before(async () => {
    const up = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', topic, '-r', '2', '-w', '2']);
    assert.equal(up.code, 0, up.stderr);
    await waitFor(async () => (await admin.fetchAllTopicList()).includes(topic), 10_000, 'topic');
    // A push consumer's heartbeat makes the broker create %RETRY%dawnGroup; then it leaves (offline group).
    const push = new PushConsumer({ namesrvAddr: c.namesrvAddr, groupName: group, instanceName: 'lag-push' });
    push.subscribe(topic, '*').registerMessageListener(async () => 'CONSUME_SUCCESS' as never);
    await push.start();
    await waitFor(
      async () => (await admin.fetchAllTopicList()).includes(`%RETRY%${group}`),
      15_000,
      'retry topic',
    );
    await push.shutdown();

    const producer = new Producer({
      namesrvAddr: c.namesrvAddr,
      groupName: 'lagProducer',
      instanceName: 'lag-producer',
    });
    await producer.start();
    for (const [queueId, n] of sentPerQueue.entries()) {
      for (let i = 0; i < n; i++) {
        await producer.send(
          { topic, body: `m${queueId}-${i}` },
          { queue: { topic, brokerName: 'broker-a', queueId } },
        );
      }
    }
    await producer.shutdown();
    const pull = new PullConsumer({ namesrvAddr: c.namesrvAddr, groupName: group, instanceName: 'lag-pull' });
    await pull.start();
    for (const [queueId, m] of consumedPerQueue.entries()) {
      const q = { topic, brokerName: 'broker-a', queueId };
      // A pull returns at most what the broker's batch limits allow: pull on until the share is read.
      let got = 0;
      let offset = 0;
      while (got < m) {
        const r = await pull.pull(q, '*', offset, m - got);
        assert.ok(r.msgs.length > 0, `queue ${queueId}: nothing at offset ${offset}`);
        got += r.msgs.length;
        offset = r.nextBeginOffset;
      }
      assert.equal(got, m);
      await pull.updateConsumeOffset(q, offset);
    }
    await pull.shutdown();
  });

  test("-g: per-queue broker/consumer offsets and diff equal the broker's ConsumeStats; totals line", async () => {
    const j = await mqJson<{
      group: string;
      consumeTps: number;
      diffTotal: number;
      queues: Array<{
        topic: string;
        brokerName: string;
        queueId: number;
        brokerOffset: number;
        consumerOffset: number;
        diff: number;
        lastTimestamp: number;
      }>;
    }>(c, ['consumerProgress', '-g', group]);
    assert.deepEqual(keysOf(j), ['consumeTps', 'diffTotal', 'group', 'queues']);
    const mine = j.queues.filter((q) => q.topic === topic);
    assert.deepEqual(
      mine.map((q) => [q.queueId, q.brokerOffset, q.consumerOffset, q.diff]),
      [
        [0, 6, 4, 2],
        [1, 5, 1, 4],
      ],
    );
    // The same numbers the broker itself reports (GET_CONSUME_STATS straight to it).
    const cs = await admin.getConsumeStats(c.brokerAddr, group);
    for (const q of j.queues) {
      const w = cs.offsetTable.find(([m]) => m.topic === q.topic && m.queueId === q.queueId)![1];
      assert.equal(q.brokerOffset, w.brokerOffset);
      assert.equal(q.consumerOffset, w.consumerOffset);
      assert.equal(q.diff, w.brokerOffset - w.consumerOffset);
    }
    assert.equal(
      j.diffTotal,
      j.queues.reduce((s, q) => s + q.diff, 0),
    );
    assert.equal(j.diffTotal, 6);
    assert.ok(mine.every((q) => q.lastTimestamp > 0));

    const t = await mq(c, ['consumerProgress', '-g', group]);
    assert.equal(t.code, 0, t.stderr);
    const lines = t.stdout.split('\n');
    assert.equal(
      lines[0],
      `${'#Topic'.padEnd(64)}  ${'#Broker Name'.padEnd(32)}  #QID  ${'#Broker Offset'.padEnd(20)}  ${'#Consumer Offset'.padEnd(20)}  ${'#Diff'.padEnd(20)}  #LastTime`,
    );
    const own = lines.filter((l) => l.startsWith(topic));
    const row = (q: number, b: number, co: number, d: number) =>
      `${topic.padEnd(64)}  ${'broker-a'.padEnd(32)}  ${String(q).padEnd(4)}  ${String(b).padEnd(20)}  ${String(co).padEnd(20)}  ${String(d).padEnd(20)}  `;
    assert.ok(own[0]!.startsWith(row(0, 6, 4, 2)), own[0]);
    assert.match(own[0]!.slice(row(0, 6, 4, 2).length), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.ok(own[1]!.startsWith(row(1, 5, 1, 4)), own[1]);
    assert.match(t.stdout, /\n\nConsume TPS: \d+\.\d\d\nDiff Total: 6\n$/);

    const s = await mq(c, ['consumerProgress', '-g', group, '-s', 'true']);
    assert.equal(s.code, 0, s.stderr);
    assert.ok(
      s.stdout
        .split('\n')[0]!
        .endsWith(
          `${'#Consumer Offset'.padEnd(20)}  ${'#Client IP'.padEnd(20)} ${'#Diff'.padEnd(20)}  #LastTime`,
        ),
    );
    assert.match(s.stdout.split('\n').find((l) => l.startsWith(topic))!, / N\/A {18}/);
  });

  test('without -g: the group summary lists groups from subscription configs, including one with no retry topic', async () => {
    await mq(c, ['updateSubGroup', '-b', c.brokerAddr, '-g', 'quietGroup']);
    const j = await mqJson<Array<Record<string, unknown>>>(c, ['consumerProgress']);
    const row = j.find((r) => r.group === group)!;
    assert.deepEqual(keysOf(row), [
      'consumeTps',
      'consumeType',
      'count',
      'diffTotal',
      'group',
      'messageModel',
      'version',
      'versionDesc',
    ]);
    assert.equal(row.diffTotal, 6);
    assert.equal(row.count, 0);
    assert.ok(j.some((r) => r.group === 'quietGroup'));
    const t = await mq(c, ['consumerProgress']);
    assert.equal(
      t.stdout.split('\n')[0],
      `${'#Group'.padEnd(64)}  #Count  ${'#Version'.padEnd(24)} #Type  ${'#Model'.padEnd(14)}  #TPS     #Diff Total`,
    );
    assert.ok(
      t.stdout.includes(
        `\n${group.padEnd(64)}  ${'0'.padEnd(6)}  ${'OFFLINE'.padEnd(24)} ${''.padEnd(5)}  ${''.padEnd(14)}  ${'0'.padEnd(7)}  6\n`,
      ),
      t.stdout,
    );
  });

  test('--watch: refreshes with lag trend and catch-up estimate', async () => {
    const j = await mqJson<
      Array<{ diffTotal: number; queues: Array<{ diffDelta: number | null; catchUpSeconds: number | null }> }>
    >(c, ['consumerProgress', '-g', group, '--watch', '0.3', '--count', '2']);
    assert.equal(j.length, 2);
    assert.equal(j[0]!.queues[0]!.diffDelta, null);
    assert.ok(j[1]!.queues.every((q) => q.diffDelta === 0));
    const t = await mq(c, ['consumerProgress', '-g', group, '--watch', '0.2', '--count', '1']);
    for (const col of ['#Diff', '#Trend', '#Consume/s', '#Produce/s', '#Catch-up'])
      assert.ok(t.stdout.includes(col), col);
    assert.match(t.stdout, /\nDiff Total: 6 /);
  });

  test('resetOffsetByTime (offline group) rewinds to the start; skipAccumulatedMessage jumps to the end', async () => {
    const refused = await mq(c, ['resetOffsetByTime', '-g', group, '-t', topic, '-s', '0']);
    assert.equal(refused.code, 1);
    const r = await mqJson<{ mode: string; queues: Array<Record<string, number | string>> }>(c, [
      'resetOffsetByTime',
      '-g',
      group,
      '-t',
      topic,
      '-s',
      '0',
      '--yes',
    ]);
    assert.equal(r.mode, 'offline');
    assert.deepEqual(
      r.queues.map((q) => [q.queueId, q.offset, q.consumerOffset]),
      [
        [0, 0, 4],
        [1, 0, 1],
      ],
    );
    const p = await mqJson<{ diffTotal: number }>(c, ['consumerProgress', '-g', group]);
    assert.equal(p.diffTotal, 11);
    const s = await mq(c, ['skipAccumulatedMessage', '-g', group, '-t', topic, '--yes']);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(
      s.stdout.split('\n')[0],
      `${'#brokerName'.padEnd(20)}  ${'#queueId'.padEnd(20)}  ${'#brokerOffset'.padEnd(20)}  ${'#consumerOffset'.padEnd(20)}  ${'#timestampOffset'.padEnd(20)}  ${'#rollbackOffset'.padEnd(20)}`,
    );
    const after = await mqJson<{ queues: Array<{ topic: string; diff: number }> }>(c, [
      'consumerProgress',
      '-g',
      group,
    ]);
    assert.deepEqual(
      after.queues.filter((q) => q.topic === topic).map((q) => q.diff),
      [0, 0],
    );
  });

  test('statsAll: one row per topic and group with accumulation', async () => {
    const j = await mqJson<{ rows: Array<Record<string, unknown>>; failed: unknown[] }>(c, [
      'statsAll',
      '-t',
      topic,
    ]);
    assert.deepEqual(keysOf(j.rows[0]!), [
      'accumulation',
      'consumerGroup',
      'inMsg24Hour',
      'inTps',
      'outMsg24Hour',
      'outTps',
      'topic',
    ]);
    assert.ok(j.rows.every((r) => r.topic === topic));
  });
});

describe('failures: one line on stderr, non-zero exit', () => {
  test('unknown topic and unknown group', async () => {
    for (const args of [
      ['topicRoute', '-t', 'NoSuchTopic'],
      ['topicStatus', '-t', 'NoSuchTopic'],
      ['consumerProgress', '-g', 'noSuchGroup'],
      ['consumerConnection', '-g', 'noSuchGroup'],
    ]) {
      const r = await mq(c, args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /NoSuchTopic|noSuchGroup/);
    }
    const j = await mq(c, ['consumerProgress', '-g', 'noSuchGroup', '--json']);
    assert.equal(j.code, 1);
    assert.equal(JSON.parse(j.stdout).error.code, 26);
  });

  test('unreachable name server', async () => {
    const r = await mq(null, ['clusterList', '-n', '127.0.0.1:1']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^clusterList: GET_BROKER_CLUSTER_INFO: no name server reachable \(127\.0\.0\.1:1\).*\n$/,
    );
  });
});

describe('message tracks', () => {
  test('queryMsgById shows per group: CONSUMED, CONSUMED_BUT_FILTERED, NOT_ONLINE; no consumer -> WARN', {
    timeout: 60_000,
  }, async () => {
    const topic = 'TrackTopic';
    const up = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', topic, '-r', '1', '-w', '1']);
    assert.equal(up.code, 0, up.stderr);
    await waitFor(async () => (await admin.fetchAllTopicList()).includes(topic), 10_000, 'topic');
    const producer = new Producer({
      namesrvAddr: c.namesrvAddr,
      groupName: 'trackP',
      instanceName: 'track-p',
    });
    await producer.start();
    const a = await producer.send({ topic, body: 'tagged A', tags: 'A' });
    await producer.send({ topic, body: 'tagged B', tags: 'B' });
    await producer.shutdown();

    const none = await mq(c, ['queryMsgById', '-i', a.offsetMsgId]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /\n\nWARN: No Consumer\n$/);

    const consumers: PushConsumer[] = [];
    const consume = async (group: string, tags: string) => {
      const p = new PushConsumer({
        namesrvAddr: c.namesrvAddr,
        groupName: group,
        instanceName: `track-${group}`,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        persistConsumerOffsetInterval: 200,
      });
      p.subscribe(topic, tags).registerMessageListener(async () => 'CONSUME_SUCCESS' as const);
      await p.start();
      consumers.push(p);
      return p;
    };
    await consume('trackAll', '*');
    await consume('trackOnlyB', 'B');
    const gone = await consume('trackGone', '*');
    type Tracked = { messages: Array<{ tracks: Array<{ consumerGroup: string; trackType: string }> }> };
    const tracks = async () => {
      const j = await mqJson<Tracked>(c, ['queryMsgById', '-i', a.offsetMsgId]);
      return Object.fromEntries(j.messages[0]!.tracks.map((t) => [t.consumerGroup, t.trackType]));
    };
    try {
      await waitFor(
        async () => {
          const t = await tracks();
          return (
            t.trackAll === 'CONSUMED' &&
            t.trackOnlyB === 'CONSUMED_BUT_FILTERED' &&
            t.trackGone === 'CONSUMED'
          );
        },
        30_000,
        'offsets committed past the message',
      );
      await gone.shutdown(); // commits and unregisters: the group is known by its offsets only
      await waitFor(async () => (await tracks()).trackGone === 'NOT_ONLINE', 15_000, 'group offline');
      const text = await mq(c, ['queryMsgById', '-i', a.offsetMsgId]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(
        text.stdout,
        /MessageTrack \[consumerGroup=trackAll, trackType=CONSUMED, exceptionDesc=null\]/,
      );
      assert.match(
        text.stdout,
        /MessageTrack \[consumerGroup=trackGone, trackType=NOT_ONLINE, exceptionDesc=CODE:206 /,
      );
    } finally {
      for (const p of consumers) await p.shutdown();
    }
  });
});

describe('consumerStatus', () => {
  test('lists each client with its running-info file, checks subscriptions and rebalance; -i prints one client', {
    timeout: 90_000,
  }, async () => {
    const topic = 'StatusTopic';
    const group = 'statusGroup';
    const up = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', topic, '-r', '4', '-w', '4']);
    assert.equal(up.code, 0, up.stderr);
    await waitFor(async () => (await admin.fetchAllTopicList()).includes(topic), 10_000, 'topic');
    const consumers = ['s1', 's2'].map((name) => {
      const p = new PushConsumer({
        namesrvAddr: c.namesrvAddr,
        groupName: group,
        instanceName: `status-${name}`,
      });
      p.subscribe(topic, 'TagA || TagB').registerMessageListener(async () => 'CONSUME_SUCCESS' as const);
      return p;
    });
    try {
      for (const p of consumers) await p.start();
      type Status = {
        clients: Array<{ clientId: string; runningInfo?: { mqTable: unknown[] } }>;
        subscriptionSame: boolean;
        rebalanceOk: boolean;
      };
      // Both clients connected, and the topic's 4 queues held once each (how they split depends on when the
      // second client's rebalance runs).
      const st = await waitFor(
        async () => {
          const j = await mqJson<Status>(c, ['consumerStatus', '-g', group]);
          const held = j.clients.flatMap((x) => (x.runningInfo?.mqTable ?? []) as Array<[{ topic: string }]>);
          const topicQueues = held.filter(([mq]) => mq.topic === topic).length;
          return j.clients.length === 2 && topicQueues === 4 ? j : undefined;
        },
        45_000,
        'two clients holding the queues',
      );
      assert.equal(st.subscriptionSame, true);
      assert.equal(st.rebalanceOk, true);

      const text = await mq(c, ['consumerStatus', '-g', group]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^#Index +#ClientId +#Version +#ConsumerRunningInfoFile\n/);
      const files = [...text.stdout.matchAll(/^\d+ +\S+ +\S+ +(\S+)$/gm)].map((m) => m[1]!);
      assert.equal(files.length, 2, text.stdout);
      for (const f of files)
        assert.match(readFileSync(f, 'utf8'), /#Consumer Subscription#\n001 Topic: StatusTopic/);
      assert.match(text.stdout, /Same subscription in the same group of consumer\n\nRebalance OK\n/);

      const one = await mq(c, ['consumerStatus', '-g', group, '-i', st.clients[0]!.clientId]);
      assert.equal(one.code, 0, one.stderr);
      assert.match(one.stdout, /^#Consumer Properties#\n/);
      assert.match(one.stdout, /SubExpression: TagA\|\|TagB/);
    } finally {
      for (const p of consumers) await p.shutdown();
    }
  });
});
