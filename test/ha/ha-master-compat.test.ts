// A slave whose commit-log file size differs from its master's refuses to replicate (records would
// straddle its files), says why, and keeps serving as a broker.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { Producer } from '../../src/engine/client/index.js';
import { cleanupAfter } from '../helpers/cleanup.js';
import { freePortPair, tempDir } from '../helpers/servers.js';
import { startBroker, startNamesrv, waitFor } from './procs.js';

const { procs, closers, dirs } = cleanupAfter();

test('a slave with another mappedFileSizeCommitLog than its master does not replicate and reports why', {
  timeout: 60_000,
}, async () => {
  const dir = tempDir('mq-ha-compat-');
  dirs.push(dir);
  const ns = await startNamesrv(dir);
  procs.push(ns.proc);
  const admin = new AdminClient({ namesrvAddr: ns.addr });
  closers.push(() => admin.close());
  const [pm, ps] = [await freePortPair(), await freePortPair()];
  const master = await startBroker({
    name: 'master',
    namesrvAddr: ns.addr,
    brokerName: 'ha-x',
    brokerId: 0,
    brokerRole: 'ASYNC_MASTER',
    listenPort: pm,
    storeDir: join(dir, 'master'),
  });
  procs.push(master.proc);
  const producer = new Producer({ namesrvAddr: ns.addr, instanceName: `ha-compat-${process.pid}` });
  await producer.start();
  closers.push(() => producer.shutdown());
  for (let i = 0; i < 5; i++)
    assert.equal((await producer.send({ topic: 'HaCompat', body: `m${i}` })).sendStatus, 'SEND_OK');

  const slave = await startBroker({
    name: 'slave',
    namesrvAddr: ns.addr,
    brokerName: 'ha-x',
    brokerId: 1,
    brokerRole: 'SLAVE',
    listenPort: ps,
    storeDir: join(dir, 'slave'),
    extra: { mappedFileSizeCommitLog: 2 * 1024 * 1024 },
  });
  procs.push(slave.proc);
  const stopped = await waitFor('the slave to refuse its master', async () => {
    const rt = await admin.fetchBrokerRuntimeStats(slave.addr);
    return rt.haReplicationStopped;
  });
  assert.match(stopped, /mappedFileSizeCommitLog=1048576 but this slave has 2097152/);
  const rt = await admin.fetchBrokerRuntimeStats(slave.addr);
  assert.equal(rt.commitLogMaxOffset, '0', 'nothing replicated');
  assert.equal(rt.haMasterConnected, 'false');
  assert.equal((await admin.fetchBrokerRuntimeStats(master.addr)).haConnectionCount, '0');
});
