import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanupAfter } from '../helpers/cleanup.js';
import { freePortPair, REPO, startBroker, startNamesrv, stopProc, tempDir } from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

// The servers' logs (issue 12, item 12): RocketMQ's text layout in ~/logs/rocketmqlogs (namesrv.log,
// broker.log, store.log, remoting.log), every line naming its server so two brokers sharing a log dir stay
// apart; JSON lines with --log-format json or MQ_LOG_FORMAT=json; --log-dir moves them; files roll.

const c = cleanupAfter();
const dir = tempDir('mq-logs-');
c.dirs.push(dir);

/** `2026-12-02 21:49:47,123 INFO broker [broker-a@10911] - message key=value` */
const LINE =
  /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (TRACE|DEBUG|INFO|WARN|ERROR) (\w+)(?: \[([^\]]+)\])? - (.*)$/;

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

async function waitForLine(file: string, re: RegExp, what: string): Promise<string> {
  return pollUntil(
    () =>
      read(file)
        .split('\n')
        .find((l) => re.test(l)),
    { what, timeoutMs: 10_000, everyMs: 50 },
  );
}

test('two brokers and a name server in one log dir: RocketMQ text layout, local time, each line names its server', {
  timeout: 60_000,
}, async () => {
  // The default location, as HOME's logs/rocketmqlogs: no MQ_LOG_DIR at all.
  const home = join(dir, 'home');
  const env = { HOME: home, MQ_LOG_DIR: undefined, ROCKETMQ_LOG_DIR: undefined };
  const ns = await startNamesrv(dir, { env, pidFile: join(dir, 'ns.pid') });
  c.procs.push(ns.proc);
  const [pa, pb] = [await freePortPair(), await freePortPair()];
  const start = (name: string, port: number) =>
    startBroker({
      confFile: join(dir, `${name}.conf`),
      conf: { brokerName: name, listenPort: port, namesrvAddr: ns.addr, storePathRootDir: join(dir, name) },
      env,
    });
  const a = await start('broker-a', pa);
  c.procs.push(a.proc);
  const b = await start('broker-b', pb);
  c.procs.push(b.proc);
  const rocketmqlogs = join(home, 'logs', 'rocketmqlogs');
  const brokerLog = join(rocketmqlogs, 'broker.log');
  const la = await waitForLine(brokerLog, new RegExp(`\\[broker-a@${pa}\\] - `), 'a line of broker-a');
  const lb = await waitForLine(brokerLog, new RegExp(`\\[broker-b@${pb}\\] - `), 'a line of broker-b');
  await waitForLine(
    join(rocketmqlogs, 'namesrv.log'),
    /new broker registered .*broker=broker-b/,
    'namesrv.log',
  );
  const nsLine = await waitForLine(
    join(rocketmqlogs, 'namesrv.log'),
    new RegExp(`\\[namesrv@${ns.port}\\]`),
    'ns',
  );
  assert.match(nsLine, LINE);
  for (const line of [la, lb]) {
    const m = LINE.exec(line);
    assert.ok(m, `layout: ${line}`);
    assert.equal(m[3], 'broker');
    // Local time, as logback's %d: parsed as local, it is now (give or take the test's duration).
    const [d, t] = m[1]!.split(' ');
    const local = new Date(`${d}T${t!.replace(',', '.')}`);
    assert.ok(Math.abs(Date.now() - local.getTime()) < 120_000, `${m[1]} is local time now`);
  }
  // Every line of the file is in the layout (an error's stack would follow an ERROR line only).
  for (const line of read(brokerLog).trimEnd().split('\n')) assert.match(line, LINE);
  // Structured fields follow the message as key=value.
  await waitForLine(
    brokerLog,
    new RegExp(`broker started addr=127\\.0\\.0\\.1:${pa} namesrv=${ns.addr}`),
    'fields',
  );
  // RocketMQ's split: replication in store.log.
  await waitForLine(
    join(rocketmqlogs, 'store.log'),
    /INFO store \[broker-a@\d+\] - HA service listening/,
    'store',
  );
  assert.ok(existsSync(join(rocketmqlogs, 'remoting.log')));
  await stopProc(a.proc);
  await stopProc(b.proc);
  await stopProc(ns.proc);
});

