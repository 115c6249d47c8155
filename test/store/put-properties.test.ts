import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tagsString2Code, topicKeyHash, topicKeySeed } from '../../src/engine/protocol/message/java-hash.js';
import {
  newPutProperties,
  newPutPropertyHashes,
  scanPutProperties,
  scanPutPropertyBytes,
} from '../../src/engine/store/put-properties.js';
import { msg, openStore, tempDir } from './helpers.js';

/** What the string path gives the dispatch request: tags code, KEYS, and the UNIQ_KEY's index hash. */
function fromString(topic: string, props: string) {
  const pp = scanPutProperties(props, newPutProperties());
  return {
    tagsCode: tagsString2Code(pp.tags),
    keys: pp.keys,
    uniqKeyHash: pp.uniqKey ? topicKeyHash(topic, pp.uniqKey) : -1,
  };
}

/** The bytes path over the properties encoded at an offset inside a larger buffer, as in a commit-log chunk. */
function fromBytes(topic: string, props: string) {
  const enc = Buffer.from(props, 'utf8');
  const buf = Buffer.alloc(enc.length + 40, 0x02);
  enc.copy(buf, 17);
  const out = newPutPropertyHashes();
  const ok = scanPutPropertyBytes(buf, 17, 17 + enc.length, topicKeySeed(topic), out);
  return ok ? { ...out } : null;
}

test('properties read from their bytes give the string scan’s tags code, KEYS and UNIQ_KEY hash', () => {
  const cases = [
    '',
    'TAGS\u0001TagA\u0002UNIQ_KEY\u00010A00000106D102173E6F0D3DA7C2457E',
    'TAGS\u0001TagA\u0002UNIQ_KEY\u00010A00000106D102173E6F0D3DA7C2457E\u0002',
    'KEYS\u0001k1 k2  k3\u0002TAGS\u0001*\u0002WAIT\u0001true',
    // First entry of a name wins, even an empty one; an empty value is absent.
    'TAGS\u0001\u0002TAGS\u0001B\u0002UNIQ_KEY\u0001\u0002KEYS\u0001',
    'TAGS\u0001A\u0002TAGS\u0001B',
    // Near misses: longer names, missing separators, names inside values, a value at the very end.
    'TAGSX\u0001no\u0002TAG\u0001no\u0002UNIQ_KEYS\u0001no\u0002KEY\u0001no\u0002X\u0001TAGS\u0001no',
    'TAGS',
    'UNIQ_KEY',
    'UNIQ_KEY\u0001',
    'A\u0001B\u0002TAGS\u0001end',
    // Non-ASCII outside the wanted values is fine.
    'DESC\u0001中文\u0002TAGS\u0001TagB\u0002KEYS\u0001order-1',
    'polygenelubricants',
    'TAGS\u0001polygenelubricants\u0002UNIQ_KEY\u0001polygenelubricants',
  ];
  for (const topic of ['TopicTest', 't', 'T%RETRY%g']) {
    for (const props of cases) assert.deepEqual(fromBytes(topic, props), fromString(topic, props), props);
  }
});

test('properties whose TAGS, KEYS or UNIQ_KEY are not ASCII are left to the string scan', () => {
  for (const props of [
    'TAGS\u0001标签',
    'KEYS\u0001é',
    'UNIQ_KEY\u0001ключ',
    'TAGS\u0001A\u0002KEYS\u0001a 中',
  ]) {
    assert.equal(fromBytes('TopicTest', props), null, props);
  }
});

test('random property strings: bytes and string scans agree', () => {
  // A fixed-seed generator (xorshift) over names and values that collide with the wanted ones.
  let s = 0x9e3779b9;
  const rnd = (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
  const names = ['TAGS', 'KEYS', 'UNIQ_KEY', 'DELAY', 'TAG', 'KEYSS', 'UNIQ', 'T', 'K', 'U', ''];
  const values = [
    '',
    'a',
    'TagA',
    'k1 k2',
    ' x ',
    'TAGS',
    'UNIQ_KEY\u0001v',
    '0A00000106D1',
    'polygenelubricants',
  ];
  for (let i = 0; i < 5000; i++) {
    const parts: string[] = [];
    const n = rnd(6);
    for (let j = 0; j < n; j++) {
      const sep = rnd(10) === 0 ? '' : '\u0001';
      parts.push(`${names[rnd(names.length)]}${sep}${values[rnd(values.length)]}`);
    }
    const props = parts.join('\u0002') + (rnd(2) ? '\u0002' : '');
    assert.deepEqual(fromBytes('BenchTopic', props), fromString('BenchTopic', props), JSON.stringify(props));
  }
});

test('a store rebuilt from its commit log has the same consume queues and index keys as the put path built', async () => {
  const root = tempDir();
  const rebuilt = tempDir();
  try {
    const tags = ['TagA', '标签', '', undefined, '*', 'polygenelubricants'];
    const keys = ['k1 k2', ' ', 'ключ k3', undefined, 'order-1  order-2 '];
    const uniqs = ['0A00000106D102173E6F0D3DA7C2457E', 'ユニーク', undefined, '', 'U1'];
    const props: Record<string, string>[] = [];
    for (let i = 0; i < 120; i++) {
      const p: Record<string, string> = {};
      const t = tags[i % tags.length];
      const k = keys[i % keys.length];
      const u = uniqs[i % uniqs.length];
      if (t !== undefined) p.TAGS = t;
      if (k !== undefined) p.KEYS = `${k}-${i}`;
      if (u !== undefined) p.UNIQ_KEY = u && `${u}${i}`;
      if (i % 7 === 0) p.DELAY = '3';
      props.push(p);
    }
    const store = await openStore(root);
    // Two topics interleaved, so the per-topic caches of the put path change topic on every put.
    const puts = props.map((p, i) =>
      store.putMessage(msg(i % 2 ? 'TopicOdd' : 'TopicEven', i % 3, `b${i}`, p)),
    );
    for (const r of await Promise.all(puts)) assert.equal(r.status, 'PUT_OK');
    await store.shutdown();

    // The same commit log alone: recovery dispatches every record again, reading properties as strings.
    fs.cpSync(join(root, 'commitlog'), join(rebuilt, 'commitlog'), { recursive: true });
    const again = await openStore(rebuilt);
    await again.writeQueuesNow();
    const fresh = await openStore(root);
    for (const topic of ['TopicOdd', 'TopicEven']) {
      for (let q = 0; q < 3; q++) {
        const file = join('consumequeue', topic, String(q), '00000000000000000000');
        assert.deepEqual(fs.readFileSync(join(root, file)), fs.readFileSync(join(rebuilt, file)), file);
      }
    }
    let looked = 0;
    props.forEach((p, i) => {
      const topic = i % 2 ? 'TopicOdd' : 'TopicEven';
      const words = [...(p.KEYS ?? '').split(' '), p.UNIQ_KEY ?? ''].filter((w) => w.length > 0);
      for (const w of words) {
        const a = fresh.queryMessage(topic, w, 32, 0, Number.MAX_SAFE_INTEGER).phyOffsets;
        const b = again.queryMessage(topic, w, 32, 0, Number.MAX_SAFE_INTEGER).phyOffsets;
        assert.ok(a.length > 0, `${topic} ${w}`);
        assert.deepEqual(a, b, `${topic} ${w}`);
        looked++;
      }
    });
    assert.ok(looked > 200);
    await fresh.shutdown();
    await again.shutdown();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(rebuilt, { recursive: true, force: true });
  }
});
