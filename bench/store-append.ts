/**
 * Store append against the disk (issue 16 goal 4: store ASYNC_FLUSH append ≥ 50% of the raw sequential
 * write bandwidth, same run, same write size). Each round, in the same directory:
 *
 *   store ASYNC_FLUSH  N 1 KB messages from 64 concurrent producers into a MessageStore, timed from the
 *                      first put to the last put's answer (written to the page cache, as ASYNC_FLUSH
 *                      answers); the store counts its write calls, which gives its write size.
 *   raw write          fs.writeSync of that same write size, sequentially, into a file created as the
 *                      store creates its files (full size, sparse), the same number of bytes.
 *   raw write+fsync    the same with one fdatasync at the end.
 *
 * Rounds interleave the three (raw, raw+fsync, store, raw, …) so machine noise hits all alike; each is
 * preceded by writing and deleting a scratch file of the same size (see bench/store.ts on this VM's page
 * cache). Prints each round with the load average, then the medians and the ratio.
 *
 * Like with like: both sides copy the same commit-log bytes into the page cache of a sparse full-size
 * file with writes of the same size; the raw side copies one constant buffer (a memcpy, ~0.5 µs per KB
 * here), the store encodes, CRCs and indexes each message first, and also writes its consume queue (20 B
 * per message) and index (20 B entries, plus its slot table rewritten by 1 MB slices every
 * maxIndexDirtySlots keys), which the MB/s figure does not count. On a shared machine the wall-clock
 * ratio swings with the load, so the CPU ratio is printed too: CPU per commit-log byte of the raw write
 * against the store's (each side's process CPU over its own run; 50% means the store spends twice the
 * raw write's CPU per byte).
 * The store side also pays for the put API itself, as a broker does: a promise per put that its producer
 * awaits (~0.5 µs per put here with no store behind it), and the first touch of each message, built
 * before the timing (its properties string, joined from parts, is flattened by the put: ~0.2 µs).
 *
 *   npm run build && node dist/bench/store-append.js [messages=200000] [rounds=3] [dir=os.tmpdir()]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { createFullSize } from '../src/engine/store/data-file.js';
import { MessageStore } from '../src/engine/store/index.js';
import { benchMessages } from './store-messages.js';

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const base = process.argv[4] ?? os.tmpdir();
const PRODUCERS = 64;
const FILE_SIZE = 1 << 30;

interface Figure {
  seconds: number;
  bytes: number;
  /** CPU time of this process during the run (user + system), seconds. */
  cpu: number;
}

const mbs = (f: Figure): number => f.bytes / 1048576 / f.seconds;
const since = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;
const cpuSince = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const load = (): string => os.loadavg()[0]!.toFixed(2);

/** Write, fdatasync and delete a scratch file of `bytes`, so every run starts on freshly freed pages. */
function warmPageCache(dir: string, bytes: number): void {
  const path = join(dir, 'warm');
  const fd = fs.openSync(path, 'w+');
  const chunk = Buffer.alloc(1 << 20, 'w');
  for (let done = 0; done < bytes; done += chunk.length) fs.writeSync(fd, chunk, 0, chunk.length, done);
  fs.fdatasyncSync(fd);
  fs.closeSync(fd);
  fs.rmSync(path);
}

