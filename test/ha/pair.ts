// A name server and one master/slave broker group as child processes, for tests that kill and restart
// the master (the master keeps its port and store across restarts).
import { join } from 'node:path';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { Producer } from '../../src/engine/client/index.js';
import type { Cleanup } from '../helpers/cleanup.js';
import { freePortPair, tempDir } from '../helpers/servers.js';
import { type BrokerHandle, type NamesrvHandle, startBroker, startNamesrv, waitFor } from './procs.js';

export interface Pair {
  dir: string;
  ns: NamesrvHandle;
  admin: AdminClient;
  brokerName: string;
  master?: BrokerHandle;
  slave?: BrokerHandle;
  startMaster(extra?: Record<string, string | number | boolean>): Promise<BrokerHandle>;
  startSlave(extra?: Record<string, string | number | boolean>): Promise<BrokerHandle>;
  /** Waits until the master reports its slave connected. */
  slaveConnected(): Promise<void>;
  producer(): Promise<Producer>;
}

let seq = 0;
export const unique = (p: string) => `${p}_${process.pid}_${++seq}`;

export async function startPair(brokerName: string, c: Cleanup): Promise<Pair> {
  const dir = tempDir('mq-ha-pair-');
  c.dirs.push(dir);
  const ns = await startNamesrv(dir);
  c.procs.push(ns.proc);
  const admin = new AdminClient({ namesrvAddr: ns.addr });
  c.closers.push(() => admin.close());
  const [pm, ps] = [await freePortPair(), await freePortPair()];
  const p: Pair = {
    dir,
    ns,
    admin,
    brokerName,
    async startMaster(extra = {}) {
      p.master = await startBroker({
        name: 'master',
        namesrvAddr: ns.addr,
        brokerName,
        brokerId: 0,
        brokerRole: 'SYNC_MASTER',
        listenPort: pm,
        storeDir: join(dir, 'master'),
        extra: { syncFlushTimeout: 1500, ...extra },
      });
      c.procs.push(p.master.proc);
      return p.master;
    },
    async startSlave(extra = {}) {
      p.slave = await startBroker({
        name: 'slave',
        namesrvAddr: ns.addr,
        brokerName,
        brokerId: 1,
        brokerRole: 'SLAVE',
        listenPort: ps,
        storeDir: join(dir, 'slave'),
        extra,
      });
      c.procs.push(p.slave.proc);
      return p.slave;
    },
    async slaveConnected() {
      await waitFor(
        'slave connected to the master',
        async () => (await admin.fetchBrokerRuntimeStats(p.master!.addr)).haConnectionCount === '1',
      );
    },
    async producer() {
      const prod = new Producer({
        namesrvAddr: ns.addr,
        groupName: unique('PG_PAIR'),
        instanceName: unique('p'),
        sendMsgTimeout: 6000,
        retryTimesWhenSendFailed: 0,
      });
      await prod.start();
      c.closers.push(() => prod.shutdown());
      return prod;
    },
  };
  return p;
}
