import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeRecord, readInt64 } from '../../src/engine/protocol/message/index.js';
import { crashBody, openStore, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Ack {
  offset: number;
  queueId: number;
  queueOffset: number;
  key: string;
  len: number;
}

/** Run the writer, kill it with SIGKILL after `ms` of writing; return the acknowledged puts. */
function runAndKill(root: string, seed: number, ms: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'crash-writer.js'), root, String(seed)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (!timer && out.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), ms);
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      const acks: Ack[] = [];
      // The last line may be cut by the kill: only complete lines count.
      for (const line of out.split('\n').slice(0, -1)) {
        const [tag, off, q, qo, key, len] = line.split(' ');
        if (tag !== 'ack') continue;
        acks.push({
          offset: Number(off),
          queueId: Number(q),
          queueOffset: Number(qo),
          key: key!,
          len: Number(len),
        });
      }
      resolve(acks);
    });
  });
}

test('SIGKILL during SYNC_FLUSH appends: every acknowledged message survives recovery intact', {
  timeout: 90_000,
}, async () => {
  const root = tempDir('mq-crash-');
  dirs.push(root);
  const all: Ack[] = [];
  const rounds = 24;
  for (let round = 0; round < rounds; round++) {
    const acks = await runAndKill(root, round, 30 + ((round * 137) % 400));
    all.push(...acks);
    // Verify after every other round; in between the writer itself recovers from the crash.
    if (round % 2 === 1 || round === rounds - 1) await verify(root, all);
  }
  assert.ok(all.length > 1000, `only ${all.length} acknowledged puts`);
});

async function verify(root: string, acks: Ack[]): Promise<void> {
  assert.ok(fs.existsSync(join(root, 'abort')), 'the killed writer left its abort file');
  const store = await openStore(root, { mappedFileSizeCommitLog: 256 * 1024 });
  try {
    // 1. Every acknowledged message reads back intact at its offset and through its queue entry.
    for (const a of acks) {
      const b = store.lookMessageByOffset(a.offset);
      assert.ok(b, `acked offset ${a.offset} missing`);
      const d = decodeRecord(b);
      assert.equal(d.properties.KEYS, a.key);
      assert.equal(d.queueId, a.queueId);
      assert.equal(d.queueOffset, a.queueOffset);
      assert.ok(d.body.equals(crashBody(a.key, a.len)), `body of ${a.key} differs`);
      assert.equal(store.getCommitLogOffsetInQueue('CrashTopic', a.queueId, a.queueOffset), a.offset);
    }
    // 2. Consume queues agree with the commit log: every entry points at a whole, matching record,
    //    queue offsets are dense, and nothing past the commit log's end is visible.
    const maxPhy = store.getMaxPhyOffset();
    let entries = 0;
    for (let q = 0; q < 4; q++) {
      const max = store.getMaxOffsetInQueue('CrashTopic', q);
      for (let o = store.getMinOffsetInQueue('CrashTopic', q); o < max; ) {
        const g = store.getMessage('CrashTopic', q, o, 32);
        assert.equal(g.status, 'FOUND', `queue ${q} offset ${o}: ${g.status}`);
        for (let k = 0; k < g.buffers.length; k++) {
          const d = decodeRecord(g.buffers[k]!);
          assert.equal(d.queueId, q);
          assert.equal(d.queueOffset, g.queueOffsets[k]);
          assert.ok(d.commitLogOffset + d.storeSize <= maxPhy);
          const key = d.properties.KEYS!;
          assert.ok(
            d.body.equals(crashBody(key, d.body.length)),
            `torn body visible at ${d.commitLogOffset}`,
          );
          entries++;
        }
        o = g.nextBeginOffset;
      }
    }
    assert.ok(entries >= new Set(acks.map((a) => a.offset)).size);
    // 3. The commit log tail after recovery is clean: the next write lands right at the valid end.
    const r = await store.putMessage({
      topic: 'CrashTopic',
      queueId: 0,
      flag: 0,
      body: crashBody('probe', 10),
      properties: { KEYS: 'probe' },
      sysFlag: 0,
      bornTimestamp: Date.now(),
      bornHost: { ip: Buffer.from([127, 0, 0, 1]), port: 1 },
      storeHost: { ip: Buffer.from([127, 0, 0, 1]), port: 10911 },
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
    });
    assert.equal(r.status, 'PUT_OK');
    assert.equal(r.appendResult!.queueOffset, store.getMaxOffsetInQueue('CrashTopic', 0) - 1);
    const e = store.findConsumeQueue('CrashTopic', 0)!.readEntries(r.appendResult!.queueOffset, 1)!;
    assert.equal(readInt64(e, 0), r.appendResult!.wroteOffset);
    // 4. The index answers for a sample of acknowledged keys.
    for (const a of acks.filter((_, i) => i % 97 === 0)) {
      const qr = store.queryMessage('CrashTopic', a.key, 4, 0, Number.MAX_SAFE_INTEGER);
      assert.deepEqual(qr.phyOffsets, [a.offset], `index lost ${a.key}`);
    }
  } finally {
    await store.shutdown();
  }
  // Leave an abort file so the next verification also checks the writer's own crash.
}
