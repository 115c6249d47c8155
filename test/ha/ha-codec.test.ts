import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  encodeOffsetReport,
  encodeTransferHeader,
  OffsetReportReader,
  readInt64,
  TransferChunkReader,
  writeInt64,
} from '../../src/engine/broker/ha/ha-codec.js';

test('int64 offsets round-trip big-endian, as Java ByteBuffer.putLong writes them', () => {
  for (const v of [0, 1, 255, 2 ** 31, 2 ** 32 + 5, 1024 ** 3 * 7 + 123, 2 ** 53 - 1, -1]) {
    const b = Buffer.alloc(8);
    writeInt64(b, v, 0);
    assert.equal(b.readBigInt64BE(0), BigInt(v));
    assert.equal(readInt64(b, 0), v);
  }
  assert.deepEqual(encodeOffsetReport(0x0102030405), Buffer.from('0000000102030405', 'hex'));
  assert.deepEqual(encodeTransferHeader(2 ** 32, 32768), Buffer.from('000000010000000000008000', 'hex'));
});

test('the master keeps only the last complete 8-byte report, carrying torn tails', () => {
  const r = new OffsetReportReader();
  const three = Buffer.concat([encodeOffsetReport(10), encodeOffsetReport(20), encodeOffsetReport(30)]);
  assert.equal(r.push(three.subarray(0, 5)), undefined);
  assert.equal(r.push(three.subarray(5, 19)), 20);
  assert.equal(r.push(three.subarray(19, 23)), undefined);
  assert.equal(r.push(three.subarray(23)), 30);
});

test('the slave splits the stream into chunks whatever the read boundaries', () => {
  const bodies = [Buffer.from('hello'), Buffer.alloc(0), Buffer.alloc(70_000, 7), Buffer.from('x')];
  let off = 1000;
  const frames: Buffer[] = [];
  const expected: { masterPhyOffset: number; data: Buffer }[] = [];
  for (const b of bodies) {
    frames.push(encodeTransferHeader(off, b.length), b);
    expected.push({ masterPhyOffset: off, data: b });
    off += b.length;
  }
  const stream = Buffer.concat(frames);
  for (const step of [1, 3, 11, 12, 13, 4096, stream.length]) {
    const r = new TransferChunkReader();
    const got: { masterPhyOffset: number; data: Buffer }[] = [];
    for (let i = 0; i < stream.length; i += step) {
      // Copy each chunk out: views are only valid until the next push.
      for (const c of r.push(stream.subarray(i, i + step))) {
        got.push({ masterPhyOffset: c.masterPhyOffset, data: Buffer.from(c.data) });
      }
    }
    assert.deepEqual(got, expected, `read step ${step}`);
    assert.equal(r.pendingBytes, 0);
  }
});

test('a negative or absurd chunk size is a protocol error, not an allocation', () => {
  const r = new TransferChunkReader(1024);
  assert.throws(() => r.push(encodeTransferHeader(0, -1)), /out of range/);
  assert.throws(() => new TransferChunkReader(1024).push(encodeTransferHeader(0, 4096)), /out of range/);
});