async function runStore(): Promise<Figure & { writeSize: number }> {
  const root = fs.mkdtempSync(join(base, 'mq-bench-append-'));
  try {
    const msgs = benchMessages(N, PRODUCERS);
    warmPageCache(root, N * 1200);
    const store = new MessageStore({
      storePathRootDir: root,
      flushDiskType: 'ASYNC_FLUSH',
      cleanResourceInterval: 3600_000,
    });
    await store.start();
    let next = 0;
    let bytes = 0;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: PRODUCERS }, async () => {
        while (next < N) {
          const r = await store.putMessage(msgs[next++]!);
          if (r.status !== 'PUT_OK') throw new Error(`put failed: ${r.status} ${r.remark ?? ''}`);
          bytes += r.appendResult!.wroteBytes;
        }
      }),
    );
    const seconds = since(t0);
    const cpu = cpuSince(c0);
    const log = store.commitLog;
    const writeSize = Math.round(log.writeBytes / Math.max(1, log.writeCalls));
    await store.shutdown();
    return { seconds, bytes, cpu, writeSize };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function runRaw(bytes: number, writeSize: number, fsync: boolean): Figure {
  const root = fs.mkdtempSync(join(base, 'mq-bench-append-raw-'));
  try {
    warmPageCache(root, bytes);
    const fd = createFullSize(join(root, '00000000000000000000'), FILE_SIZE);
    const buf = Buffer.alloc(writeSize, 'x');
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let done = 0; done < bytes; ) {
      const n = Math.min(writeSize, bytes - done);
      fs.writeSync(fd, buf, 0, n, done % FILE_SIZE);
      done += n;
    }
    if (fsync) fs.fdatasyncSync(fd);
    const seconds = since(t0);
    const cpu = cpuSince(c0);
    fs.closeSync(fd);
    return { seconds, bytes, cpu };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const median = (xs: Figure[]): Figure => [...xs].sort((a, b) => a.seconds - b.seconds)[xs.length >> 1]!;
const runs = { raw: [] as Figure[], rawSync: [] as Figure[], store: [] as Figure[] };
// The store's write size is known only after a store run: a first, untimed one measures it.
let { writeSize, bytes } = await runStore();
console.log(
  `${N} x 1 KB messages, ${PRODUCERS} producers, ${(bytes / 1048576).toFixed(0)} MB per run, ` +
    `store write size ${writeSize} B, dir ${base}, ${ROUNDS} rounds, load ${load()}`,
);
for (let round = 1; round <= ROUNDS; round++) {
  const raw = runRaw(bytes, writeSize, false);
  const rawSync = runRaw(bytes, writeSize, true);
  const store = await runStore();
  ({ writeSize, bytes } = store);
  runs.raw.push(raw);
  runs.rawSync.push(rawSync);
  runs.store.push(store);
  console.log(
    `round ${round}: raw write ${mbs(raw).toFixed(0)} MB/s, raw write+fsync ${mbs(rawSync).toFixed(0)} MB/s, ` +
      `store ASYNC_FLUSH ${mbs(store).toFixed(0)} MB/s (${(N / store.seconds).toFixed(0)} msg/s, ` +
      `write size ${store.writeSize} B, CPU ${((store.cpu / N) * 1e6).toFixed(2)} us/msg, ` +
      `${((store.cpu / store.seconds) * 100).toFixed(0)}% of a core; raw ${((raw.cpu / raw.seconds) * 100).toFixed(0)}%, ` +
      `${((raw.cpu / N) * 1e6).toFixed(2)} us CPU per message's bytes), load ${load()}`,
  );
}
const m = { raw: median(runs.raw), rawSync: median(runs.rawSync), store: median(runs.store) };
const pct = (a: Figure, b: Figure): string => `${((mbs(a) / mbs(b)) * 100).toFixed(0)}%`;
/** CPU per byte: raw write's over the store's, as a percentage (the median of each round's ratio). */
const cpuRatios = runs.store.map((st, i) => runs.raw[i]!.cpu / runs.raw[i]!.bytes / (st.cpu / st.bytes));
const cpuPct = `${([...cpuRatios].sort((a, b) => a - b)[cpuRatios.length >> 1]! * 100).toFixed(0)}%`;
console.log(
  `median: raw write ${mbs(m.raw).toFixed(0)} MB/s, raw write+fsync ${mbs(m.rawSync).toFixed(0)} MB/s, ` +
    `store ASYNC_FLUSH ${mbs(m.store).toFixed(0)} MB/s = ${pct(m.store, m.raw)} of raw write, ` +
    `${pct(m.store, m.rawSync)} of raw write+fsync (goal ≥ 50%); CPU per byte: raw write = ${cpuPct} of the store's`,
);
