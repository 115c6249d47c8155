import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanupAfter } from '../helpers/cleanup.js';
import {
  BROKER_READY,
  freePortPair,
  runCli,
  startBroker,
  startNamesrv,
  startProc,
  stopProc,
  tempDir,
  writeConf,
} from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

// What `mq namesrv start`, `mq broker start` and `mq dev` say when they start (issue 12, items 10, 11, 13):
// where they log, their ports, store, role and advertised address; a broker whose name server cannot be
// reached starts anyway but says so; an unset brokerIP1 advertises the host's address; a daemon that dies
// at start prints why.

const c = cleanupAfter();
const dir = tempDir('mq-start-out-');
c.dirs.push(dir);
const logs = join(dir, 'logs');
const env = { MQ_LOG_DIR: logs };

const readLog = (name: string) => {
  try {
    return readFileSync(join(logs, name), 'utf8');
  } catch {
    return '';
  }
};

test('a broker whose name server is down starts, says so on stderr, in its boot line and in broker.log', {
  timeout: 60_000,
}, async () => {
  const nsPort = await freePortPair(); // nothing listens there (yet)
  const b = await startBroker({
    confFile: join(dir, 'lonely.conf'),
    conf: {
      brokerName: 'broker-lonely',
      listenPort: await freePortPair(),
      namesrvAddr: `127.0.0.1:${nsPort}`,
      storePathRootDir: join(dir, 'lonely-store'),
    },
    env,
  });
  c.procs.push(b.proc);
  const said = `cannot register with 127.0.0.1:${nsPort}: connection refused; retrying every 30 s`;
  await pollUntil(() => b.proc.stderr().includes(said), {
    what: 'the warning on stderr',
    timeoutMs: 5000,
    everyMs: 20,
  });
  assert.match(b.proc.output(), /boot success, NOT registered yet\./);
  assert.doesNotMatch(b.proc.output(), /boot success\. serializeType/);
  await pollUntil(() => readLog('broker.log').includes(said), {
    what: 'broker.log',
    timeoutMs: 5000,
    everyMs: 50,
  });
  assert.match(readLog('broker.log'), new RegExp(` WARN broker \\[broker-lonely@\\d+\\] - ${said}`));
  // It serves all the same.
  const [host, port] = b.addr.split(':');
  await new Promise<void>((res, rej) => {
    const sock = connect(Number(port), host);
    sock.once('connect', () => {
      sock.destroy();
      res();
    });
    sock.once('error', rej);
  });
  // The name server comes up: the broker registers (its first minute retries fast) and the log says so.
  const ns = await startNamesrv(dir, { port: nsPort, env, pidFile: join(dir, 'late-ns.pid') });
  c.procs.push(ns.proc);
  await pollUntil(() => readLog('broker.log').includes(`registered with 127.0.0.1:${nsPort} again`), {
    what: 'registration after the name server came up',
    timeoutMs: 20_000,
    everyMs: 100,
  });
  await stopProc(b.proc);
  await stopProc(ns.proc);
});

