import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { Producer, PushConsumer } from '../../src/engine/client/index.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { aclClientHook, RemotingClient } from '../../src/engine/remoting/index.js';
import {
  aliOns,
  aliOnsCommon,
  type Cluster,
  closeAll,
  quiet,
  startCluster,
  waitFor,
} from '../broker/harness.js';
import { type CliRun, removeDir, runCli, tempDir } from '../helpers/servers.js';

// A real `mq broker start` child with aclEnable=true and <rocketmqHome>/conf/plain_acl.yml; ali-ons@3.12.0
// (which signs like Apache's AclClientRPCHook, plus its OnsChannel field) and our own clients and CLI.

const YML = `globalWhiteRemoteAddresses:
  - 10.10.103.*
accounts:
  - accessKey: RocketMQ
    secretKey: 12345678
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - TopicOK=PUB|SUB
      - TopicDeny=DENY
  - accessKey: rocketmq2
    secretKey: 12345678
    admin: true
`;
const USER = { accessKey: 'RocketMQ', secretKey: '12345678' };
const ADMIN = { accessKey: 'rocketmq2', secretKey: '12345678' };

const { Producer: AliProducer, Consumer: AliConsumer, Message } = aliOns();
let c: Cluster;
let home: string;
let aclFile: string;
let admin: AdminClient;
const bare = new RemotingClient({ idleMs: 0 });

before(async () => {
  home = tempDir('mq-acl-home-');
  mkdirSync(join(home, 'conf'));
  aclFile = join(home, 'conf', 'plain_acl.yml');
  writeFileSync(aclFile, YML);
  c = await startCluster({ aclEnable: true, rocketmqHome: home });
  c.client.registerRpcHook(aclClientHook(ADMIN));
  await c.createTopic('TopicOK', 4);
  await c.createTopic('TopicDeny', 4);
  admin = new AdminClient({ namesrvAddr: c.namesrv, ...ADMIN });
});
after(async () => {
  await admin?.close();
  await bare.close();
  await c?.stop();
  if (home) removeDir(home);
});

async function totalMax(topic: string): Promise<number> {
  let n = 0;
  for (let q = 0; q < 4; q++)
    n += await admin.getMaxOffset(c.brokerAddr, { topic, brokerName: 'broker-t', queueId: q });
  return n;
}

function aliProducer(name: string, creds: { accessKey: string; secretKey: string }, errors: string[] = []) {
  return quiet(
    new AliProducer({
      ...aliOnsCommon(c.namesrv, name, errors),
      ...creds,
      producerGroup: `PG_${name}`,
      retryTimesWhenSendFailed: 0,
    }),
    errors,
  );
}

/** One send attempt through ali-ons' internals, which rejects with the broker's code and remark. */
// biome-ignore lint/suspicious/noExplicitAny: ali-ons ships no types
async function sendKernel(producer: any, topic: string): Promise<unknown> {
  const info = await producer.tryToFindTopicPublishInfo(topic);
  return producer.sendKernelImpl(new Message(topic, 'TagA', 'nope'), info.selectOneMessageQueue());
}

test('ali-ons producer and consumer with the right accessKey/secretKey send and consume', {
  timeout: 45_000,
}, async () => {
  const producer = aliProducer('acl-p', USER);
  const consumer = quiet(
    new AliConsumer({
      ...aliOnsCommon(c.namesrv, 'acl-c'),
      ...USER,
      consumerGroup: 'CG_acl',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    }),
  );
  const got = new Set<string>();
  consumer.subscribe('TopicOK', '*', async (msg: { body: Buffer }) => {
    got.add(msg.body.toString());
  });
  try {
    await producer.ready();
    for (let i = 0; i < 5; i++) {
      const r = await producer.send(new Message('TopicOK', 'TagA', `ali-${i}`));
      assert.equal(r.sendStatus, 'SEND_OK');
    }
    await consumer.ready();
    assert.ok(await waitFor(() => got.size >= 5, 30_000), `consumed ${got.size} of 5`);
  } finally {
    await closeAll([producer, consumer]);
  }
});

