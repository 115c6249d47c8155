// Messages lost to damaged store files (issue 13, items 4-8): each scenario writes 3,000 messages over 4
// queues into a temp store, stops it, writes bytes into the real files, starts it again and counts what
// is readable through the queues with the right body. Usage: node dist/bench/store-damage.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { MessageStore } from '../src/engine/store/index.js';
import type { MessageExtBrokerInner } from '../src/engine/store/types.js';

const FILE = 64 * 1024;
const N = 3000;
const Q = 4;
const TOPIC = 'Dmg';

const config = (root: string) => ({
  storePathRootDir: root,
  mappedFileSizeCommitLog: FILE,
  mappedFileSizeConsumeQueue: 2000,
  maxHashSlotNum: 1000,
  maxIndexNum: 4000,
  maxMessageSize: 16 * 1024,
  cleanResourceInterval: 3600_000,
});

function body(i: number): Buffer {
  const b = Buffer.alloc(150 + (i % 90));
  for (let k = 0; k < b.length; k++) b[k] = (i * 31 + k) & 0xff;
  return b;
}

function message(i: number): MessageExtBrokerInner {
  return {
    topic: TOPIC,
    queueId: i % Q,
    flag: 0,
    body: body(i),
    // Producers set a unique key on every message, so the index covers every record.
    properties: { IDX: String(i), UNIQ_KEY: `u${i}` },
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: { ip: Buffer.from([10, 0, 0, 2]), port: 1 },
    storeHost: { ip: Buffer.from([127, 0, 0, 1]), port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

function garbage(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

interface Store {
  root: string;
  at: { offset: number; size: number }[];
  end: number;
}

async function populate(): Promise<Store> {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'mq-damage-bench-'));
  const s = new MessageStore(config(root), { diskUsage: () => 0.1 });
  await s.start();
  const at: Store['at'] = [];
  for (let i = 0; i < N; i += 100) {
    const rs = await Promise.all(Array.from({ length: 100 }, (_, k) => s.putMessage(message(i + k))));
    for (const r of rs) at.push({ offset: r.appendResult!.wroteOffset, size: r.appendResult!.wroteBytes });
  }
  const end = s.getMaxPhyOffset();
  await s.shutdown();
  return { root, at, end };
}

function writeAt(path: string, pos: number, bytes: Buffer): void {
  const fd = fs.openSync(path, 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, pos);
  fs.closeSync(fd);
}
const logFile = (root: string, off: number) =>
  join(root, 'commitlog', String(Math.floor(off / FILE) * FILE).padStart(20, '0'));
const cqDir = (root: string, q: number) => join(root, 'consumequeue', TOPIC, String(q));

/** Good messages readable, and records handed out that are not what was written. */
function count(s: MessageStore): { ok: number; bad: number } {
  const ok = new Set<number>();
  let bad = 0;
  for (let q = 0; q < Q; q++) {
    let o = s.getMinOffsetInQueue(TOPIC, q);
    const max = s.getMaxOffsetInQueue(TOPIC, q);
    for (let guard = 0; o < max && guard < 10_000; guard++) {
      const g = s.getMessage(TOPIC, q, o, 32);
      for (const b of g.buffers) {
        const m = /IDX\u0001(\d+)/.exec(b.toString('latin1'));
        const i = m ? Number(m[1]) : -1;
        const sound = b.readInt32BE(0) === b.length && b.readInt32BE(4) === -626843481;
        if (sound && i >= 0 && b.includes(body(i))) ok.add(i);
        else bad++;
      }
      if (g.nextBeginOffset <= o) break;
      o = g.nextBeginOffset;
    }
  }
  return { ok: ok.size, bad };
}

const scenarios: [string, (w: Store) => void, boolean?][] = [
  [
    'commit-log tail: plausible header, then garbage',
    (w) => {
      const h = Buffer.alloc(8);
      h.writeInt32BE(400, 0);
      h.writeInt32BE(-626843481, 4);
      writeAt(logFile(w.root, w.end), w.end % FILE, Buffer.concat([h, garbage(392, 7)]));
    },
  ],
  [
    'consume queue: 50 random entries mid-file',
    (w) => writeAt(join(cqDir(w.root, 1), '00000000000000006000'), 500, garbage(1000, 11)),
  ],
  ['checkpoint: random bytes', (w) => fs.writeFileSync(join(w.root, 'checkpoint'), garbage(4096, 3))],
  ['consume queue deleted', (w) => fs.rmSync(cqDir(w.root, 2), { recursive: true })],
  [
    'consume queue zeroed',
    (w) => {
      for (const n of fs.readdirSync(cqDir(w.root, 3)))
        fs.writeFileSync(join(cqDir(w.root, 3), n), Buffer.alloc(2000));
    },
  ],
  [
    'consume queue: last file truncated',
    (w) => {
      const names = fs.readdirSync(cqDir(w.root, 0)).sort();
      fs.truncateSync(join(cqDir(w.root, 0), names[names.length - 1]!), 1000);
    },
  ],
  [
    'commit log: 16 random bytes mid-record, 3rd-to-last file',
    (w) => {
      const file = Math.floor((w.end - 1) / FILE) - 2;
      const v = w.at[w.at.findIndex((a) => Math.floor(a.offset / FILE) === file) + 20]!;
      writeAt(logFile(w.root, v.offset), (v.offset % FILE) + 100, garbage(16, 21));
    },
  ],
  [
    'commit log: 16 random bytes mid-record, last file, kill -9',
    (w) => {
      const file = Math.floor((w.end - 1) / FILE);
      const v = w.at[w.at.findIndex((a) => Math.floor(a.offset / FILE) === file) + 3]!;
      writeAt(logFile(w.root, v.offset), (v.offset % FILE) + 100, garbage(16, 23));
      fs.writeFileSync(join(w.root, 'abort'), '');
    },
  ],
];

async function main(): Promise<void> {
  console.log('scenario | start | readable of 3000 | lost | bad records handed out | recovery ms');
  for (const [name, damage] of scenarios) {
    const w = await populate();
    damage(w);
    const s = new MessageStore(config(w.root), { diskUsage: () => 0.1 });
    const t0 = Date.now();
    try {
      await s.start();
      const ms = Date.now() - t0;
      const c = count(s);
      console.log(`${name} | ok | ${c.ok} | ${N - c.ok} | ${c.bad} | ${ms}`);
      await s.shutdown();
    } catch (e) {
      console.log(`${name} | REFUSED: ${(e as Error).message.slice(0, 90)} | - | - | - | -`);
    }
    fs.rmSync(w.root, { recursive: true, force: true });
  }
  // Read path: a record damaged while the store runs (magic overwritten), read through the queue.
  const w = await populate();
  const s = new MessageStore(config(w.root), { diskUsage: () => 0.1 });
  await s.start();
  const v = w.at[100]!;
  writeAt(logFile(w.root, v.offset), (v.offset % FILE) + 4, Buffer.from([1, 2, 3, 4]));
  const c = count(s);
  console.log(
    `read path: a record's magic overwritten while running | ok | ${c.ok} | ${N - c.ok} | ${c.bad} | -`,
  );
  await s.shutdown();
  fs.rmSync(w.root, { recursive: true, force: true });
}

await main();
