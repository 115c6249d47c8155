import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parsePlainAcl } from '../../src/engine/acl/index.js';
import { Producer } from '../../src/engine/client/index.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { aclClientHook, RemotingClient } from '../../src/engine/remoting/index.js';
import { type Cluster, startCluster } from '../broker/harness.js';
import { type CliRun, removeDir, runCli, tempDir } from '../helpers/servers.js';

// The ACL admin request codes (50–54) on a real aclEnable broker, driven through the mqadmin-style commands.

const YML = `globalWhiteRemoteAddresses:
  - 10.10.103.*
accounts:
  - accessKey: RocketMQ
    secretKey: 12345678
    defaultTopicPerm: PUB
  - accessKey: rocketmq2
    secretKey: 12345678
    admin: true
`;
const SIGN_ADMIN = ['--accessKey', 'rocketmq2', '--secretKey', '12345678'];

let c: Cluster;
let home: string;
let aclFile: string;
const bare = new RemotingClient({ idleMs: 0 });

before(async () => {
  home = tempDir('mq-acl-admin-');
  mkdirSync(join(home, 'conf'));
  aclFile = join(home, 'conf', 'plain_acl.yml');
  writeFileSync(aclFile, YML);
  c = await startCluster({ aclEnable: true, rocketmqHome: home });
  c.client.registerRpcHook(aclClientHook({ accessKey: 'rocketmq2', secretKey: '12345678' }));
  await c.createTopic('TopicAdm', 2);
});
after(async () => {
  await bare.close();
  await c?.stop();
  if (home) removeDir(home);
});

function mq(args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, MQ_LOG_DIR: join(home, 'logs') };
  delete env.MQ_ACCESS_KEY;
  delete env.MQ_SECRET_KEY;
  return runCli([...args, '-n', c.namesrv], { env });
}

const fileDoc = () => parsePlainAcl(readFileSync(aclFile, 'utf8'), aclFile);

async function sendAs(accessKey: string, secretKey: string): Promise<string> {
  const p = new Producer({
    namesrvAddr: c.namesrv,
    instanceName: `adm-${accessKey}-${Date.now()}`,
    accessKey,
    secretKey,
  });
  await p.start();
  try {
    return (await p.send({ topic: 'TopicAdm', body: 'x' })).sendStatus;
  } finally {
    await p.shutdown();
  }
}

test('updateAclConfig creates an account that works at once; non-admins and bad perms are refused', {
  timeout: 60_000,
}, async () => {
  await assert.rejects(sendAs('newuser1', 'newsecret1'), /No acl config for newuser1/);
  const r = await mq([
    'updateAclConfig',
    '-b',
    c.brokerAddr,
    '-a',
    'newuser1',
    '-s',
    'newsecret1',
    '-t',
    'TopicAdm=PUB,Other=DENY',
    '-g',
    'G1=SUB',
    '-i',
    'DENY',
    ...SIGN_ADMIN,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`create or update plain access config to ${c.brokerAddr} success`));
  const acc = fileDoc().accounts.find((a) => a.accessKey === 'newuser1');
  assert.deepEqual(acc, {
    accessKey: 'newuser1',
    secretKey: 'newsecret1',
    admin: false,
    defaultTopicPerm: 'DENY',
    topicPerms: ['TopicAdm=PUB', 'Other=DENY'],
    groupPerms: ['G1=SUB'],
  });
  assert.equal(await sendAs('newuser1', 'newsecret1'), 'SEND_OK');

  const before = readFileSync(aclFile, 'utf8');
  const bad = await mq([
    'updateAclConfig',
    '-b',
    c.brokerAddr,
    '-a',
    'newuser1',
    '-s',
    'newsecret1',
    '-t',
    'TopicAdm=WRITE',
    ...SIGN_ADMIN,
  ]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /UPDATE_AND_CREATE_ACL_CONFIG_FAILED \(209\).*TopicAdm=WRITE/);
  const notAdmin = await mq([
    'updateAclConfig',
    '-b',
    c.brokerAddr,
    '-a',
    'RocketMQ',
    '-s',
    '12345678',
    '-m',
    'true',
    '--accessKey',
    'RocketMQ',
    '--secretKey',
    '12345678',
  ]);
  assert.notEqual(notAdmin.code, 0);
  assert.match(notAdmin.stderr, /Need admin permission for request code=50/);
  assert.equal(readFileSync(aclFile, 'utf8'), before, 'refused changes leave the file alone');
});

