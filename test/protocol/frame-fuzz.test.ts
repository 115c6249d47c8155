import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeFrame, FrameDecoder, FrameError } from '../../src/engine/protocol/frame-codec.js';
import type { RemotingCommand } from '../../src/engine/protocol/remoting-command.js';

// Deterministic PRNG so a failure is reproducible (seed printed on failure).
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(r: () => number, i: number): Buffer {
  const cmd: RemotingCommand = {
    code: Math.floor(r() * 400),
    language: ['JAVA', 'GO', 'CPP', 'OTHER'][i % 4],
    version: 409,
    opaque: (r() * 2 ** 32) | 0,
    flag: Math.floor(r() * 4),
    remark: r() < 0.3 ? `remark ${i} ✓` : undefined,
    extFields: r() < 0.8 ? { topic: `T${i}`, queueId: String(i % 16), i: 'a\u0001b\u0002' } : undefined,
    body: r() < 0.5 ? Buffer.alloc(Math.floor(r() * 64), i & 0xff) : null,
    serializeType: r() < 0.5 ? 0 : 1,
  };
  return encodeFrame(cmd);
}

function mutate(r: () => number, frame: Buffer): Buffer {
  const out = Buffer.from(frame);
  const kind = Math.floor(r() * 5);
  if (kind === 0) {
    // flip a few random bytes anywhere (prefix included)
    const n = 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.floor(r() * out.length)); // truncated
  if (kind === 2) {
    // lie about the header length
    out.writeUInt32BE(((out[4] << 24) | Math.floor(r() * 0xffffff)) >>> 0, 4);
    return out;
  }
  if (kind === 3) {
    // random bytes of random length
    const len = Math.floor(r() * 48);
    const b = Buffer.alloc(len);
    for (let k = 0; k < len; k++) b[k] = Math.floor(r() * 256);
    return b;
  }
  out[4] = Math.floor(r() * 256); // serialize type byte
  return out;
}

test('FrameDecoder fuzz: 120k random and mutated frames only ever raise FrameError', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 0x5eed);
  const r = rng(seed);
  const deadline = Date.now() + 40_000;
  let decoded = 0;
  let rejected = 0;
  let i = 0;
  for (; i < 120_000 && Date.now() < deadline; i++) {
    const good = sample(r, i);
    const input = r() < 0.15 ? good : mutate(r, good);
    const d = new FrameDecoder();
    try {
      // feed in 1..3 chunks to exercise reassembly
      const cut = Math.floor(r() * (input.length + 1));
      decoded += d.push(input.subarray(0, cut)).length + d.push(input.subarray(cut)).length;
    } catch (err) {
      if (!(err instanceof FrameError)) {
        assert.fail(`seed ${seed} iteration ${i}: ${String(err)} for ${input.toString('hex')}`);
      }
      rejected++;
    }
  }
  assert.ok(i >= 100_000, `only ${i} iterations ran in time`);
  assert.ok(decoded > 10_000 && rejected > 10_000, `decoded ${decoded}, rejected ${rejected}`);
});
