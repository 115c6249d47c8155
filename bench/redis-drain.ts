/**
 * The Redis Streams side of bench/drain.ts: the same backlog drained the way ../shared/bench's
 * `redis-everysec` peer consumes (redis-server with `--appendonly yes --appendfsync everysec --save ''`;
 * XREADGROUP COUNT 1000 with XACK of each batch pipelined behind the next read, at most 8 acks in flight).
 * The backlog is XADDed in pipelined chunks (the fill is not measured against anything).
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { reclaimMemory } from '../src/engine/common/memory-reclaim.js';
import { freePortPair } from '../test/helpers/servers.js';
import { cpuMs } from './proc-stats.js';

const REDIS_SERVER = process.env.BENCH_REDIS_SERVER ?? '/usr/bin/redis-server';
const STREAM = 'bench';
const GROUP = 'bench-group';
const FILL_CHUNK = 256;

export interface RedisDrain {
  fillMs: number;
  /** msg/s from XREADGROUP start to the last message. */
  rate: number;
  serverCpuMs: number;
  clientCpuMs: number;
}

async function waitPing(port: number, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`redis-server exited (${server.exitCode}) before ready`);
    const r = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    r.on('error', () => {});
    try {
      await r.connect();
      if ((await r.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error('redis-server not answering PING after 10 s');
    } finally {
      r.disconnect();
    }
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** Starts redis-server in `dir`, fills `count` messages of `size` bytes, drains them, stops the server. */
export async function redisDrain(dir: string, count: number, size: number): Promise<RedisDrain> {
  const port = await freePortPair();
  const server = spawn(
    REDIS_SERVER,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--protected-mode',
      'yes',
      '--logfile',
      '',
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const exited = once(server, 'exit');
  const opts = { host: '127.0.0.1', port, maxRetriesPerRequest: 1, enableAutoPipelining: false };
  let pub: Redis | undefined;
  let sub: Redis | undefined;
  try {
    await waitPing(port, server);
    pub = new Redis(opts);
    sub = new Redis(opts); // XREADGROUP on its own connection, as the shared bench does
    await pub.xgroup('CREATE', STREAM, GROUP, '0', 'MKSTREAM');
    const body = Buffer.alloc(size, 'a');
    const f0 = Date.now();
    for (let left = count; left > 0; ) {
      const n = Math.min(FILL_CHUNK, left);
      left -= n;
      const p = pub.pipeline();
      for (let i = 0; i < n; i++) p.xadd(STREAM, '*', 'd', body);
      await p.exec();
    }
    const fillMs = Date.now() - f0;

    const pid = server.pid!;
    reclaimMemory(); // a full GC: the fill's garbage is not the drain's
    const s0 = cpuMs(pid);
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    let n = 0;
    const pendingAcks: Promise<unknown>[] = [];
    while (n < count) {
      const res = (await sub.callBuffer(
        'XREADGROUP',
        'GROUP',
        GROUP,
        'c1',
        'COUNT',
        1000,
        'BLOCK',
        500,
        'STREAMS',
        STREAM,
        '>',
      )) as [Buffer, [Buffer, Buffer[]][]][] | null;
      if (!res) throw new Error(`redis drain stalled at ${n} of ${count}`);
      const entries = res[0]![1];
      const ids = new Array<string>(entries.length);
      for (let i = 0; i < entries.length; i++) {
        const [id, fields] = entries[i]!;
        ids[i] = id.toString();
        if (fields[1]!.length !== size) throw new Error(`redis body of ${fields[1]!.length} bytes`);
      }
      n += entries.length;
      pendingAcks.push(pub.xack(STREAM, GROUP, ...ids));
      if (pendingAcks.length > 8) await pendingAcks.shift();
    }
    const ms = Date.now() - t0;
    await Promise.all(pendingAcks);
    const client = process.cpuUsage(c0);
    return {
      fillMs,
      rate: Math.round((n * 1000) / Math.max(1, ms)),
      serverCpuMs: cpuMs(pid) - s0,
      clientCpuMs: Math.round((client.user + client.system) / 1000),
    };
  } finally {
    pub?.disconnect();
    sub?.disconnect();
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      const t = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
  }
}