test('clusterAclConfigVersion and getAccessConfigSubCommand read the file back', {
  timeout: 30_000,
}, async () => {
  const v = await mq(['clusterAclConfigVersion', '-c', 'TestCluster', '--json', ...SIGN_ADMIN]);
  assert.equal(v.code, 0, v.stderr);
  const info = JSON.parse(v.stdout) as {
    brokers: Array<{ brokerAddr: string; allAclFileVersion: Record<string, { counter: number }> }>;
  };
  assert.equal(info.brokers[0]?.brokerAddr, c.brokerAddr);
  assert.equal(info.brokers[0]?.allAclFileVersion[aclFile]?.counter, fileDoc().dataVersion?.[0]?.counter);
  assert.ok((fileDoc().dataVersion?.[0]?.counter ?? 0) >= 1);
  const text = await mq(['clusterAclConfigVersion', '-b', c.brokerAddr, ...SIGN_ADMIN]);
  assert.match(text.stdout, new RegExp(`${c.brokerAddr}\\s+${aclFile.replaceAll('.', '\\.')}`));
  const g = await mq(['getAccessConfigSubCommand', '-b', c.brokerAddr, ...SIGN_ADMIN]);
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stdout, /globalWhiteRemoteAddresses: \[10\.10\.103\.\*\]/);
  assert.match(g.stdout, /accessKey\s+: newuser1/);
  assert.match(g.stdout, /topicPerms\s+: \[TopicAdm=PUB, Other=DENY\]/);
});

test('updateGlobalWhiteAddr lets an unsigned client in; deleteAccessConfig removes an account', {
  timeout: 60_000,
}, async () => {
  const unsigned = async () =>
    (await bare.invoke(c.brokerAddr, createRequest(RequestCode.GET_ALL_TOPIC_CONFIG), 5000)).code;
  assert.equal(await unsigned(), 1);
  const wrongFile = await mq([
    'updateGlobalWhiteAddr',
    '-b',
    c.brokerAddr,
    '-g',
    '127.0.0.1',
    '-p',
    '/etc/other.yml',
    ...SIGN_ADMIN,
  ]);
  assert.notEqual(wrongFile.code, 0);
  assert.match(wrongFile.stderr, /UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED/);
  const w = await mq([
    'updateGlobalWhiteAddr',
    '-b',
    c.brokerAddr,
    '-g',
    '127.0.0.1,10.10.103.*',
    ...SIGN_ADMIN,
  ]);
  assert.equal(w.code, 0, w.stderr);
  assert.deepEqual(fileDoc().globalWhiteRemoteAddresses, ['127.0.0.1', '10.10.103.*']);
  assert.equal(await unsigned(), 0);
  // white-listed now, so even unsigned admin commands pass; put the list back with one
  const back = await mq(['updateGlobalWhiteAddr', '-b', c.brokerAddr, '-g', '10.10.103.*']);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(await unsigned(), 1);

  const d = await mq(['deleteAccessConfig', '-b', c.brokerAddr, '-a', 'newuser1', ...SIGN_ADMIN]);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /account's accesskey is:newuser1/);
  assert.equal(
    fileDoc().accounts.some((a) => a.accessKey === 'newuser1'),
    false,
  );
  await assert.rejects(sendAs('newuser1', 'newsecret1'), /No acl config for newuser1/);
  const again = await mq(['deleteAclConfig', '-b', c.brokerAddr, '-a', 'newuser1', ...SIGN_ADMIN]);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /DELETE_ACL_CONFIG_FAILED \(210\).*newuser1/);
});
