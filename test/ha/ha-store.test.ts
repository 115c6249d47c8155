import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { encodeOffsetReport, encodeTransferHeader, readInt64 } from '../../src/engine/broker/ha/ha-codec.js';
import type { MessageStore } from '../../src/engine/store/index.js';
import { removeDir, tempDir } from '../helpers/servers.js';
import { CuttableLink, commitLogBytes, putMany, startMaster, startSlave, until } from './store-pair.js';

const dirs: string[] = [];
const closers: (() => Promise<unknown> | unknown)[] = [];
function dir(): string {
  const d = tempDir('mq-ha-store-');
  dirs.push(d);
  return d;
}
after(async () => {
  for (const c of closers.reverse()) await c();
  for (const d of dirs) removeDir(d);
});

/** Concatenated records of a queue from `from` to its end, pulled the way the broker pulls. */
function pullAll(store: MessageStore, topic: string, q: number, from: number): Buffer {
  const out: Buffer[] = [];
  let off = from;
  while (off < store.getMaxOffsetInQueue(topic, q)) {
    const r = store.getMessage(topic, q, off, 32);
    assert.equal(r.status, 'FOUND', `${topic}-${q}@${off}`);
    out.push(...r.buffers);
    off = r.nextBeginOffset;
  }
  return Buffer.concat(out);
}

/** Every (topic, queue) of the master has the same entries and messages on the slave. */
function assertQueuesEqual(master: MessageStore, slave: MessageStore): number {
  let checked = 0;
  for (const [topic, qids] of master.getTopicQueues()) {
    for (const q of qids) {
      const max = master.getMaxOffsetInQueue(topic, q);
      assert.equal(slave.getMaxOffsetInQueue(topic, q), max, `${topic}-${q} max offset`);
      for (let off = 0; off < max; off++) {
        assert.equal(
          slave.getCommitLogOffsetInQueue(topic, q, off),
          master.getCommitLogOffsetInQueue(topic, q, off),
          `${topic}-${q}@${off} commit-log offset`,
        );
        checked++;
      }
    }
  }
  return checked;
}

test('a slave replicates byte for byte across file boundaries and rebuilds its consume queues', async () => {
  const m = await startMaster(dir());
  closers.push(
    () => m.service.shutdown(),
    () => m.master.shutdown(),
  );
  const end1 = await putMany(m.master, 300); // > 128 KiB: several commit-log files before the slave exists
  const sdir = dir();
  const s = await startSlave(sdir, `127.0.0.1:${m.port}`);
  closers.push(
    () => s.client.shutdown(),
    () => s.slave.shutdown(),
  );
  // An empty slave starts at the head of the master's last file (Java's rule), so it holds that file only.
  const lastFileStart = end1 - (end1 % m.master.config.mappedFileSizeCommitLog);
  await until('slave at the master head', () => s.slave.getMaxPhyOffset() === end1);
  assert.equal(s.slave.getMinPhyOffset(), lastFileStart);
  assert.ok(m.service.connectionCount === 1);

  const end2 = await putMany(m.master, 2000, { from: 300 });
  await until('slave caught up', () => s.slave.getMaxPhyOffset() === end2);
  const mBytes = commitLogBytes(m.master.config.storePathRootDir, end2).subarray(lastFileStart);
  const sBytes = commitLogBytes(sdir, end2);
  assert.equal(sBytes.length, end2 - lastFileStart);
  assert.ok(mBytes.equals(sBytes), 'commit-log bytes identical');
  // Pulling every queue from the slave yields the master's records for the same queue offsets.
  let pulled = 0;
  for (const [topic, qids] of s.slave.getTopicQueues()) {
    for (const q of qids) {
      const from = s.slave.getMinOffsetInQueue(topic, q);
      const fromSlave = pullAll(s.slave, topic, q, from);
      assert.ok(fromSlave.length > 0);
      assert.ok(fromSlave.equals(pullAll(m.master, topic, q, from)), `${topic}-${q} pulled bytes`);
      pulled += fromSlave.length;
    }
  }
  assert.ok(pulled > 0);
  assert.equal(s.slave.getMaxOffsetInQueue('HA_T2', 3), m.master.getMaxOffsetInQueue('HA_T2', 3));
  await until('master got the final acknowledgement', () => m.service.push2SlaveMaxOffset === end2);
  assert.equal(m.service.slaveFallBehindMuch(), 0);
});

