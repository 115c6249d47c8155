/**
 * Client end-to-end benchmark: our producer (N sends of `size` bytes, `inflight` in flight) then our push
 * consumer reading them all back, against our name server + broker started as child processes (or an
 * existing cluster with MQ_NAMESRV=host:port).
 *
 *   npx tsc -p . && node dist/bench/client.js [count=100000] [inflight=32] [size=1024]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchmarkConsumer, benchmarkProducer } from '../src/engine/client/tools/benchmark.js';

const count = Number(process.argv[2] ?? 100_000);
const inflight = Number(process.argv[3] ?? 32);
const size = Number(process.argv[4] ?? 1024);
const RUN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

function start(
  args: string[],
  env: NodeJS.ProcessEnv,
  re: RegExp,
): Promise<{ child: ChildProcess; m: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) resolve({ child, m });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}

async function main(): Promise<void> {
  let namesrv = process.env.MQ_NAMESRV;
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'mq-bench-client-'));
  try {
    if (!namesrv) {
      const env = { ...process.env, MQ_LOG_DIR: join(dir, 'logs') };
      process.env.MQ_LOG_DIR = env.MQ_LOG_DIR;
      const ns = await start(
        ['namesrv', 'start', '--port', '0', '--pid-file', join(dir, 'ns.pid')],
        env,
        /listening on [^\s]*:(\d+)/,
      );
      children.push(ns.child);
      namesrv = `127.0.0.1:${ns.m[1]}`;
      const conf = join(dir, 'broker.conf');
      writeFileSync(
        conf,
        `brokerName=broker-a\nlistenPort=0\nnamesrvAddr=${namesrv}\nstorePathRootDir=${join(dir, 'store')}\nbrokerIP1=127.0.0.1\n`,
      );
      const b = await start(
        ['broker', 'start', '-c', conf, '--pid-file', join(dir, 'b.pid')],
        env,
        /boot success/,
      );
      children.push(b.child);
    }
    const topic = `BenchClient_${Date.now()}`;
    const p = await benchmarkProducer({ namesrvAddr: namesrv, topic, inflight, bodySize: size, count });
    console.log(
      `producer: ${p.totalSent} x ${size} B, ${inflight} in flight: ${p.sendTps} msg/s, avg RT ${p.avgRtMs} ms, max RT ${p.maxRtMs} ms, failed ${p.totalFailed}`,
    );
    const c = await benchmarkConsumer({
      namesrvAddr: namesrv,
      topic,
      group: `bench_${Date.now()}`,
      count: p.totalSent + 1,
      fromFirst: true,
      durationMs: 120_000,
    });
    console.log(
      `consumer: ${c.totalReceived} messages: ${c.consumeTps} msg/s (including start-up and rebalance)`,
    );
  } finally {
    for (const ch of children.reverse()) {
      ch.kill('SIGTERM');
      await new Promise((r) => ch.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
