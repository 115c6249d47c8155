// Loaded into every test process (bin/test.js passes it with --import; servers.ts imports it too, for a test
// file run alone): the process and every server it spawns get their own HOME, log dir and pid dir in one temp
// dir, removed when the process exits. So no test writes ~/logs/rocketmqlogs, ~/store, ~/.mq or
// ~/.rocketmq_offsets of the real user, and nothing of a test outlives it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function setUp(): string {
  // Once per process; its children (servers, CLI runs) inherit the variables set here.
  if (process.env.MQ_TEST_SANDBOX && process.env.MQ_TEST_SANDBOX_PID === String(process.pid))
    return process.env.MQ_TEST_SANDBOX;
  const dir = mkdtempSync(join(tmpdir(), 'mq-test-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  mkdirSync(join(dir, 'tmp'));
  Object.assign(process.env, {
    MQ_TEST_SANDBOX: dir,
    MQ_TEST_SANDBOX_PID: String(process.pid),
    HOME: home,
    MQ_LOG_DIR: join(dir, 'logs'),
    MQ_PID_DIR: join(dir, 'pids'),
    ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR: join(dir, 'offsets'),
  });
  // The user's own settings must not steer tests: a name server address or log format from the shell.
  for (const k of ['NAMESRV_ADDR', 'ROCKETMQ_LOG_DIR', 'MQ_LOG_FORMAT', 'ROCKETMQ_HOME'])
    delete process.env[k];
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The temp dir of this test process: home/, logs/, pids/, offsets/, tmp/ inside. */
export const SANDBOX = setUp();

/**
 * TMPDIR for the servers and CLI runs a test starts (mqadmin writes message bodies and exports under
 * <tmp>/rocketmq, as Java's does). The test's own temp dirs stay in the real TMPDIR, where bin/test.js
 * checks that each test removed them.
 */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.TMPDIR === process.env.TMPDIR ? { ...env, TMPDIR: join(SANDBOX, 'tmp') } : env;
}
