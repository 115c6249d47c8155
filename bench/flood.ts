// A bounded flood of malformed frames against a name server child process: its RSS before, at the end
// of and 25 s after the flood, and the lines it logged. Run: npm run build && node dist/bench/flood.js
// [frames=200000] [connections at a time=64]. FLOOD_LOG_LEVEL sets the name server's MQ_LOG_LEVEL.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { floodMalformedFrames } from '../test/helpers/flood.js';
import { removeDir, startNamesrv, stopProc, tempDir } from '../test/helpers/servers.js';
import { statusMb } from './proc-stats.js';

const frames = Number(process.argv[2] ?? 200_000);
const conns = Number(process.argv[3] ?? 64);

const rssMiB = (pid: number): number => statusMb(pid, 'VmRSS');

const dir = tempDir('mq-bench-flood-');
try {
  const logs = join(dir, 'logs');
  const ns = await startNamesrv(dir, {
    env: { MQ_LOG_DIR: logs, MQ_LOG_LEVEL: process.env.FLOOD_LOG_LEVEL ?? 'info' },
  });
  const pid = ns.proc.child.pid!;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await sleep(1000);
  const before = rssMiB(pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, 200);
  const t0 = Date.now();
  await floodMalformedFrames(ns.port, frames, conns);
  const floodMs = Date.now() - t0;
  const end = rssMiB(pid);
  // Protocol errors are summarised per 10 s interval; a burst counts as over after a whole quiet interval.
  await sleep(25_000);
  clearInterval(sampler);
  const after = rssMiB(pid);
  await stopProc(ns.proc);
  const lines = (existsSync(logs) ? readdirSync(logs) : [])
    .map((f) => readFileSync(join(logs, f), 'utf8').split('\n').filter(Boolean).length)
    .reduce((a, b) => a + b, 0);
  console.log(
    `${frames} malformed frames, ${conns} connections at a time, in ${(floodMs / 1000).toFixed(1)} s: ` +
      `name server RSS before ${before} MiB, end of flood ${end} MiB (peak ${peak}), 25 s later ${after} MiB; ` +
      `${lines} log lines`,
  );
} finally {
  removeDir(dir);
}
