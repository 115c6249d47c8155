import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adjacentRuns } from '../../src/engine/broker/processor/pull-message-processor.js';
import { encodeFrame, encodeFrameParts } from '../../src/engine/protocol/frame-codec.js';
import { createRequest, createResponse } from '../../src/engine/protocol/remoting-command.js';
import { RemotingClient, RemotingServer } from '../../src/engine/remoting/index.js';
import { captureLogger } from './log-capture.js';

/** Records the way the store hands them out: views of two read buffers, back to back within each. */
function storedRecords(): Buffer[] {
  const a = Buffer.alloc(3000);
  const b = Buffer.alloc(2000);
  for (let i = 0; i < a.length; i++) a[i] = i % 251;
  for (let i = 0; i < b.length; i++) b[i] = (i * 7) % 253;
  return [
    a.subarray(0, 1000),
    a.subarray(1000, 1800),
    a.subarray(1800),
    b.subarray(0, 1500),
    b.subarray(1500),
  ];
}

test('a reply with bodyParts reaches the peer as one body, byte for byte, JSON and ROCKETMQ headers', async (t) => {
  const { logger } = captureLogger();
  const server = new RemotingServer({ logger });
  const records = storedRecords();
  const expected = Buffer.concat(records);
  server.registerProcessor(11, (req) => {
    const resp = createResponse(req, 0, 'FOUND', { nextBeginOffset: 5 });
    resp.bodyParts = adjacentRuns(records);
    return resp;
  });
  const port = await server.listen(0, '127.0.0.1');
  const client = new RemotingClient({ logger });
  t.after(async () => {
    await client.close();
    await server.close();
  });
  for (const serializeType of [0, 1] as const) {
    // Many replies in one tick: their parts are corked into the same writev and must not interleave.
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.invoke(`127.0.0.1:${port}`, createRequest(11, { topic: 'T' }, null, serializeType), 3000),
      ),
    );
    for (const r of replies) {
      assert.equal(r.code, 0);
      assert.equal(r.remark, 'FOUND');
      assert.equal(r.extFields?.nextBeginOffset, '5');
      assert.deepEqual(r.body, expected);
    }
  }
});

test('adjacentRuns joins back-to-back views of one buffer without copying, keeps the rest apart', () => {
  const records = storedRecords();
  const runs = adjacentRuns(records);
  assert.equal(runs.length, 2);
  assert.equal(runs[0]!.buffer, records[0]!.buffer, 'a view of the read buffer, not a copy');
  assert.deepEqual(Buffer.concat(runs), Buffer.concat(records));
  // Out of order or with gaps (a filtered record left out): separate parts, order kept.
  const gapped = [records[0]!, records[2]!, records[1]!];
  assert.equal(adjacentRuns(gapped).length, 3);
  assert.deepEqual(Buffer.concat(adjacentRuns(gapped)), Buffer.concat(gapped));
  assert.deepEqual(adjacentRuns([]), []);
});

test('encodeFrameParts writes the header once and the parts as given; encodeFrame gives the same bytes', () => {
  const records = storedRecords();
  for (const serializeType of [0, 1] as const) {
    const cmd = createResponse(createRequest(11, {}, null, serializeType), 0, 'FOUND', { minOffset: 0 });
    cmd.bodyParts = records;
    const parts = encodeFrameParts(cmd);
    assert.equal(parts.length, 1 + records.length);
    for (let i = 0; i < records.length; i++) assert.equal(parts[i + 1], records[i]);
    assert.deepEqual(Buffer.concat(parts), encodeFrame(cmd));
    assert.deepEqual(
      Buffer.concat(parts),
      encodeFrame({ ...cmd, bodyParts: null, body: Buffer.concat(records) }),
    );
    // No body at all: one buffer.
    assert.equal(encodeFrameParts({ ...cmd, bodyParts: [] }).length, 1);
  }
});
