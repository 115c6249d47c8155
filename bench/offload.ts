/**
 * What moving work off the event loop buys, on this machine: for each candidate, the wall time and the
 * longest event-loop stall (the longest gap between runs of a 1 ms timer: what every send and pull waiting
 * on the loop would see) done on the loop versus in libuv's thread pool.
 *
 *   npm run build && node dist/bench/offload.js [topics=100000]
 *
 * - registration body (compressedRegister): the zlib level-9 deflate of the topic table, sync vs async;
 * - CRC32 of 1 KB message bodies (what a put or a CRC-checked read costs), on the loop vs one thread-pool
 *   round trip per body, which is what "CRC in the thread pool" would cost.
 */
import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import { newDataVersion } from '../src/engine/protocol/bodies/data-version.js';
import {
  encodeRegisterBrokerBody,
  encodeRegisterBrokerBodyAsync,
} from '../src/engine/protocol/bodies/register-broker-body.js';
import { newTopicConfig, type TopicConfig } from '../src/engine/protocol/bodies/topic-config.js';

const n = Number(process.argv[2] ?? 100_000);
const table: Record<string, TopicConfig> = {};
for (let i = 0; i < n; i++)
  table[`ScaleTopic${i}`] = newTopicConfig(`ScaleTopic${i}`, { readQueueNums: 8, writeQueueNums: 8 });
const body = {
  topicConfigSerializeWrapper: { topicConfigTable: table, dataVersion: newDataVersion() },
  filterServerList: [],
};

/** Runs `fn` while a 1 ms interval timer notes the longest gap between its runs; wall ms and that gap. */
async function stall(
  fn: () => Promise<unknown> | unknown,
): Promise<{ ms: number; maxStallMs: number; loopCpuMs: number }> {
  let last = performance.now();
  let maxGap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  maxGap = 0;
  last = performance.now();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await fn();
  const ms = performance.now() - t0;
  // Process CPU includes the pool's threads; the stall is what the loop lost.
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(tick);
  return {
    ms: Math.round(ms),
    maxStallMs: Math.round(maxGap),
    loopCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

const fmt = (r: { ms: number; maxStallMs: number; loopCpuMs: number }) =>
  `${r.ms} ms (process CPU ${r.loopCpuMs} ms), longest loop stall ${r.maxStallMs} ms`;
for (let round = 0; round < 2; round++) {
  const sync = await stall(() => encodeRegisterBrokerBody(body, true));
  const async = await stall(() => encodeRegisterBrokerBodyAsync(body, true));
  if (round === 1)
    console.log(
      `registration body, ${n.toLocaleString('en-US')} topics compressed: deflate on the loop ${fmt(sync)}; ` +
        `in the thread pool ${fmt(async)}`,
    );
}

// CRC32 of 1 KB bodies: native zlib.crc32 on the loop vs a thread-pool round trip (a 1 KB deflate is the
// cheapest zlib job that crosses to the pool; a crc32 job there would cost the same crossing).
const bodies = Array.from({ length: 20_000 }, (_, i) => Buffer.alloc(1024, i & 255));
const deflateAsync = promisify(deflate);
let t0 = performance.now();
let sum = 0;
for (const b of bodies) sum = (sum + crc32(b)) % 4294967296;
const loopUs = ((performance.now() - t0) * 1000) / bodies.length;
t0 = performance.now();
for (let i = 0; i < bodies.length; i += 64)
  await Promise.all(bodies.slice(i, i + 64).map((b) => deflateAsync(b, { level: 0 })));
const poolUs = ((performance.now() - t0) * 1000) / bodies.length;
console.log(
  `CRC32 of a 1 KB body on the loop: ${loopUs.toFixed(2)} µs; one thread-pool round trip per body (64 in flight): ` +
    `${poolUs.toFixed(2)} µs (checksum ${sum >>> 0})`,
);
