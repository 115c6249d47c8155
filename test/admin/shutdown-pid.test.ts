// `mq shutdown broker|namesrv`: the pid in a pid file is signalled only while it is still that mq server;
// stale files are reported and removed; the command waits for the exit, with a timeout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanupAfter } from '../helpers/cleanup.js';
import { runCli, startBroker, startNamesrv, tempDir } from '../helpers/servers.js';

const cleanup = cleanupAfter();

function setup(name: string) {
  const dir = tempDir(`mq-shutdown-${name}-`);
  cleanup.dirs.push(dir);
  const pids = join(dir, 'pids');
  mkdirSync(pids);
  const env = { ...process.env, HOME: dir, MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: pids };
  return { dir, pids, env };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a pid file whose pid is now another program: reported, removed, and that program is not signalled', {
  timeout: 60_000,
}, async () => {
  const { dir, pids, env } = setup('reused');
  // A name server started the way ops scripts do (its pid file in MQ_PID_DIR) …
  const ns = await startNamesrv(dir, { env, pidFile: join(pids, 'namesrv-1.pid') });
  cleanup.procs.push(ns.proc);
  assert.equal(readFileSync(join(pids, 'namesrv-1.pid'), 'utf8'), `${ns.proc.child.pid}\n`);
  // … and a pid file left behind by a server that died, whose pid an unrelated program now has.
  const other = spawn('sleep', ['60'], { stdio: 'ignore' });
  const otherExit = new Promise((r) => other.once('exit', r));
  cleanup.closers.push(async () => {
    other.kill('SIGKILL');
    await otherExit;
  });
  writeFileSync(join(pids, 'namesrv-2.pid'), `${other.pid}\n`);
  // A pid file written long before that program started (the pid was reused by a later mq server).
  writeFileSync(join(pids, 'namesrv-3.pid'), `${ns.proc.child.pid}\n`);
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(join(pids, 'namesrv-3.pid'), hourAgo, hourAgo);
  // And one whose process is gone.
  writeFileSync(join(pids, 'namesrv-4.pid'), '999999999\n');

  const r = await runCli(['shutdown', 'namesrv'], { env, timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Sent SIGTERM to the mqnamesrv\(\d+\); waiting up to 60s/);
  assert.match(r.stdout, /The mqnamesrv\(\d+\) shut down cleanly in \d+ ms/);
  assert.match(
    r.stdout,
    new RegExp(`namesrv-2\\.pid: pid ${other.pid} is now another program \\(sleep 60\\)`),
  );
  assert.match(r.stdout, /namesrv-3\.pid: pid \d+ is (now another program|not running)/);
  assert.match(r.stdout, /namesrv-4\.pid: pid 999999999 is not running/);
  assert.equal((await ns.proc.exited).code, 0);
  assert.ok(alive(other.pid!), 'the unrelated program was signalled');
  for (const f of ['namesrv-1', 'namesrv-2', 'namesrv-3', 'namesrv-4'])
    assert.ok(!existsSync(join(pids, `${f}.pid`)), `${f}.pid left behind`);

  // Only stale files: nothing signalled, a clear non-zero exit.
  writeFileSync(join(pids, 'namesrv-5.pid'), `${other.pid}\n`);
  const none = await runCli(['shutdown', 'namesrv'], { env, timeoutMs: 30_000 });
  assert.equal(none.code, 1);
  assert.match(none.stdout, /Removed stale pid file .*namesrv-5\.pid/);
  assert.match(none.stderr, /No mqnamesrv running/);
  assert.ok(alive(other.pid!));
});

test('a broker that does not exit within --timeout: a clear non-zero exit naming the pid and the way on', {
  timeout: 60_000,
}, async () => {
  const { dir, env } = setup('timeout');
  const ns = await startNamesrv(dir, { env });
  cleanup.procs.push(ns.proc);
  const pidFile = join(dir, 'broker.pid');
  const b = await startBroker({
    confFile: join(dir, 'broker.conf'),
    pidFile,
    conf: {
      brokerName: 'broker-t',
      listenPort: 0,
      namesrvAddr: ns.addr,
      brokerIP1: '127.0.0.1',
      storePathRootDir: join(dir, 'store'),
    },
    env,
  });
  cleanup.procs.push(b.proc);
  const pid = b.proc.child.pid!;
  // Stopped, it cannot act on SIGTERM until it is continued.
  process.kill(pid, 'SIGSTOP');
  const t0 = Date.now();
  const r = await runCli(['shutdown', 'broker', '--pid-file', pidFile, '--timeout', '1'], {
    env,
    timeoutMs: 30_000,
  });
  assert.equal(r.code, 1, r.stdout);
  assert.ok(Date.now() - t0 < 15_000);
  assert.match(
    r.stderr,
    new RegExp(`mqbroker is still running after 1s \\(pid ${pid}\\).*--timeout.*--force`),
  );
  assert.ok(existsSync(pidFile), 'the pid file of a running broker stays');
  process.kill(pid, 'SIGCONT'); // the pending SIGTERM now stops it cleanly
  assert.equal((await b.proc.exited).code, 0);
  assert.ok(!existsSync(pidFile));
});
