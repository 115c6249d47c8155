// Issue 16 goal 2 (memory) and the fast server start: the index slot table lives in the file (bounded
// dirty slots, maxIndexDirtySlots), the young generation stays small, and `broker start` runs without oclif.
// The figures (RSS, start time) are in bench/client.ts and bench/broker-start.ts; these tests check the
// mechanisms on real servers.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeRecords, encodeProperties } from '../../src/engine/protocol/message/index.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import {
  type BrokerHandle,
  killProc,
  type NamesrvHandle,
  REPO,
  removeDir,
  runCli,
  startBroker,
  startNamesrv,
  stopProc,
  tempDir,
} from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

const TOPIC = 'MemTopic';
const PROBE = join(REPO, 'dist', 'test', 'helpers', 'heap-probe.js');
let dir: string;
let ns: NamesrvHandle;
let broker: BrokerHandle | undefined;
const client = new RemotingClient({ idleMs: 0 });
const env = () => ({
  MQ_LOG_DIR: join(dir, 'logs'),
  MQ_PID_DIR: join(dir, 'pids'),
  MQ_LOG_LEVEL: 'warn',
  NODE_OPTIONS: `--import=${PROBE}`,
  MQ_HEAP_PROBE: join(dir, 'probe.json'),
});

before(async () => {
  dir = tempDir('mq-mem-test-');
  ns = await startNamesrv(dir, { env: env() });
});
after(async () => {
  await client.close();
  await stopProc(broker?.proc);
  await stopProc(ns?.proc);
  removeDir(dir);
});

const call = (code: number, ext: Record<string, unknown>, body: Buffer | null = null) =>
  client.invoke(broker!.addr, createRequest(code, ext as never, body), 10_000);

async function boot(conf?: Record<string, string | number>): Promise<void> {
  broker = await startBroker({ confFile: join(dir, 'broker.conf'), conf, args: ['-n', ns.addr], env: env() });
}

const body = (i: number) => Buffer.alloc(1024, `m${i}|`);

async function sendAll(from: number, to: number): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const r = await call(
        RequestCode.SEND_MESSAGE_V2,
        {
          a: 'PG_mem',
          b: TOPIC,
          c: 'TBW102',
          d: 4,
          e: i % 4,
          f: 0,
          g: Date.now(),
          h: 0,
          i: encodeProperties({ KEYS: `key-${i}`, UNIQ_KEY: `uniq-${i}`, WAIT: 'true' }),
          j: 0,
          k: false,
        },
        body(i),
      );
      assert.equal(r.code, 0, r.remark ?? '');
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** QUERY_MESSAGE by key: the bodies found (retried while the index dispatch catches up). */
async function queryKey(key: string): Promise<string[]> {
  return pollUntil(
    async () => {
      const r = await call(RequestCode.QUERY_MESSAGE, {
        topic: TOPIC,
        key,
        maxNum: 32,
        beginTimestamp: 0,
        endTimestamp: Date.now() + 60_000,
      });
      return r.code === 0 && decodeRecords(r.body!).map((m) => m.body.toString());
    },
    { timeoutMs: 10_000, everyMs: 50, what: `key ${key}` },
  );
}

const probe = () => JSON.parse(readFileSync(join(dir, 'probe.json'), 'utf8'));

test('index keys are found through the file-backed slot table (default 5M slots, maxIndexDirtySlots=3), after a kill -9 as well', {
  timeout: 180_000,
}, async () => {
  await boot({
    brokerClusterName: 'MemCluster',
    brokerName: 'broker-mem',
    listenPort: 0,
    storePathRootDir: join(dir, 'store'),
    mappedFileSizeCommitLog: 64 * 1024 * 1024,
    maxIndexDirtySlots: 3,
  });
  const create = await call(RequestCode.UPDATE_AND_CREATE_TOPIC, {
    topic: TOPIC,
    defaultTopic: 'TBW102',
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  });
  assert.equal(create.code, 0, create.remark ?? '');
  await sendAll(0, 10_000);
  const sample = [0, 1, 2, 777, 4096, 5000, 9998, 9999];
  for (const i of sample) assert.deepEqual(await queryKey(`key-${i}`), [body(i).toString()], `key-${i}`);

  // Young generation: V8 grows it to 32 MB under this load unless the server keeps it at its start size.
  const p = probe();
  assert.ok(p.maxNewSpace <= 2 * 1024 * 1024, `new space reached ${p.maxNewSpace} bytes`);
  // A plain `broker start` runs without oclif (bin/run.js's fast path).
  assert.equal(p.oclif, false, 'oclif was loaded by broker start');

  // kill -9: the index file written past its checkpoint is rebuilt from the commit log; every key answers.
  await killProc(broker!.proc);
  await boot();
  await sendAll(10_000, 10_100);
  for (const i of [...sample, 10_000, 10_099])
    assert.deepEqual(await queryKey(`key-${i}`), [body(i).toString()], `key-${i} after kill -9`);
});

test('maxIndexDirtySlots is a broker.conf key: printed by -p, a negative value refused naming file, line and key', {
  timeout: 60_000,
}, async () => {
  const conf = join(dir, 'dirty.conf');
  writeFileSync(conf, `storePathRootDir=${join(dir, 'never')}\nlistenPort=0\n`);
  const cliEnv = { ...process.env, MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: join(dir, 'pids') };
  const printed = await runCli(['broker', 'start', '-c', conf, '-p'], { env: cliEnv });
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, /^maxIndexDirtySlots=65536$/m);
  writeFileSync(conf, `storePathRootDir=${join(dir, 'never')}\nmaxIndexDirtySlots=-1\nlistenPort=0\n`);
  const bad = await runCli(['broker', 'start', '-c', conf, '--pid-file', join(dir, 'bad.pid')], {
    env: cliEnv,
  });
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /dirty\.conf:2: maxIndexDirtySlots = -1 is too small/);
});