test('SYNC_MASTER waits for the slave: PUT_OK only once replicated, SLAVE_NOT_AVAILABLE without one', async () => {
  const m = await startMaster(dir());
  closers.push(
    () => m.service.shutdown(),
    () => m.master.shutdown(),
  );
  const end0 = await putMany(m.master, 10);
  assert.equal(await m.service.waitForSlave(end0, 1000), 'SLAVE_NOT_AVAILABLE');

  const s = await startSlave(dir(), `127.0.0.1:${m.port}`);
  closers.push(
    () => s.client.shutdown(),
    () => s.slave.shutdown(),
  );
  await until('slave connected', () => m.service.connectionCount === 1);
  for (let i = 0; i < 50; i++) {
    const end = await putMany(m.master, 5, { from: 10 + i * 5 });
    const status = await m.service.waitForSlave(end, 3000);
    assert.equal(status, 'PUT_OK');
    // The acknowledgement means the slave's store already holds the bytes.
    assert.ok(s.slave.getMaxPhyOffset() >= end, `slave has ${s.slave.getMaxPhyOffset()} < ${end}`);
  }
  // A slave more than haSlaveFallbehindMax behind does not count.
  const farEnd = m.master.getMaxPhyOffset() + m.master.config.haSlaveFallbehindMax + 1;
  assert.equal(m.service.isSlaveOK(farEnd), false);
  assert.equal(await m.service.waitForSlave(farEnd, 1000), 'SLAVE_NOT_AVAILABLE');

  s.client.shutdown();
  await until('master saw the slave go', () => m.service.connectionCount === 0);
  const end = await putMany(m.master, 1, { from: 999 });
  assert.equal(await m.service.waitForSlave(end, 1000), 'SLAVE_NOT_AVAILABLE');
});

test('a slave that reports once then stalls makes SYNC puts FLUSH_SLAVE_TIMEOUT after the timeout', async () => {
  const m = await startMaster(dir());
  closers.push(
    () => m.service.shutdown(),
    () => m.master.shutdown(),
  );
  const end = await putMany(m.master, 20);
  // A raw HA peer: reports its offset (0) once, never reads or reports again.
  const peer = connect({ host: '127.0.0.1', port: m.port });
  closers.push(() => peer.destroy());
  await new Promise((r) => peer.once('connect', r));
  peer.pause();
  peer.write(encodeOffsetReport(0));
  await until('stalled slave registered', () => m.service.connectionCount === 1);
  const t0 = Date.now();
  assert.equal(await m.service.waitForSlave(end, 600), 'FLUSH_SLAVE_TIMEOUT');
  const took = Date.now() - t0;
  assert.ok(took >= 590 && took < 2000, `timeout after ${took} ms`);
});

test('a restarted slave resumes from its own max offset and catches up', async () => {
  // Master and slave must share mappedFileSizeCommitLog (Java has the same requirement).
  const big = { mappedFileSizeCommitLog: 1024 * 1024 };
  const m = await startMaster(dir(), big);
  closers.push(
    () => m.service.shutdown(),
    () => m.master.shutdown(),
  );
  const sdir = dir();
  let s = await startSlave(sdir, `127.0.0.1:${m.port}`, big);
  const end1 = await putMany(m.master, 500);
  await until('first sync', () => s.slave.getMaxPhyOffset() === end1);
  s.client.shutdown();
  await s.slave.shutdown();

  const end2 = await putMany(m.master, 1500, { from: 500 });
  s = await startSlave(sdir, `127.0.0.1:${m.port}`, big);
  closers.push(
    () => s.client.shutdown(),
    () => s.slave.shutdown(),
  );
  assert.equal(s.slave.getMaxPhyOffset(), end1, 'slave recovered its own data');
  await until('caught up after restart', () => s.slave.getMaxPhyOffset() === end2);
  assert.ok(commitLogBytes(sdir, end2).equals(commitLogBytes(m.master.config.storePathRootDir, end2)));
  assert.ok(assertQueuesEqual(m.master, s.slave) >= 2000);
});

