/**
 * The index's put path alone (IndexFile.putKey with the store's per-tick entry writes, flushes of the slot
 * table every maxIndexDirtySlots keys, and a final flush): CPU per key for N random key hashes into a
 * default-size file (5M slots). With BENCH_BASE_DIST (another checkout's dist, e.g. /work/wt-base/dist)
 * its IndexFile runs in the same process, alternating with this one, for a before/after pair.
 *
 *   npm run build && node dist/bench/index-put.js [keys=400000] [reps=7]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { IndexFile } from '../src/engine/store/index-file.js';

const N = Number(process.argv[2] ?? 400_000);
const REPS = Number(process.argv[3] ?? 7);
type IndexFileClass = typeof IndexFile;
const sides: [string, IndexFileClass][] = [['this checkout', IndexFile]];
const base = process.env.BENCH_BASE_DIST;
if (base) {
  const mod = (await import(join(base, 'src/engine/store/index-file.js'))) as { IndexFile: IndexFileClass };
  sides.unshift([base, mod.IndexFile]);
}

let seed = 12345;
const hashes = Int32Array.from({ length: N }, () => {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return seed;
});

async function run(Index: IndexFileClass): Promise<number> {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'mq-bench-index-'));
  try {
    const f = new Index(join(root, 'index'), 5_000_000, 20_000_000, true, 65_536);
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      f.putKey(hashes[i]!, i * 1100, 1_700_000_000_000 + i);
      // The store writes entries once per dispatch round (64 puts in bench/store-append).
      if ((i & 63) === 63) f.writeEntries();
    }
    await f.flush();
    const c = process.cpuUsage(c0);
    f.close();
    return (c.user + c.system) / N;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const figures = sides.map(() => [] as number[]);
for (let rep = 0; rep < REPS; rep++)
  for (let s = 0; s < sides.length; s++) figures[s]!.push(await run(sides[s]![1]));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`${N} random keys, ${REPS} reps alternating, load ${os.loadavg()[0]!.toFixed(2)}`);
sides.forEach(([name], s) => {
  const xs = figures[s]!;
  console.log(
    `${name}: ${median(xs).toFixed(3)} us CPU per key (median; runs ${xs.map((x) => x.toFixed(2)).join(' ')})`,
  );
});
