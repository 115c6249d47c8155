// A slave as a real `mq broker start` child process catching up: after a restart, and after its link to
// the master is cut mid-stream (a throttled relay between the slave and the master's HA port).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { Producer } from '../../src/engine/client/index.js';
import { cleanupAfter } from '../helpers/cleanup.js';
import { freePortPair, killProc, tempDir } from '../helpers/servers.js';
import {
  type BrokerHandle,
  type BrokerSpec,
  commitLog,
  startBroker,
  startNamesrv,
  waitFor,
} from './procs.js';
import { CuttableLink } from './store-pair.js';

const { procs, closers, dirs } = cleanupAfter();

test('a slave catches up after a restart and after its link is cut mid-stream, byte for byte', async () => {
  const dir = tempDir('mq-ha-catchup-');
  dirs.push(dir);
  const ns = await startNamesrv(dir);
  procs.push(ns.proc);
  const admin = new AdminClient({ namesrvAddr: ns.addr });
  closers.push(() => admin.close());
  const [pm, ps] = [await freePortPair(), await freePortPair()];
  const master = await startBroker({
    name: 'master',
    namesrvAddr: ns.addr,
    brokerName: 'ha-c',
    brokerId: 0,
    brokerRole: 'SYNC_MASTER',
    listenPort: pm,
    storeDir: join(dir, 'master'),
    extra: { syncFlushTimeout: 2000 },
  });
  procs.push(master.proc);
  // The slave reaches the master's HA port (listenPort + 1) through a relay we can cut; ~4 MB/s.
  const link = new CuttableLink(pm + 1, 4 * 1024 * 1024);
  const linkPort = await link.start();
  closers.push(() => link.close());
  const slaveSpec: BrokerSpec = {
    name: 'slave',
    namesrvAddr: ns.addr,
    brokerName: 'ha-c',
    brokerId: 1,
    brokerRole: 'SLAVE',
    listenPort: ps,
    storeDir: join(dir, 'slave'),
    extra: { haMasterAddress: `127.0.0.1:${linkPort}` },
  };
  let slave: BrokerHandle = await startBroker(slaveSpec);
  procs.push(slave.proc);
  const rt = (addr: string) => admin.fetchBrokerRuntimeStats(addr);
  const maxOf = async (addr: string) => Number((await rt(addr)).commitLogMaxOffset);
  await waitFor('slave connected', async () => (await rt(master.addr)).haConnectionCount === '1');

  const prod = new Producer({
    namesrvAddr: ns.addr,
    groupName: 'PG_CATCHUP',
    instanceName: `cu${process.pid}`,
  });
  await prod.start();
  closers.push(() => prod.shutdown());
  const topic = 'HA_CATCHUP';
  const sendMany = async (n: number, size: number) => {
    const statuses = new Map<string, number>();
    for (let i = 0; i < n; i += 50) {
      const rs = await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, (_, k) =>
          prod.send({ topic, body: Buffer.alloc(size, (i + k) & 0xff) }),
        ),
      );
      for (const r of rs) statuses.set(r.sendStatus, (statuses.get(r.sendStatus) ?? 0) + 1);
    }
    return statuses;
  };
  assert.deepEqual(await sendMany(100, 1000), new Map([['SEND_OK', 100]]));

  // 1. Restart: the slave is killed, the master keeps taking writes, the restarted slave catches up.
  await killProc(slave.proc, 'SIGKILL');
  assert.deepEqual(await sendMany(1500, 2000), new Map([['SLAVE_NOT_AVAILABLE', 1500]]));
  slave = await startBroker(slaveSpec);
  procs.push(slave.proc);
  let masterMax = await maxOf(master.addr);
  await waitFor('caught up after restart', async () => (await maxOf(slave.addr)) === masterMax, 30_000);
  assert.ok(commitLog(slaveSpec.storeDir).equals(commitLog(master.spec.storeDir)), 'identical after restart');

  // 2. Cut mid-stream: a backlog is streaming when the link drops; nothing is lost or duplicated.
  await killProc(slave.proc, 'SIGKILL');
  await sendMany(3000, 2000); // ~6 MB, about 1.5 s through the throttled link
  const before = await maxOf(slave.addr).catch(() => 0);
  slave = await startBroker(slaveSpec);
  procs.push(slave.proc);
  const resumedFrom = await maxOf(slave.addr);
  assert.ok(resumedFrom >= before);
  await waitFor(
    'streaming under way',
    async () => (await maxOf(slave.addr)) > resumedFrom + 512 * 1024,
    20_000,
    25,
  );
  link.blocked = true;
  assert.ok(link.cut() >= 1, 'cut a live HA connection');
  const cutAt = await maxOf(slave.addr);
  masterMax = await maxOf(master.addr);
  assert.ok(cutAt < masterMax, `cut mid-stream (${cutAt} < ${masterMax})`);
  await waitFor('master noticed the cut', async () => (await rt(master.addr)).haConnectionCount === '0');
  assert.equal((await prod.send({ topic, body: 'while cut' })).sendStatus, 'SLAVE_NOT_AVAILABLE');
  link.blocked = false;
  masterMax = await maxOf(master.addr);
  await waitFor('caught up after the cut', async () => (await maxOf(slave.addr)) === masterMax, 30_000);
  assert.ok(commitLog(slaveSpec.storeDir).equals(commitLog(master.spec.storeDir)), 'identical after the cut');
  // The slave's consume queues cover the same queue offsets as the master's.
  for (let q = 0; q < 4; q++) {
    const mq = { topic, brokerName: 'ha-c', queueId: q };
    assert.equal(await admin.getMaxOffset(slave.addr, mq), await admin.getMaxOffset(master.addr, mq));
  }
  assert.equal((await prod.send({ topic, body: 'replicated again' })).sendStatus, 'SEND_OK');
});