test('our Producer and PushConsumer with accessKey/secretKey (heartbeat, pull, offset commit signed)', {
  timeout: 45_000,
}, async () => {
  const tag = `ours-${Date.now()}`;
  const producer = new Producer({ namesrvAddr: c.namesrv, instanceName: 'acl-ours-p', ...USER });
  const consumer = new PushConsumer({
    namesrvAddr: c.namesrv,
    instanceName: 'acl-ours-c',
    groupName: 'CG_ours',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    ...USER,
  });
  const got = new Set<string>();
  consumer.subscribe('TopicOK', tag);
  consumer.registerMessageListener(async (msgs) => {
    for (const m of msgs) got.add(m.body.toString());
    return 'CONSUME_SUCCESS' as const;
  });
  await producer.start();
  try {
    for (let i = 0; i < 3; i++) await producer.send({ topic: 'TopicOK', tags: tag, body: `ours-${i}` });
    await consumer.start();
    assert.ok(await waitFor(() => got.size >= 3, 30_000), `consumed ${got.size} of 3`);
  } finally {
    await consumer.shutdown();
    await producer.shutdown();
  }
});

test('a wrong secret is refused and nothing is stored', { timeout: 30_000 }, async () => {
  const before = await totalMax('TopicOK');
  const producer = aliProducer('acl-wrong', { accessKey: 'RocketMQ', secretKey: 'not-the-secret' });
  try {
    await producer.ready().catch(() => {});
    await assert.rejects(producer.send(new Message('TopicOK', 'TagA', 'nope')), /still failed/);
    // ali-ons' send() hides the broker's answer; one level down it is the Java remark
    await assert.rejects(sendKernel(producer, 'TopicOK'), /Check signature failed for accessKey=RocketMQ/);
  } finally {
    await closeAll([producer]);
  }
  // our own producer with a wrong secret too
  const ours = new Producer({
    namesrvAddr: c.namesrv,
    instanceName: 'acl-wrong-ours',
    accessKey: 'RocketMQ',
    secretKey: 'bad-secret',
  });
  await ours.start();
  try {
    await assert.rejects(
      ours.send({ topic: 'TopicOK', body: 'nope' }),
      /Check signature failed for accessKey=RocketMQ/,
    );
  } finally {
    await ours.shutdown();
  }
  assert.equal(await totalMax('TopicOK'), before, 'no message was stored');
});

test('a DENY topic is refused with the Java remark; an unsigned request names the missing key', {
  timeout: 30_000,
}, async () => {
  const producer = aliProducer('acl-deny', USER);
  try {
    await producer.ready();
    await assert.rejects(producer.send(new Message('TopicDeny', 'TagA', 'nope')), /still failed/);
    await assert.rejects(
      sendKernel(producer, 'TopicDeny'),
      /org\.apache\.rocketmq\.acl\.common\.AclException: No default permission for topic:TopicDeny/,
    );
  } finally {
    await closeAll([producer]);
  }
  assert.equal(await totalMax('TopicDeny'), 0);
  const r = await bare.invoke(c.brokerAddr, createRequest(RequestCode.GET_ALL_TOPIC_CONFIG), 5000);
  assert.equal(r.code, 1, 'SYSTEM_ERROR, as Apache answers a failed ACL check');
  assert.equal(r.remark, 'org.apache.rocketmq.acl.common.AclException: No accessKey is configured');
  // a non-admin account cannot create topics
  const user = new AdminClient({ namesrvAddr: c.namesrv, ...USER });
  try {
    await assert.rejects(
      user.createAndUpdateTopicConfig(c.brokerAddr, {
        topicName: 'Nope',
        readQueueNums: 1,
        writeQueueNums: 1,
        perm: 6,
        topicFilterType: 'SINGLE_TAG',
        topicSysFlag: 0,
        order: false,
      }),
      /Need admin permission for request code=17, but accessKey=RocketMQ is not/,
    );
  } finally {
    await user.close();
  }
});

function mq(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, MQ_LOG_DIR: join(home, 'logs') };
  delete childEnv.MQ_ACCESS_KEY;
  delete childEnv.MQ_SECRET_KEY;
  delete childEnv.ROCKETMQ_HOME;
  return runCli(args, { env: { ...childEnv, ...env } });
}

