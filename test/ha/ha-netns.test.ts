// Replication between two network namespaces joined by a veth pair (10.x addresses that exist only in
// our namespaces): the master side (name server, master broker, producer) in one, the slave in the
// other; the link is cut with `ip link set down` while writes continue, then restored.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Proc, REPO, reapProc, removeDir, tempDir } from '../helpers/servers.js';
import { type BrokerHandle, commitLog, startBroker, startNamesrv, waitFor } from './procs.js';

const tag = String(process.pid % 100000);
const NS_M = `mqha-m-${tag}`;
const NS_S = `mqha-s-${tag}`;
const VETH_M = `vmqm${tag}`;
const VETH_S = `vmqs${tag}`;
const octet = (process.pid % 250) + 1;
const IP_M = `10.213.${octet}.1`;
const IP_S = `10.213.${octet}.2`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Why the namespaces cannot be made here, or undefined when they were made. */
function setUpNamespaces(): string | undefined {
  try {
    ip('netns', 'add', NS_M);
  } catch (err) {
    return `ip netns add failed (${((err as { stderr?: Buffer }).stderr ?? '').toString().trim() || (err as Error).message}); needs root and iproute2`;
  }
  try {
    ip('netns', 'add', NS_S);
    ip('link', 'add', VETH_M, 'type', 'veth', 'peer', 'name', VETH_S);
    ip('link', 'set', VETH_M, 'netns', NS_M);
    ip('link', 'set', VETH_S, 'netns', NS_S);
    ip('-n', NS_M, 'addr', 'add', `${IP_M}/30`, 'dev', VETH_M);
    ip('-n', NS_S, 'addr', 'add', `${IP_S}/30`, 'dev', VETH_S);
    for (const [ns, dev] of [
      [NS_M, VETH_M],
      [NS_S, VETH_S],
    ] as const) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', dev, 'up');
    }
  } catch (err) {
    tearDownNamespaces();
    return `veth setup failed: ${((err as { stderr?: Buffer }).stderr ?? '').toString().trim() || (err as Error).message}`;
  }
  return undefined;
}

function tearDownNamespaces(): void {
  for (const ns of [NS_M, NS_S]) {
    try {
      ip('netns', 'del', ns); // removes the veth end inside it, and so the pair
    } catch {
      // already gone
    }
  }
}

/** Runs the producer driver inside the master's namespace; resolves with its status counts. */
function produce(
  namesrv: string,
  topic: string,
  count: number,
  size: number,
): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        NS_M,
        process.execPath,
        join(REPO, 'dist', 'test', 'ha', 'netns-producer.js'),
        namesrv,
        topic,
        String(count),
        String(size),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`producer exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>);
    });
  });
}

const procs: Proc[] = [];
const dirs: string[] = [];
let made = false;
after(async () => {
  for (const p of procs.reverse()) await reapProc(p);
  if (made) tearDownNamespaces();
  for (const d of dirs) removeDir(d);
});

const skipReason = process.platform !== 'linux' ? 'network namespaces need Linux' : setUpNamespaces();
made = skipReason === undefined;

test('replication across two network namespaces survives the veth link going down and up', {
  skip: skipReason,
}, async () => {
  const dir = tempDir('mq-ha-netns-');
  dirs.push(dir);
  const wrapM = ['ip', 'netns', 'exec', NS_M];
  const wrapS = ['ip', 'netns', 'exec', NS_S];
  const ns = await startNamesrv(dir, { port: 9876, host: IP_M, wrap: wrapM });
  procs.push(ns.proc);
  const common = { namesrvAddr: ns.addr, brokerName: 'ha-n', listenPort: 10911 };
  const master: BrokerHandle = await startBroker({
    ...common,
    name: 'master',
    brokerId: 0,
    brokerRole: 'ASYNC_MASTER',
    storeDir: join(dir, 'master'),
    ip: IP_M,
    wrap: wrapM,
  });
  procs.push(master.proc);
  // The slave learns the master's HA address (10.x.1:10912) from the name server's register reply.
  const slave: BrokerHandle = await startBroker({
    ...common,
    name: 'slave',
    brokerId: 1,
    brokerRole: 'SLAVE',
    storeDir: join(dir, 'slave'),
    ip: IP_S,
    wrap: wrapS,
    extra: { haHousekeepingInterval: 8000 },
  });
  procs.push(slave.proc);
  const identical = () => commitLog(slave.spec.storeDir).equals(commitLog(master.spec.storeDir));

  assert.deepEqual(await produce(ns.addr, 'HA_NETNS', 300, 1000), { SEND_OK: 300 });
  await waitFor('slave identical over the veth link', identical, 20_000, 100);

  ip('-n', NS_M, 'link', 'set', VETH_M, 'down');
  try {
    // ASYNC_MASTER keeps acknowledging while the slave is unreachable; the slave falls behind.
    assert.deepEqual(await produce(ns.addr, 'HA_NETNS', 1500, 2000), { SEND_OK: 1500 });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(identical(), false, 'the slave cannot have the writes made while the link is down');
  } finally {
    ip('-n', NS_M, 'link', 'set', VETH_M, 'up');
  }
  await waitFor('slave identical after the link came back', identical, 40_000, 200);
});
