// A real small disk for the disk-full tests: a tmpfs mounted in the test's own temp dir (root only), and
// a filler file grown to a usage ratio or until ENOSPC.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statfsSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { decodeKVTable } from '../../src/engine/protocol/bodies/kv-table.js';
import {
  decodeRecords,
  encodeProperties,
  MESSAGE_MAGIC_CODE,
} from '../../src/engine/protocol/message/index.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { removeDir, tempDir } from '../helpers/servers.js';
import type { Cluster } from './harness.js';

/**
 * An 8 MiB tmpfs for one test file (unmounted and removed when the file's tests end), or why it cannot be
 * mounted (then the test is skipped with that reason).
 */
export function testDisk(name: string): { mnt: string; skip?: string } {
  const root = tempDir(`mq-disk-${name}-`);
  const mnt = join(root, 'mnt');
  const skip = mountTmpfs(mnt, 8);
  after(() => {
    if (!skip) unmount(mnt);
    removeDir(root);
  });
  return { mnt, skip };
}

/** Mounts an `sizeMb` tmpfs at `dir`; returns why it cannot (then the test is skipped), or undefined. */
export function mountTmpfs(dir: string, sizeMb: number): string | undefined {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0)
    return `cannot mount a tmpfs (${(r.stderr || r.error?.message || '').trim()}): needs root`;
  return undefined;
}

export function unmount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}

/** Used fraction of the file system at `dir`, as the broker computes it. */
export function usage(dir: string): number {
  const s = statfsSync(dir);
  return (s.blocks - s.bfree) / s.blocks;
}

/** Writes `filler` until the file system is full (ENOSPC), down to single bytes. */
export function fillUp(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'a');
  try {
    for (const size of [1 << 20, 64 << 10, 4096, 512, 1]) {
      const buf = Buffer.alloc(size, 0x5a);
      try {
        for (;;) writeSync(fd, buf);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

/** Grows (or shrinks) `filler` so the file system is about `target` used. */
export function fillTo(dir: string, target: number): string {
  const file = join(dir, 'filler');
  const s = statfsSync(dir);
  const fd = openSync(file, 'a');
  closeSync(fd);
  const usedBytes = (s.blocks - s.bfree) * s.bsize;
  const want = Math.ceil(target * s.blocks * s.bsize - usedBytes);
  if (want > 0) {
    const fd2 = openSync(file, 'a');
    const buf = Buffer.alloc(64 << 10, 0x5a);
    try {
      for (let done = 0; done < want; ) done += writeSync(fd2, buf, 0, Math.min(buf.length, want - done));
    } finally {
      closeSync(fd2);
    }
  }
  return file;
}

/** Cuts `filler` to `newSize` bytes. */
export function shrinkFiller(dir: string, newSize: number): void {
  truncateSync(join(dir, 'filler'), newSize);
}

export function removeFiller(dir: string): void {
  rmSync(join(dir, 'filler'), { force: true });
}

export async function send(c: Cluster, topic: string, body: string) {
  const r = await c.call(
    RequestCode.SEND_MESSAGE_V2,
    { a: 'PG_disk', b: topic, c: 'TBW102', d: 4, e: 0, f: 0, g: Date.now(), h: 0, i: encodeProperties({}) },
    Buffer.from(body),
  );
  return { code: r.code, remark: r.remark ?? '' };
}

/** Every message body of queue 0, pulled from offset 0 to the end. */
export async function readAll(c: Cluster, topic: string): Promise<string[]> {
  const out: string[] = [];
  let offset = 0;
  for (;;) {
    const r = await c.call(RequestCode.PULL_MESSAGE, {
      consumerGroup: 'CG_disk',
      topic,
      queueId: 0,
      queueOffset: offset,
      maxMsgNums: 32,
      sysFlag: 4,
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: '*',
      subVersion: Date.now(),
    });
    if (r.code !== ResponseCode.SUCCESS) break;
    for (const rec of decodeRecords(r.body!)) out.push(rec.body.toString());
    offset = Number(r.extFields!.nextBeginOffset);
  }
  return out;
}

export async function runtime(c: Cluster): Promise<Record<string, string>> {
  const r = await c.call(RequestCode.GET_BROKER_RUNTIME_INFO);
  return decodeKVTable(r.body!).table;
}

/** A log line in RocketMQ's layout: `2026-12-02 21:49:47,123 WARN broker-t@port - message key=value`. */
const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} +[A-Z]+ .*? - (.*)$/;

/** The broker log's messages (text lines; stack lines left out) matching `re`. */
export function logLines(c: Cluster, re: RegExp): string[] {
  const file = join(c.dir, 'logs', 'broker.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => LOG_LINE.exec(l)?.[1])
    .filter((m): m is string => m !== undefined && re.test(m));
}

/** Bytes after the last whole record of a commit-log file (a partial record would leave some non-zero). */
export function tailAfterRecords(file: string): Buffer {
  const b = readFileSync(file);
  let pos = 0;
  while (pos + 8 <= b.length && b.readInt32BE(pos + 4) === MESSAGE_MAGIC_CODE && b.readInt32BE(pos) > 0)
    pos += b.readInt32BE(pos);
  return b.subarray(pos);
}
