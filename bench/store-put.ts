/**
 * The store's put path in isolation: 64 puts issued synchronously per round (as one event-loop round of
 * 64 producers would), timing the synchronous part of putMessage per put, then the whole round (write,
 * dispatch, resolution). Steadier than bench/store.ts for comparing changes to the encode path.
 *
 *   npm run build && node dist/bench/store-put.js [messages=200000]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { MessageStore } from '../src/engine/store/index.js';
import type { PutMessageResult } from '../src/engine/store/types.js';
import { benchMessages } from './store-messages.js';

const N = Number(process.argv[2] ?? 200_000);
const msgs = benchMessages(N);
const root = fs.mkdtempSync(join(os.tmpdir(), 'mq-bench-put-'));
const store = new MessageStore({
  storePathRootDir: root,
  flushDiskType: 'ASYNC_FLUSH',
  cleanResourceInterval: 3600_000,
});
await store.start();
const perPut: number[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i + 64 <= N; i += 64) {
  const round: Promise<PutMessageResult>[] = new Array(64);
  const a = performance.now();
  for (let j = 0; j < 64; j++) round[j] = store.putMessage(msgs[i + j]!);
  perPut.push(((performance.now() - a) * 1000) / 64);
  await Promise.all(round);
}
const wall = ((performance.now() - t0) * 1000) / N;
const cpu = process.cpuUsage(cpu0);
await store.shutdown();
fs.rmSync(root, { recursive: true, force: true });
perPut.sort((x, y) => x - y);
console.log(
  `${N} puts of 1 KB: synchronous part ${perPut[perPut.length >> 1]!.toFixed(2)} us/put (median of rounds), ` +
    `whole ${wall.toFixed(2)} us/put wall, CPU ${(cpu.user / N).toFixed(2)} us user + ${(cpu.system / N).toFixed(2)} us sys per put`,
);
