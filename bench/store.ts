/**
 * Store write benchmark: 1 KB appends from 64 concurrent producers in one process, ASYNC_FLUSH and
 * SYNC_FLUSH (group commit), each next to the physical limit of the same bytes on the same disk:
 *
 *   raw seq+1 fsync   sequential 1 MiB writes (the store's chunk size) + one final fdatasync: the bound
 *                     for anything that writes these bytes at all.
 *   raw +fsync/500ms  the same writes (async, like the store's) with an fdatasync every 500 ms in the
 *                     background (flushIntervalCommitLog): the bound for ASYNC_FLUSH.
 *   raw group of 64   write + fdatasync per 64 records, back to back: with 64 producers each waiting for
 *                     its put, at most 64 records can share one fdatasync, so this bounds SYNC_FLUSH.
 *
 * Page cache: on this VM, pages the guest freed a few seconds ago are slow to touch again (handed back to
 * the host: 1 MiB writes into them run at ~500 MB/s instead of ~4 GB/s), which made whichever run came
 * first look slow. So every run starts right after writing and deleting a scratch file of the same size
 * (warmPageCache), and all runs pay the same.
 *
 * Messages are built before the clock starts (the broker's request decoding is not measured); the store
 * is timed from the first put to the last put's resolution plus a final fdatasync. Every figure is run
 * ROUNDS times (rounds interleave the runs, so machine noise hits all alike) and the median is printed.
 *
 *   npx tsc -p . && node dist/bench/store.js [messages=300000] [dir=os.tmpdir()] [rounds=3]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { MessageStore } from '../src/engine/store/index.js';
import type { MessageExtBrokerInner } from '../src/engine/store/types.js';
import { benchMessages } from './store-messages.js';

const N = Number(process.argv[2] ?? 300_000);
const base = process.argv[3] ?? os.tmpdir();
const ROUNDS = Number(process.argv[4] ?? 3);
const PRODUCERS = 64;
const CHUNK = 1 << 20;
const FILE_SIZE = 1024 * 1024 * 1024;
function messages(): MessageExtBrokerInner[] {
  return benchMessages(N, PRODUCERS);
}

interface Figure {
  seconds: number;
  bytes: number;
  msgs: number;
}

function elapsed(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function runStore(flushDiskType: 'ASYNC_FLUSH' | 'SYNC_FLUSH'): Promise<Figure> {
  const root = fs.mkdtempSync(join(base, 'mq-bench-'));
  const store = new MessageStore({ storePathRootDir: root, flushDiskType, cleanResourceInterval: 3600_000 });
  const msgs = messages();
  warmPageCache(N * 1200);
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
        const r = await store.putMessage(msgs[i]!);
        if (r.status === 'PUT_OK') bytes += r.appendResult!.wroteBytes;
        else failed++;
      }
    }),
  );
  await store.commitLog.flush();
  const seconds = elapsed(t0);
  await store.shutdown();
  fs.rmSync(root, { recursive: true, force: true });
  if (failed) console.log(`${flushDiskType}: ${failed} puts failed`);
  return { seconds, bytes, msgs: N - failed };
}

/** Write, fdatasync and delete a scratch file of `bytes`, so the next run reuses freshly freed pages. */
function warmPageCache(bytes: number): void {
  const r = rawFile();
  const chunk = Buffer.alloc(CHUNK, 'w');
  for (let done = 0; done < bytes; done += CHUNK) fs.writeSync(r.fd, chunk, 0, CHUNK, done);
  fs.fdatasyncSync(r.fd);
  closeRaw(r);
}

function rawFile(): { root: string; fd: number } {
  const root = fs.mkdtempSync(join(base, 'mq-bench-raw-'));
  const fd = fs.openSync(join(root, 'raw'), 'w+');
  fs.ftruncateSync(fd, FILE_SIZE); // sparse, as the store creates its files
  return { root, fd };
}

function closeRaw(r: { root: string; fd: number }): void {
  fs.closeSync(r.fd);
  fs.rmSync(r.root, { recursive: true, force: true });
}

/** Sequential 1 MiB writes, one fdatasync at the end. */
function runRawSeq(bytes: number): Figure {
  warmPageCache(bytes);
  const r = rawFile();
  const chunk = Buffer.alloc(CHUNK, 'x');
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < bytes; ) {
    const n = Math.min(CHUNK, bytes - done);
    fs.writeSync(r.fd, chunk, 0, n, done % FILE_SIZE);
    done += n;
  }
  fs.fdatasyncSync(r.fd);
  const seconds = elapsed(t0);
  closeRaw(r);
  return { seconds, bytes, msgs: N };
}

