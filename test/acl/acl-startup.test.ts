import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RUN_JS, removeDir, tempDir, writeConf } from '../helpers/servers.js';

// `mq broker start` with aclEnable=true refuses to start, in one line, when the ACL file is missing or
// malformed or when no rocketmqHome says where it is.

const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

function startBroker(
  conf: Record<string, string | number | boolean>,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string; dir: string }> {
  const dir = tempDir('mq-acl-start-');
  dirs.push(dir);
  const file = writeConf(join(dir, 'broker.conf'), {
    brokerName: 'broker-acl',
    brokerIP1: '127.0.0.1',
    listenPort: 0,
    storePathRootDir: join(dir, 'store'),
    ...conf,
  });
  const childEnv: NodeJS.ProcessEnv = { ...process.env, MQ_LOG_DIR: join(dir, 'logs'), ...env };
  delete childEnv.ROCKETMQ_HOME;
  delete childEnv.NAMESRV_ADDR;
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [RUN_JS, 'broker', 'start', '-c', file, '--pid-file', join(dir, 'broker.pid')],
      { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`broker did not exit; stdout: ${stdout}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, dir });
    });
  });
}

function home(yml?: string): string {
  const h = tempDir('mq-acl-home-');
  dirs.push(h);
  mkdirSync(join(h, 'conf'));
  if (yml !== undefined) writeFileSync(join(h, 'conf', 'plain_acl.yml'), yml);
  return h;
}

function oneLine(r: { code: number | null; stdout: string; stderr: string }, re: RegExp): void {
  assert.notEqual(r.code, 0, `exit code; stdout: ${r.stdout}`);
  assert.doesNotMatch(r.stdout, /boot success/);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, re);
}

test('aclEnable=true without an ACL file: refused, naming the file', { timeout: 30_000 }, async () => {
  const h = home();
  const r = await startBroker({ aclEnable: true, rocketmqHome: h });
  oneLine(r, new RegExp(`${join(h, 'conf', 'plain_acl.yml').replaceAll('.', '\\.')} does not exist`));
});

test('aclEnable=true with a malformed file: refused, naming the file and the problem', {
  timeout: 30_000,
}, async () => {
  const h = home('accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    topicPerms: [TopicA]\n');
  // $ROCKETMQ_HOME is the fallback when broker.conf has no rocketmqHome
  const r = await startBroker({ aclEnable: true }, { ROCKETMQ_HOME: h });
  oneLine(r, /plain_acl\.yml: .*"TopicA" is not of the form name=PERM/);
});

test('aclEnable=true with no rocketmqHome and no $ROCKETMQ_HOME: refused', { timeout: 30_000 }, async () => {
  const r = await startBroker({ aclEnable: true });
  oneLine(r, /aclEnable=true but neither rocketmqHome .* nor \$ROCKETMQ_HOME is set/);
});
