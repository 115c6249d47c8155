// Issue 13, items 4-8 through a real `mq broker start` child process: a damaged store starts, prints its
// recovery summary, serves every intact message; a record damaged while it runs is not handed out (the
// consumer gets PULL_RETRY_IMMEDIATELY naming the range, the broker logs it once); after kill -9 a
// damaged record costs that record only.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeRecords } from '../../src/engine/protocol/message/record.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import { MessageStore } from '../../src/engine/store/index.js';
import { cleanupAfter } from '../helpers/cleanup.js';
import { killProc, startBroker, startNamesrv, tempDir } from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

const c = cleanupAfter();
const FILE = 64 * 1024;
const TOPIC = 'DmgBroker';
const N = 1200;

test('broker start on a damaged store: summary printed, every intact message served, damaged reads refused once', {
  timeout: 120_000,
}, async () => {
  const dir = tempDir('mq-broker-damaged-');
  c.dirs.push(dir);
  const env = { MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: join(dir, 'pids'), MQ_LOG_LEVEL: 'info' };
  const store = join(dir, 'store');
  const sizes = {
    mappedFileSizeCommitLog: FILE,
    mappedFileSizeConsumeQueue: 2000,
    maxHashSlotNum: 1000,
    maxIndexNum: 4000,
  };
  // 1,200 messages over 4 queues, written by the store itself; then the damage.
  const s = new MessageStore({ storePathRootDir: store, ...sizes }, { diskUsage: () => 0.1 });
  await s.start();
  const at: { offset: number; size: number }[] = [];
  for (let i = 0; i < N; i += 100) {
    const rs = await Promise.all(
      Array.from({ length: 100 }, (_, k) =>
        s.putMessage({
          topic: TOPIC,
          queueId: (i + k) % 4,
          flag: 0,
          body: Buffer.from(`body-${i + k}-${'x'.repeat((i + k) % 200)}`),
          properties: { UNIQ_KEY: `u${i + k}` },
          sysFlag: 0,
          bornTimestamp: Date.now(),
          bornHost: { ip: Buffer.from([127, 0, 0, 1]), port: 1 },
          storeHost: { ip: Buffer.from([127, 0, 0, 1]), port: 10911 },
          reconsumeTimes: 0,
          preparedTransactionOffset: 0,
        }),
      ),
    );
    for (const r of rs) at.push({ offset: r.appendResult!.wroteOffset, size: r.appendResult!.wroteBytes });
  }
  const end = s.getMaxPhyOffset();
  await s.shutdown();
  const write = (path: string, pos: number, b: Buffer) => {
    const fd = fs.openSync(path, 'r+');
    fs.writeSync(fd, b, 0, b.length, pos);
    fs.closeSync(fd);
  };
  const logPath = (off: number) =>
    join(store, 'commitlog', String(Math.floor(off / FILE) * FILE).padStart(20, '0'));
  const noise = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 151 + 89) & 0xff));
  fs.writeFileSync(join(store, 'checkpoint'), noise(4096));
  write(join(store, 'consumequeue', TOPIC, '1', '00000000000000000000'), 200, noise(1000));
  const head = Buffer.alloc(8);
  head.writeInt32BE(300, 0);
  head.writeInt32BE(-626843481, 4);
  write(logPath(end), end % FILE, Buffer.concat([head, noise(292)]));

  const ns = await startNamesrv(dir, { env });
  c.procs.push(ns.proc);
  const conf = {
    brokerClusterName: 'DmgCluster',
    brokerName: 'broker-dmg',
    brokerId: 0,
    listenPort: 0,
    brokerIP1: '127.0.0.1',
    storePathRootDir: store,
    ...sizes,
  };
  const confFile = join(dir, 'broker.conf');
  let b = await startBroker({ confFile, conf, args: ['-n', ns.addr], env });
  c.procs.push(b.proc);
  assert.match(
    b.proc.output(),
    /store recovery \(clean shutdown, checkpoint damaged: recovered from the files\): checked 1200 commit-log records in \[0, \d+\) with CRC .*cut the commit log at \d+ .*rebuilt 1 consume queues \(290 entries\)/,
  );

  const client = new RemotingClient({ idleMs: 0 });
  c.closers.push(() => client.close());
  const call = (code: number, ext: Record<string, string | number | boolean>) =>
    client.invoke(b.addr, createRequest(code, ext, null), 5000);
  const created = await call(RequestCode.UPDATE_AND_CREATE_TOPIC, {
    topic: TOPIC,
    defaultTopic: 'TBW102',
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  });
  assert.equal(created.code, 0, created.remark ?? '');
  const pull = (queueId: number, queueOffset: number) =>
    call(RequestCode.PULL_MESSAGE, {
      consumerGroup: 'G_DMG',
      topic: TOPIC,
      queueId,
      queueOffset,
      maxMsgNums: 32,
      sysFlag: 4,
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: '*',
      subVersion: Date.now(),
    });
  const readAll = async () => {
    const bodies = new Set<string>();
    let errors = 0;
    for (let q = 0; q < 4; q++) {
      for (let o = 0, guard = 0; guard < 500; guard++) {
        const r = await pull(q, o);
        if (r.code === ResponseCode.PULL_NOT_FOUND) break;
        if (r.code === ResponseCode.SUCCESS)
          for (const m of decodeRecords(r.body!)) bodies.add(m.body.toString());
        else errors++;
        o = Number(r.extFields!.nextBeginOffset);
      }
    }
    return { bodies, errors };
  };
  let all = await readAll();
  assert.equal(all.bodies.size, N);
  assert.equal(all.errors, 0);

  // A record damaged while the broker runs (its magic code): refused, named, logged once.
  const victim = at[41]!; // queue 1, offset 10
  write(logPath(victim.offset), (victim.offset % FILE) + 4, Buffer.from([1, 2, 3, 4]));
  for (let i = 0; i < 2; i++) {
    const r = await pull(1, 10);
    assert.equal(r.code, ResponseCode.PULL_RETRY_IMMEDIATELY);
    assert.equal(
      r.remark,
      `damaged record at queue offsets [10, 11) (commit-log offset ${victim.offset}: magic code 0x1020304), skipped`,
    );
    assert.equal(r.extFields!.nextBeginOffset, '11');
  }
  const brokerLog = join(dir, 'logs', 'broker.log');
  const damagedLines = () =>
    fs
      .readFileSync(brokerLog, 'utf8')
      .split('\n')
      .filter((l) => l.includes('points at a damaged record'));
  await pollUntil(() => damagedLines().length > 0, {
    what: 'the damaged-read log line',
    timeoutMs: 10_000,
    everyMs: 100,
  });
  assert.equal(damagedLines().length, 1);
  assert.ok(damagedLines()[0]!.includes(`${logPath(victim.offset)}:${victim.offset % FILE}`));
  all = await readAll();
  assert.equal(all.bodies.size, N - 1);
  assert.equal(all.errors, 1);

  // kill -9, then 16 bad bytes in the middle of a record of the last file: that record only is lost.
  await killProc(b.proc);
  const last = at[N - 5]!;
  write(logPath(last.offset), (last.offset % FILE) + 90, noise(16));
  b = await startBroker({ confFile, args: ['-n', ns.addr], env });
  c.procs.push(b.proc);
  assert.match(
    b.proc.output(),
    /store recovery \(abnormal exit[^)]*\): .*skipped \d+ damaged commit-log ranges \(\d+ bytes\)/,
  );
  all = await readAll();
  assert.equal(all.bodies.size, N - 2);
});
