/**
 * Broker start-to-ready: spawns `mq broker start` (the CLI as users run it) against a name server in this
 * process and measures, per start, the time from spawn to the broker's registration arriving at the name
 * server (polled every millisecond, so unlike ../shared/bench's 50 ms probe it has no quantization).
 *
 *   npm run build && node dist/bench/broker-start.js [starts=7]
 *
 * BENCH_NODE_ARGS goes before the script on the broker's node command line, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" (one profile per start, written when it stops).
 * BENCH_RUN_JS=a/bin/run.js,b/bin/run.js starts the brokers of those checkouts instead, taking turns (a, b,
 * a, b, …), and prints a line for each: a before/after pair from the same minutes of a shared machine.
 */

import { spawn, spawnSync } from 'node:child_process';
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
const runJs = process.env.BENCH_RUN_JS ? process.env.BENCH_RUN_JS.split(',') : [RUN_JS];
const ms = runJs.map((): number[] => []);
const cpu = runJs.map((): number[] => []);
for (let i = 0; i < starts; i++) {
  for (let k = 0; k < runJs.length; k++) {
    const dir = tempDir('mq-bench-start-');
    const name = `start-${i}-${k}`;
    fs.writeFileSync(
      join(dir, 'broker.conf'),
      `brokerClusterName=C\nbrokerName=${name}\nbrokerIP1=127.0.0.1\nlistenPort=0\nstorePathRootDir=${join(dir, 'store')}\n`,
    );
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [...nodeArgs, runJs[k]!, 'broker', 'start', '-n', `127.0.0.1:${port}`, '-c', join(dir, 'broker.conf')],
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
    ms[k]!.push(Math.round(performance.now() - t0));
    cpu[k]!.push(cpuMs(child.pid!));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    removeDir(dir);
  }
}
await ns.shutdown();
// Node's own start in the same minutes and environment, the floor under every figure above: this VM's speed
// drifts, and NODE_EXTRA_CA_CERTS (set on some machines) makes node parse those certificates at every start.
const bare: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  bare.push(Math.round(performance.now() - t0));
}
bare.sort((a, b) => a - b);
console.log(
  `node -e 0 alone: median ${bare[2]} ms, min ${bare[0]} ms${process.env.NODE_EXTRA_CA_CERTS ? ' (NODE_EXTRA_CA_CERTS is set: node reads those certificates at every start)' : ''}`,
);
for (let k = 0; k < runJs.length; k++) {
  const sorted = [...ms[k]!].sort((a, b) => a - b);
  const cpuAvg = Math.round(cpu[k]!.reduce((a, b) => a + b, 0) / cpu[k]!.length);
  // The minimum is the figure least disturbed by other load on the machine; the CPU time does not count waits.
  console.log(
    `${runJs.length > 1 ? `${runJs[k]}: ` : ''}broker start-to-registered, ${starts} starts: ${ms[k]!.join(' ')} ms; median ${sorted[sorted.length >> 1]} ms, min ${sorted[0]} ms; broker CPU until registered: avg ${cpuAvg} ms`,
  );
}