/** Java's RemotingUtil.getLocalAddress over this host's interfaces, for comparison. */
function hostIPv4(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

test('brokerIP1 unset: the broker advertises the host address (127.0.0.1 only without one) and prints it', {
  timeout: 30_000,
}, async () => {
  // No name server: nothing is sent to the advertised address, only printed. (startBroker would fill
  // brokerIP1=127.0.0.1 in, so this conf is written as is.)
  const port = await freePortPair();
  const conf = writeConf(join(dir, 'ip.conf'), {
    brokerName: 'broker-ip',
    listenPort: port,
    storePathRootDir: join(dir, 'ip-store'),
  });
  const { proc, match } = await startProc(
    'broker-ip',
    ['broker', 'start', '-c', conf, '--pid-file', join(dir, 'ip.pid')],
    BROKER_READY,
    { env },
  );
  c.procs.push(proc);
  const ips = hostIPv4();
  const ip = match[1]!.split(':')[0]!;
  if (ips.length === 0) assert.equal(ip, '127.0.0.1');
  else {
    assert.ok(ips.includes(ip), `${ip} is one of this host's addresses ${ips.join(', ')}`);
    const preferred = ips.filter((a) => !a.startsWith('192.168'));
    if (preferred.length > 0) assert.equal(ip, preferred[0]);
  }
  await pollUntil(() => /^ {2}address {2}/m.test(proc.output()), {
    what: 'summary',
    timeoutMs: 5000,
    everyMs: 20,
  });
  assert.match(
    proc.output(),
    new RegExp(`^  address  ${ip}:${port} \\(brokerIP1 unset: this host's address\\)$`, 'm'),
  );
  await stopProc(proc);
});

test('namesrv and broker start print role, address, ports, store and logs', { timeout: 30_000 }, async () => {
  const ns = await startNamesrv(dir, { env, pidFile: join(dir, 'ns13.pid') });
  c.procs.push(ns.proc);
  const port = await freePortPair();
  const b = await startBroker({
    confFile: join(dir, 'b13.conf'),
    conf: {
      brokerName: 'broker-13',
      listenPort: port,
      namesrvAddr: ns.addr,
      storePathRootDir: join(dir, 'b13-store'),
    },
    env,
  });
  c.procs.push(b.proc);
  const lines = async (p: typeof b.proc, n: number) =>
    pollUntil(
      () => {
        const m = p.output().match(/^ {2}(role|address|ports|store|logs) .*$/gm);
        return m && m.length >= n ? m.join('\n') : undefined;
      },
      { what: 'the start summary', timeoutMs: 5000, everyMs: 20 },
    );
  const nsOut = await lines(ns.proc, 5);
  assert.match(nsOut, /^ {2}role {5}name server$/m);
  assert.match(nsOut, new RegExp(`^  ports    ${ns.port}$`, 'm'));
  assert.match(nsOut, new RegExp(`^  logs     ${logs} \\(text\\)$`, 'm'));
  assert.match(nsOut, /^ {2}store {4}\S+kvConfig\.json \(kvConfig\)$/m);
  const bOut = await lines(b.proc, 5);
  assert.match(bOut, /^ {2}role {5}ASYNC_MASTER \(brokerId 0\) of cluster DefaultCluster$/m);
  assert.match(bOut, new RegExp(`^  address  127\\.0\\.0\\.1:${port} \\(brokerIP1\\)$`, 'm'));
  assert.match(
    bOut,
    new RegExp(`^  ports    ${port} clients, ${port + 1} HA, ${port - 2} VIP channel$`, 'm'),
  );
  assert.match(bOut, new RegExp(`^  store    ${join(dir, 'b13-store')}$`, 'm'));
  assert.match(bOut, new RegExp(`^  logs     ${logs} \\(text\\)$`, 'm'));
  assert.match(b.proc.output(), /boot success\. serializeType=JSON and name server is/);
  assert.doesNotMatch(b.proc.stderr(), /cannot register/);
  await stopProc(b.proc);
  await stopProc(ns.proc);
});

test('mq dev prints the same summary', { timeout: 30_000 }, async () => {
  const { proc } = await startProc(
    'dev',
    [
      'dev',
      '--namesrv-port',
      '0',
      '--broker-port',
      '0',
      '--store',
      join(dir, 'dev-store'),
      '--log-dir',
      join(dir, 'dev-logs'),
    ],
    /^ {2}logs .*$/m,
    { env },
  );
  c.procs.push(proc);
  const out = proc.output();
  assert.match(out, /^ {2}role {5}name server \+ ASYNC_MASTER broker broker-a/m);
  assert.match(
    out,
    /^ {2}address {2}127\.0\.0\.1:\d+ \(broker, advertised\), 127\.0\.0\.1:\d+ \(name server\)$/m,
  );
  assert.match(out, /^ {2}ports {4}\d+ name server, \d+ broker, \d+ HA, \d+ gRPC proxy$/m);
  assert.match(out, new RegExp(`^  store    ${join(dir, 'dev-store')}$`, 'm'));
  assert.match(out, new RegExp(`^  logs     ${join(dir, 'dev-logs')} \\(text\\)$`, 'm'));
  await stopProc(proc);
});

test('a --daemon broker that dies at start prints why, not only "failed"', { timeout: 60_000 }, async () => {
  const store = join(dir, 'shared-store');
  const first = await startBroker({
    confFile: join(dir, 'first.conf'),
    conf: { brokerName: 'broker-first', listenPort: await freePortPair(), storePathRootDir: store },
    env,
  });
  c.procs.push(first.proc);
  const second = join(dir, 'second.conf');
  writeConf(second, {
    brokerName: 'broker-second',
    brokerIP1: '127.0.0.1',
    listenPort: await freePortPair(),
    storePathRootDir: store,
  });
  const r = await runCli(
    ['broker', 'start', '-c', second, '--daemon', '--pid-file', join(dir, 'second.pid')],
    {
      env: { ...process.env, ...env },
    },
  );
  assert.notEqual(r.code, 0);
  assert.match(
    r.stderr,
    new RegExp(`the broker did not start: .*store \\S+ is in use by process ${first.proc.child.pid}`),
  );
  assert.match(r.stderr, /output in \S+broker\.out/);
  await stopProc(first.proc);
});

test('a --daemon broker whose name server is down relays the warning and its summary, and exits 0', {
  timeout: 60_000,
}, async () => {
  const nsPort = await freePortPair();
  const conf = writeConf(join(dir, 'daemon.conf'), {
    brokerName: 'broker-daemon',
    brokerIP1: '127.0.0.1',
    listenPort: await freePortPair(),
    namesrvAddr: `127.0.0.1:${nsPort}`,
    storePathRootDir: join(dir, 'daemon-store'),
  });
  const pidFile = join(dir, 'daemon.pid');
  const r = await runCli(['broker', 'start', '-c', conf, '--daemon', '--pid-file', pidFile], {
    env: { ...process.env, ...env },
  });
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^broker: cannot register with 127\\.0\\.0\\.1:${nsPort}: connection refused`, 'm'),
    );
    assert.match(r.stdout, /boot success, NOT registered yet\./);
    assert.match(r.stdout, /^ {2}logs {5}\S+ \(text\)$/m);
    assert.match(r.stdout, new RegExp(`running in the background, pid ${pid}`));
  } finally {
    process.kill(pid, 'SIGTERM');
    await pollUntil(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      { what: 'the daemon to exit', timeoutMs: 15_000, everyMs: 100 },
    );
  }
});