test('--log-format json and MQ_LOG_FORMAT=json keep JSON lines; --log-dir moves the files', {
  timeout: 60_000,
}, async () => {
  const envDir = join(dir, 'env-logs');
  const flagDir = join(dir, 'flag-logs');
  const ns = await startNamesrv(dir, {
    env: { MQ_LOG_DIR: envDir, MQ_LOG_FORMAT: 'json' },
    pidFile: join(dir, 'ns-json.pid'),
  });
  c.procs.push(ns.proc);
  const port = await freePortPair();
  const b = await startBroker({
    confFile: join(dir, 'json.conf'),
    conf: {
      brokerName: 'broker-j',
      listenPort: port,
      namesrvAddr: ns.addr,
      storePathRootDir: join(dir, 'j'),
    },
    args: ['--log-format', 'json', '--log-dir', flagDir],
    env: { MQ_LOG_DIR: envDir },
  });
  c.procs.push(b.proc);
  const started = await waitForLine(join(flagDir, 'broker.log'), /"msg":"broker started"/, 'json broker.log');
  const j = JSON.parse(started) as Record<string, unknown>;
  assert.equal(j.name, 'broker');
  assert.equal(j.server, `broker-j@${port}`);
  assert.equal(j.level, 30);
  assert.equal(j.addr, `127.0.0.1:${port}`);
  assert.equal(existsSync(join(envDir, 'broker.log')), false, '--log-dir wins over MQ_LOG_DIR');
  const nsLine = await waitForLine(
    join(envDir, 'namesrv.log'),
    /"msg":"new broker registered"/,
    'json namesrv',
  );
  assert.equal((JSON.parse(nsLine) as { broker: string }).broker, 'broker-j');
  const exit = await stopProc(b.proc);
  await stopProc(ns.proc);
  // Lines logged while stopping are written before the process exits.
  assert.match(
    read(join(flagDir, 'broker.log')),
    /"msg":"broker shut down"/,
    `exit ${JSON.stringify(exit)}; output:\n${b.proc.output()}`,
  );
});

test('a bad log format is refused with the accepted ones', { timeout: 30_000 }, () => {
  const r = spawnSync(
    process.execPath,
    [join(REPO, 'bin/run.js'), 'namesrv', 'start', '--log-format', 'xml'],
    {
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /text, json/);
});

test('the log rolls by size into otherdays/ and keeps a bounded number of old files', {
  timeout: 30_000,
}, () => {
  const logs = join(dir, 'roll');
  // The engine's logger in a child process, as a server uses it, with a tiny roll size.
  const script = `
    const { createLogger, closeLoggers, setLogServer } = await import(${JSON.stringify(join(REPO, 'dist/src/engine/common/logger.js'))});
    setLogServer('broker-r@1');
    const log = createLogger('broker');
    for (let i = 0; i < 400; i++) {
      log.info({ i }, 'line of a log that rolls');
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await closeLoggers();`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, MQ_LOG_DIR: logs, MQ_LOG_ROLL_SIZE: '2K', MQ_LOG_KEEP_FILES: '3' },
  });
  assert.equal(r.status, 0, r.stderr);
  const rolled = readdirSync(join(logs, 'otherdays')).filter((f) => f.endsWith('.log'));
  assert.ok(rolled.length >= 1 && rolled.length <= 3, `rolled files: ${rolled.join(', ')}`);
  for (const f of rolled) assert.match(f, /^broker\.\d{4}-\d\d-\d\d\.\d+\.log$/);
  const current = read(join(logs, 'broker.log'));
  assert.ok(current.length < 4096, 'the current file was rolled');
  assert.match(
    current.trimEnd().split('\n').at(-1)!,
    /INFO broker \[broker-r@1\] - line of a log that rolls i=399$/,
  );
});