test('CLI: producer send and updateTopic work with --accessKey/--secretKey (or env), fail in one line without', {
  timeout: 60_000,
}, async () => {
  const n = ['-n', c.namesrv];
  const ok = await mq([
    'producer',
    'send',
    ...n,
    '-t',
    'TopicOK',
    '-b',
    'from-cli',
    '--accessKey',
    'RocketMQ',
    '--secretKey',
    '12345678',
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /SEND_OK/);
  const no = await mq(['producer', 'send', ...n, '-t', 'TopicOK', '-b', 'no-creds']);
  assert.notEqual(no.code, 0);
  assert.equal(no.stderr.trim().split('\n').length, 1, no.stderr);
  assert.match(no.stderr, /No accessKey is configured/);
  // A consumer the broker refuses fails at start, in one line, instead of waiting for nothing.
  const tail = await mq(['consumer', 'tail', ...n, '-t', 'TopicOK', '--from', 'first', '--count', '1']);
  assert.notEqual(tail.code, 0);
  assert.equal(tail.stderr.trim().split('\n').length, 1, tail.stderr);
  assert.match(tail.stderr, /cannot read TopicOK on broker-t: .*No accessKey is configured/);

  const create = ['updateTopic', ...n, '-b', c.brokerAddr, '-t', 'CliTopic'];
  const viaEnv = await mq(create, { MQ_ACCESS_KEY: 'rocketmq2', MQ_SECRET_KEY: '12345678' });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  const bareRun = await mq(create);
  assert.notEqual(bareRun.code, 0);
  assert.equal(bareRun.stderr.trim().split('\n').length, 1, bareRun.stderr);
  assert.match(bareRun.stderr, /No accessKey is configured/);
  const notAdmin = await mq([...create, '--accessKey', 'RocketMQ', '--secretKey', '12345678']);
  assert.notEqual(notAdmin.code, 0);
  assert.match(notAdmin.stderr, /Need admin permission/);
  // like Java mqadmin: with no keys given, $ROCKETMQ_HOME/conf/tools.yml
  const toolsHome = tempDir('mq-acl-tools-');
  try {
    mkdirSync(join(toolsHome, 'conf'));
    writeFileSync(join(toolsHome, 'conf', 'tools.yml'), 'accessKey: rocketmq2\nsecretKey: 12345678\n');
    const viaTools = await mq(['updateTopic', ...n, '-b', c.brokerAddr, '-t', 'CliTopic2'], {
      ROCKETMQ_HOME: toolsHome,
    });
    assert.equal(viaTools.code, 0, viaTools.stderr);
  } finally {
    removeDir(toolsHome);
  }
  const half = await mq([...create, '--accessKey', 'RocketMQ']);
  assert.notEqual(half.code, 0);
  assert.match(half.stderr, /--accessKey needs --secretKey/);
});

test('editing plain_acl.yml while the broker runs takes effect (global white list, topic perms)', {
  timeout: 40_000,
}, async () => {
  const unsigned = async () =>
    (await bare.invoke(c.brokerAddr, createRequest(RequestCode.GET_ALL_TOPIC_CONFIG), 5000)).code;
  assert.equal(await unsigned(), 1);
  writeFileSync(aclFile, YML.replace('  - 10.10.103.*', '  - 10.10.103.*\n  - 127.0.0.1'));
  assert.ok(await waitFor(async () => (await unsigned()) === 0, 15_000), 'white-listed after the edit');
  // An address in globalWhiteRemoteAddresses needs no signature, even for a DENY topic
  const before = await totalMax('TopicDeny');
  const producer = aliProducer('acl-white', { accessKey: '', secretKey: '' });
  try {
    await producer.ready();
    const r = await producer.send(new Message('TopicDeny', 'TagA', 'white'));
    assert.equal(r.sendStatus, 'SEND_OK');
  } finally {
    await closeAll([producer]);
  }
  assert.equal(await totalMax('TopicDeny'), before + 1);
  writeFileSync(aclFile, YML);
  assert.ok(await waitFor(async () => (await unsigned()) === 1, 15_000), 'refused again after the revert');
});
