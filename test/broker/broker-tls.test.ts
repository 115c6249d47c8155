import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  type Proc,
  RUN_JS,
  removeDir,
  startBroker,
  startNamesrv,
  stopProc,
  tempDir,
} from '../helpers/servers.js';

// `mq namesrv start` and `mq broker start` with tls.server.mode=enforcing (MQ_TLS_SERVER_MODE) and
// tls.enable for the broker's own connections: our CLI talks to them with --tls, and only with it.

const dir = tempDir('mq-broker-tls-');
const procs: Proc[] = [];
let namesrv = '';
const env = {
  MQ_LOG_DIR: join(dir, 'logs'),
  MQ_LOG_LEVEL: 'warn',
  MQ_TLS_SERVER_MODE: 'enforcing',
  MQ_TLS_ENABLE: 'true',
  MQ_TLS_CONFIG_FILE: undefined,
};

before(async () => {
  const ns = await startNamesrv(dir, { env });
  procs.push(ns.proc);
  namesrv = ns.addr;
  const b = await startBroker({
    confFile: join(dir, 'broker.conf'),
    conf: {
      brokerName: 'tls-broker',
      listenPort: 0,
      namesrvAddr: namesrv,
      storePathRootDir: join(dir, 'store'),
    },
    env,
  });
  procs.push(b.proc);
});

after(async () => {
  for (const p of procs.reverse()) await stopProc(p);
  removeDir(dir);
});

function mq(args: string[]) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, MQ_LOG_DIR: join(dir, 'logs') };
  delete childEnv.MQ_TLS_ENABLE;
  delete childEnv.MQ_TLS_SERVER_MODE;
  return spawnSync(process.execPath, [RUN_JS, ...args, '-n', namesrv], {
    encoding: 'utf8',
    timeout: 45_000,
    env: childEnv,
  });
}

test('with --tls the CLI sends and consumes; without it, one line and a non-zero exit', {
  timeout: 90_000,
}, async () => {
  // The broker registered over TLS (its name server refuses plain connections).
  let route = mq(['topicRoute', '-t', 'TBW102', '--tls']);
  for (let i = 0; i < 50 && route.status !== 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    route = mq(['topicRoute', '-t', 'TBW102', '--tls']);
  }
  assert.equal(route.status, 0, route.stderr);
  const sent = mq(['producer', 'send', '-t', 'TlsTopic', '-b', 'over tls', '--tls', '--json']);
  assert.equal(sent.status, 0, sent.stderr);
  const got = mq([
    'consumer',
    'tail',
    '-t',
    'TlsTopic',
    '--from',
    'first',
    '--count',
    '1',
    '--json',
    '--tls',
  ]);
  assert.equal(got.status, 0, got.stderr);
  assert.equal(JSON.parse(got.stdout.trim()).body, 'over tls');
  const plain = mq(['producer', 'send', '-t', 'TlsTopic', '-b', 'plain']);
  assert.notEqual(plain.status, 0);
  assert.equal(plain.stderr.trim().split('\n').length, 1, plain.stderr);
});