test('a link cut mid-stream loses nothing: the slave reconnects and resumes where it stopped', async () => {
  const big = { mappedFileSizeCommitLog: 8 * 1024 * 1024 };
  const m = await startMaster(dir(), big);
  closers.push(
    () => m.service.shutdown(),
    () => m.master.shutdown(),
  );
  const end = await putMany(m.master, 4000, { size: 1500 }); // ~6 MB backlog
  // Throttled to ~8 MB/s so the cut reliably lands mid-stream.
  const link = new CuttableLink(m.port, 8 * 1024 * 1024);
  const linkPort = await link.start();
  closers.push(() => link.close());
  const sdir = dir();
  const s = await startSlave(sdir, `127.0.0.1:${linkPort}`, big);
  closers.push(
    () => s.client.shutdown(),
    () => s.slave.shutdown(),
  );
  // The slave is empty, so the master starts at its last file; cut while that backlog is in flight.
  const lastFileStart = end - (end % m.master.config.mappedFileSizeCommitLog);
  await until('some data arrived', () => s.slave.getMaxPhyOffset() > lastFileStart + 256 * 1024);
  link.blocked = true;
  assert.ok(link.cut() >= 1, 'a live connection was cut');
  const cutAt = s.slave.getMaxPhyOffset();
  assert.ok(cutAt < end, 'cut before completion');
  // Writes keep going on the master while the link is down.
  const end2 = await putMany(m.master, 500, { from: 4000, size: 1500 });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(m.service.connectionCount, 0);
  link.blocked = false;
  await until('caught up after the cut', () => s.slave.getMaxPhyOffset() === end2, 20_000);
  assert.ok(s.client.reconnects >= 1);
  const mBytes = commitLogBytes(m.master.config.storePathRootDir, end2).subarray(lastFileStart);
  assert.ok(commitLogBytes(sdir, end2).equals(mBytes), 'bytes identical after the cut');
  assert.ok(assertQueuesEqual(m.master, s.slave) > 0);
});

test('a slave drops a master whose stream does not start at the slave offset', async () => {
  const m = await startMaster(dir());
  closers.push(
    () => m.service.shutdown(),
    () => m.master.shutdown(),
  );
  const sdir = dir();
  const s = await startSlave(sdir, `127.0.0.1:${m.port}`);
  closers.push(
    () => s.client.shutdown(),
    () => s.slave.shutdown(),
  );
  const end = await putMany(m.master, 50);
  await until('synced', () => s.slave.getMaxPhyOffset() === end);

  // A bogus master that answers the slave's report with a chunk at the wrong offset.
  const reports: number[] = [];
  let closedByPeer = false;
  const bogus = createServer((sock: Socket) => {
    sock.on('data', (d: Buffer) => {
      for (let i = 0; i + 8 <= d.length; i += 8) reports.push(readInt64(d, i));
      sock.write(Buffer.concat([encodeTransferHeader(end + 1000, 4), Buffer.from('junk')]));
    });
    sock.on('close', () => {
      closedByPeer = true;
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => bogus.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => bogus.close(r)));
  const a = bogus.address();
  s.client.updateMasterAddress(`127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`);
  await until('slave dropped the bogus master', () => closedByPeer);
  assert.equal(reports[0], end, 'the slave reported its max offset first');
  assert.equal(s.slave.getMaxPhyOffset(), end, 'nothing appended from the bad stream');
});

test('a master refuses a slave that is ahead of it (diverged logs): no acknowledgement, no data', async () => {
  const big = { mappedFileSizeCommitLog: 1024 * 1024 };
  const first = await startMaster(dir(), big);
  closers.push(
    () => first.service.shutdown(),
    () => first.master.shutdown(),
  );
  const sdir = dir();
  const s = await startSlave(sdir, `127.0.0.1:${first.port}`, big);
  closers.push(
    () => s.client.shutdown(),
    () => s.slave.shutdown(),
  );
  const end = await putMany(first.master, 200);
  await until('slave synced', () => s.slave.getMaxPhyOffset() === end);
  // A different master with a shorter log: the slave's reports are beyond its end.
  const other = await startMaster(dir(), big);
  closers.push(
    () => other.service.shutdown(),
    () => other.master.shutdown(),
  );
  const otherEnd = await putMany(other.master, 10);
  s.client.updateMasterAddress(`127.0.0.1:${other.port}`);
  await until('slave reconnecting', () => s.client.reconnects >= 1 || !s.client.status().connected, 5000);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(other.service.connectionCount, 0);
  assert.equal(await other.service.waitForSlave(otherEnd, 500), 'SLAVE_NOT_AVAILABLE');
  assert.equal(s.slave.getMaxPhyOffset(), end, 'the slave kept its own log');
});
