/**
 * Store write benchmark: 1 KB appends from 64 concurrent producers in one process, ASYNC_FLUSH and
 * SYNC_FLUSH (group commit), next to a raw sequential write + fdatasync of the same bytes on the same disk.
 *
 *   npx tsc -p . && node dist/bench/store.js [messages=400000] [dir=os.tmpdir()]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { UniqKeyGenerator } from '../src/engine/protocol/message/uniq-key.js';
import { MessageStore } from '../src/engine/store/index.js';
import type { MessageExtBrokerInner } from '../src/engine/store/types.js';

const N = Number(process.argv[2] ?? 400_000);
const base = process.argv[3] ?? os.tmpdir();
const PRODUCERS = 64;
const body = Buffer.alloc(1024, 'x');
const uniq = new UniqKeyGenerator(Uint8Array.from([10, 0, 0, 1]));

function message(i: number): MessageExtBrokerInner {
  return {
    topic: 'BenchTopic',
    queueId: i % 8,
    flag: 0,
    body,
    properties: `TAGS\u0001TagA\u0002UNIQ_KEY\u0001${uniq.next()}`,
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: { ip: Uint8Array.from([10, 0, 0, 2]), port: 50000 },
    storeHost: { ip: Uint8Array.from([10, 0, 0, 1]), port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

interface Figure {
  name: string;
  seconds: number;
  bytes: number;
  msgs: number;
}

async function runStore(flushDiskType: 'ASYNC_FLUSH' | 'SYNC_FLUSH'): Promise<Figure> {
  const root = fs.mkdtempSync(join(base, 'mq-bench-'));
  const store = new MessageStore({ storePathRootDir: root, flushDiskType, cleanResourceInterval: 3600_000 });
  await store.start();
  let next = 0;
  let bytes = 0;
  let failed = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= N) return;
        const r = await store.putMessage(message(i));
        if (r.status === 'PUT_OK') bytes += r.appendResult!.wroteBytes;
        else failed++;
      }
    }),
  );
  await store.commitLog.flush();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await store.shutdown();
  fs.rmSync(root, { recursive: true, force: true });
  if (failed) console.log(`${flushDiskType}: ${failed} puts failed`);
  return { name: `store ${flushDiskType}`, seconds, bytes, msgs: N - failed };
}

function runRaw(bytes: number): Figure {
  const root = fs.mkdtempSync(join(base, 'mq-bench-raw-'));
  const path = join(root, 'raw');
  const fd = fs.openSync(path, 'w+');
  fs.ftruncateSync(fd, 1024 * 1024 * 1024);
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < bytes; ) {
    const n = Math.min(chunk.length, bytes - done);
    fs.writeSync(fd, chunk, 0, n, done % (1024 * 1024 * 1024));
    done += n;
  }
  fs.fdatasyncSync(fd);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.closeSync(fd);
  fs.rmSync(root, { recursive: true, force: true });
  return { name: 'raw write+fdatasync', seconds, bytes, msgs: N };
}

function show(f: Figure, ref?: Figure): string {
  const mbs = f.bytes / 1048576 / f.seconds;
  const rel = ref
    ? `  ${((mbs / (ref.bytes / 1048576 / ref.seconds)) * 100).toFixed(0)}% of ${ref.name}`
    : '';
  return `${f.name.padEnd(22)} ${(f.msgs / f.seconds).toFixed(0).padStart(8)} msgs/s ${mbs.toFixed(1).padStart(8)} MB/s  (${f.seconds.toFixed(2)} s)${rel}`;
}

const asyncFig = await runStore('ASYNC_FLUSH');
const syncFig = await runStore('SYNC_FLUSH');
const raw = runRaw(asyncFig.bytes);
console.log(
  `${N} x 1 KB messages, ${PRODUCERS} producers, ${(asyncFig.bytes / 1048576).toFixed(0)} MB, dir ${base}`,
);
console.log(show(raw));
console.log(show(asyncFig, raw));
console.log(show(syncFig, asyncFig));
