/**
 * Broker start-to-ready: spawns `mq broker start` (the CLI as users run it) against a name server in this
 * process and measures, per start, the time from spawn to the broker's registration arriving at the name
 * server (polled every millisecond, so unlike ../shared/bench's 50 ms probe it has no quantization).
 *
 *   npm run build && node dist/bench/broker-start.js [starts=7]
 *
 * BENCH_NODE_ARGS goes before the script on the broker's node command line, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" (one profile per start, written when it stops).
 */

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { NamesrvController } from '../src/engine/namesrv/index.js';
import { RUN_JS, removeDir, tempDir } from '../test/helpers/servers.js';
import { cpuMs } from './proc-stats.js';

const starts = Number(process.argv[2] ?? 7);
process.env.MQ_LOG_LEVEL ??= 'silent';
const ns = new NamesrvController({ listenPort: 0, host: '127.0.0.1', kvConfigPath: '' });
const { port } = await ns.start();
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const ms: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < starts; i++) {
  const dir = tempDir('mq-bench-start-');
  const name = `start-${i}`;
  fs.writeFileSync(
    join(dir, 'broker.conf'),
    `brokerClusterName=C\nbrokerName=${name}\nbrokerIP1=127.0.0.1\nlistenPort=0\nstorePathRootDir=${join(dir, 'store')}\n`,
  );
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeArgs, RUN_JS, 'broker', 'start', '-n', `127.0.0.1:${port}`, '-c', join(dir, 'broker.conf')],
    { stdio: 'ignore', env: { ...process.env, MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: dir } },
  );
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (ns.routes.brokerAddrTable.has(name)) {
        clearInterval(t);
        resolve();
      }
    }, 1);
  });
  ms.push(Math.round(performance.now() - t0));
  cpu.push(cpuMs(child.pid!));
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  removeDir(dir);
}
await ns.shutdown();
const sorted = [...ms].sort((a, b) => a - b);
const cpuAvg = Math.round(cpu.reduce((a, b) => a + b, 0) / cpu.length);
// The minimum is the figure least disturbed by other load on the machine; the CPU time does not count waits.
console.log(
  `broker start-to-registered, ${starts} starts: ${ms.join(' ')} ms; median ${sorted[sorted.length >> 1]} ms, min ${sorted[0]} ms; broker CPU until registered: avg ${cpuAvg} ms`,
);