/** Sequential async 1 MiB writes with a background fdatasync every 500 ms, and a final one. */
async function runRawAsyncFlush(bytes: number): Promise<Figure> {
  warmPageCache(bytes);
  const r = rawFile();
  const chunk = Buffer.alloc(CHUNK, 'x');
  let syncing: Promise<void> | null = null;
  const sync = () =>
    new Promise<void>((res, rej) => fs.fdatasync(r.fd, (e) => (e ? rej(e) : res()))).finally(() => {
      syncing = null;
    });
  const timer = setInterval(() => {
    if (!syncing) syncing = sync();
  }, 500);
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < bytes; ) {
    const n = Math.min(CHUNK, bytes - done);
    await new Promise<void>((res, rej) =>
      fs.write(r.fd, chunk, 0, n, done % FILE_SIZE, (e) => (e ? rej(e) : res())),
    );
    done += n;
  }
  clearInterval(timer);
  if (syncing) await syncing;
  await sync();
  const seconds = elapsed(t0);
  closeRaw(r);
  return { seconds, bytes, msgs: N };
}

/** write + fdatasync of 64 records at a time, back to back: group commit's bound with 64 producers. */
function runRawGroup(bytes: number, recordSize: number): Figure {
  warmPageCache(bytes);
  const r = rawFile();
  const group = Buffer.alloc(PRODUCERS * recordSize, 'x');
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < bytes; ) {
    const n = Math.min(group.length, bytes - done);
    fs.writeSync(r.fd, group, 0, n, done % FILE_SIZE);
    fs.fdatasyncSync(r.fd);
    done += n;
  }
  const seconds = elapsed(t0);
  closeRaw(r);
  return { seconds, bytes, msgs: N };
}

function median(fs: Figure[]): Figure {
  return [...fs].sort((a, b) => a.seconds - b.seconds)[fs.length >> 1]!;
}

const mbs = (f: Figure) => f.bytes / 1048576 / f.seconds;
const pct = (f: Figure, ref: Figure) => `${((mbs(f) / mbs(ref)) * 100).toFixed(0)}%`.padStart(5);

const runs: Record<string, Figure[]> = { seq: [], rawAsync: [], rawGroup: [], async: [], sync: [] };
for (let round = 0; round < ROUNDS; round++) {
  const a = await runStore('ASYNC_FLUSH');
  runs.async!.push(a);
  runs.seq!.push(runRawSeq(a.bytes));
  runs.rawAsync!.push(await runRawAsyncFlush(a.bytes));
  runs.sync!.push(await runStore('SYNC_FLUSH'));
  runs.rawGroup!.push(runRawGroup(a.bytes, Math.round(a.bytes / a.msgs)));
  process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
}
const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<string, Figure>;

function line(name: string, f: Figure, all: Figure[], rel = ''): string {
  const spread = all.map((x) => mbs(x).toFixed(0)).join('/');
  return `${name.padEnd(18)} ${(f.msgs / f.seconds).toFixed(0).padStart(8)} msgs/s ${mbs(f).toFixed(1).padStart(7)} MB/s  ${f.seconds.toFixed(2).padStart(6)} s  [${spread} MB/s]${rel}`;
}

console.log(
  `${N} x 1 KB messages (${Math.round(m.async!.bytes / m.async!.msgs)} B records), ${PRODUCERS} producers, ` +
    `${(m.async!.bytes / 1048576).toFixed(0)} MB, dir ${base}, median of ${ROUNDS} [all runs]`,
);
console.log(line('raw seq+1 fsync', m.seq!, runs.seq!));
console.log(line('raw +fsync/500ms', m.rawAsync!, runs.rawAsync!));
console.log(line('raw group of 64', m.rawGroup!, runs.rawGroup!));
console.log(
  line(
    'store ASYNC_FLUSH',
    m.async!,
    runs.async!,
    `  ${pct(m.async!, m.rawAsync!)} of raw +fsync/500ms (goal 70%), ${pct(m.async!, m.seq!)} of raw seq`,
  ),
);
console.log(
  line(
    'store SYNC_FLUSH',
    m.sync!,
    runs.sync!,
    `  ${pct(m.sync!, m.async!)} of ASYNC_FLUSH (goal 50%), ${pct(m.sync!, m.rawGroup!)} of raw group of 64, ${pct(m.sync!, m.seq!)} of raw seq`,
  ),
);
