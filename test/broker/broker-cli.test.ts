import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeProperties } from '../../src/engine/protocol/message/index.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { RUN_JS, stopProc } from '../helpers/servers.js';
import { type Cluster, startCluster } from './harness.js';

// `mq broker start` as a process: config errors, warnings, -m, SIGTERM (flush, unregister, pid file),
// and a restart on the same store that keeps topics, offsets and messages.

const tmp = mkdtempSync(join(tmpdir(), 'mq-broker-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function brokerCli(confText: string, extra: string[] = []) {
  const conf = join(tmp, `b${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(conf, confText);
  return spawnSync(process.execPath, [RUN_JS, 'broker', 'start', '-c', conf, ...extra], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, MQ_LOG_DIR: join(tmp, 'logs'), MQ_PID_DIR: join(tmp, 'pids') },
  });
}

test('a malformed broker.conf value is one line on stderr and exit 1', () => {
  const r = brokerCli(`storePathRootDir=${tmp}/s\nlistenPort=abc\n`);
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /:2: listenPort = 'abc' is not a TCP port/);
});

test('-m prints the important keys; unknown keys are warned about with the nearest known key', () => {
  const r = brokerCli(`storePathRootDir=${tmp}/s\nlistenPrt=10911\nbrokerName=broker-x\n`, ['-m']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /unknown key 'listenPrt' ignored \(did you mean 'listenPort'\?\)/);
  assert.match(r.stdout, /^brokerName=broker-x$/m);
  assert.match(r.stdout, /^autoCreateTopicEnable=true$/m);
});

let c: Cluster;
before(async () => {
  c = await startCluster();
});
after(async () => {
  await c?.stop();
});

async function route(topic: string) {
  const ch = await c.client.getChannel(c.namesrv);
  return ch.invoke(createRequest(105, { topic }), 3000);
}

test('SIGTERM: graceful stop unregisters and removes the pid file; a restart keeps topics, offsets, messages', {
  timeout: 60_000,
}, async () => {
  await c.createTopic('Durable', 2);
  const sent = await c.call(
    310,
    {
      a: 'PG',
      b: 'Durable',
      c: 'TBW102',
      d: 4,
      e: 1,
      f: 0,
      g: Date.now(),
      h: 0,
      i: encodeProperties({ TAGS: 'x' }),
    },
    Buffer.from('survives'),
  );
  assert.equal(sent.code, 0);
  await c.call(15, { consumerGroup: 'CG_d', topic: 'Durable', queueId: 1, commitOffset: 1 });
  assert.equal((await route('Durable')).code, ResponseCode.SUCCESS);
  const pidFile = join(c.dir, 'broker.pid');
  assert.equal(Number(readFileSync(pidFile, 'utf8')), c.broker.child.pid);

  const exit = await stopProc(c.broker, 15_000);
  assert.equal(exit?.code, 0);
  assert.equal(existsSync(pidFile), false, 'pid file removed');
  assert.equal(
    (await route('Durable')).code,
    ResponseCode.TOPIC_NOT_EXIST,
    'unregistered from the name server',
  );
  const offsets = readFileSync(join(c.dir, 'store/config/consumerOffset.json'), 'utf8');
  assert.match(offsets, /"Durable@CG_d":\{1:1\}/, 'offsets persisted with bare int keys');

  await c.restartBroker();
  assert.equal((await route('Durable')).code, ResponseCode.SUCCESS, 'registered again with its topics');
  const off = await c.call(14, { consumerGroup: 'CG_d', topic: 'Durable', queueId: 1 });
  assert.equal(off.extFields!.offset, '1');
  const max = await c.call(30, { topic: 'Durable', queueId: 1 });
  assert.equal(max.extFields!.offset, '1');
  const view = await c.call(33, { offset: 0 });
  assert.equal(view.code, 0);
  assert.ok(view.body!.includes(Buffer.from('survives')));
});

test("a second broker on a running broker's store refuses to start, naming the owner; the first keeps serving", {
  timeout: 30_000,
}, async () => {
  const r = brokerCli(`storePathRootDir=${join(c.dir, 'store')}\nlistenPort=0\nbrokerName=intruder\n`);
  assert.equal(r.status, 1, r.stdout);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, new RegExp(`is in use by process ${c.broker.child.pid} `));
  const res = await c.call(RequestCode.GET_BROKER_RUNTIME_INFO);
  assert.equal(res.code, ResponseCode.SUCCESS);
});

test('UPDATE_BROKER_CONFIG applies at once, is validated, and is written back to broker.conf', {
  timeout: 20_000,
}, async () => {
  const body = (text: string) => Buffer.from(text, 'utf8');
  const bad = await c.call(25, {}, body('waitTimeMillsInSendQueue=soon\n'));
  assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
  assert.match(bad.remark!, /waitTimeMillsInSendQueue = 'soon' is not a whole number/);
  const fixed = await c.call(25, {}, body('listenPort=1234\n'));
  assert.equal(fixed.code, ResponseCode.SYSTEM_ERROR);
  assert.match(fixed.remark!, /restart/);
  const upd = await c.call(25, {}, body('waitTimeMillsInSendQueue=900\nautoCreateSubscriptionGroup=false\n'));
  assert.equal(upd.code, 0, upd.remark);
  const got = await c.call(26);
  assert.match(got.body!.toString(), /^waitTimeMillsInSendQueue=900$/m);
  assert.match(got.body!.toString(), /^autoCreateSubscriptionGroup=false$/m);
  const conf = readFileSync(join(c.dir, 'broker.conf'), 'utf8');
  assert.match(conf, /^waitTimeMillsInSendQueue=900$/m);
  assert.match(conf, /^brokerName=broker-t$/m, 'other lines kept');
  const pull = await c.call(11, {
    consumerGroup: 'CG_never_seen',
    topic: 'Durable',
    queueId: 0,
    queueOffset: 0,
    maxMsgNums: 1,
    sysFlag: 4,
    commitOffset: 0,
    suspendTimeoutMillis: 0,
    subscription: '*',
    subVersion: 1,
  });
  assert.equal(
    pull.code,
    ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
    'autoCreateSubscriptionGroup=false took effect',
  );
});
