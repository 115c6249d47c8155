import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { encodeFrame } from '../../src/engine/protocol/frame-codec.js';
import { createRequest, createResponse } from '../../src/engine/protocol/remoting-command.js';
import { RemotingClient, RemotingServer } from '../../src/engine/remoting/index.js';
import { captureLogger, waitFor } from './log-capture.js';

function frame(length: number, word: number, rest: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(length, 0);
  b.writeUInt32BE(word >>> 0, 4);
  return Buffer.concat([b, rest]);
}

const half = encodeFrame(createRequest(105, { topic: 'T' })).subarray(0, 20);

const cases: Array<{ name: string; bytes: Buffer; log: RegExp; closeAfterWrite?: boolean }> = [
  { name: 'garbage bytes', bytes: Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), log: /bad frame/ },
  { name: 'length > 16 MiB', bytes: frame(16 * 1024 * 1024 + 1, 10), log: /bad frame/ },
  { name: 'non-JSON header', bytes: frame(4 + 5, 5, Buffer.from('{oops')), log: /bad frame/ },
  { name: 'unknown serialize type', bytes: frame(4 + 2, (9 << 24) | 2, Buffer.from('{}')), log: /bad frame/ },
  { name: 'half frame then close', bytes: half, log: /mid-frame/, closeAfterWrite: true },
];

test('bad input closes only the offending connection, logs it, and other clients keep being served', async (t) => {
  const { logger, lines } = captureLogger();
  // Every error logged at once (a flood's rate limit has its own test in test/namesrv/flood.test.ts).
  const server = new RemotingServer({ logger, protocolErrorLogIntervalMs: 0 });
  let served = 0;
  server.registerProcessor(105, (req) => {
    served++;
    return createResponse(req, 0, undefined, undefined, Buffer.from('ok'));
  });
  const port = await server.listen(0, '127.0.0.1');
  const addr = `127.0.0.1:${port}`;
  const good = new RemotingClient({ logger });
  t.after(async () => {
    await good.close();
    await server.close();
  });
  assert.equal((await good.invoke(addr, createRequest(105, { topic: 'T' }), 2000)).code, 0);

  for (const c of cases) {
    const before = lines.length;
    const sock: Socket = connect(port, '127.0.0.1');
    sock.on('error', () => {});
    await new Promise((r) => sock.once('connect', r));
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.write(c.bytes);
    if (c.closeAfterWrite) {
      await new Promise((r) => setTimeout(r, 50));
      sock.end();
    }
    // meanwhile the good client is still served
    assert.equal((await good.invoke(addr, createRequest(105, { topic: 'T' }), 2000)).code, 0, c.name);
    await Promise.race([
      closed,
      new Promise((_, rej) =>
        setTimeout(() => rej(new Error(`${c.name}: server kept the connection`)), 3000),
      ),
    ]);
    await waitFor(
      () => lines.slice(before).some((l) => c.log.test(String(l.msg))),
      2000,
      `${c.name} log line`,
    );
    const line = lines.slice(before).find((l) => c.log.test(String(l.msg)));
    assert.match(String(line?.remote), /^127\.0\.0\.1:\d+$/, c.name);
  }
  assert.equal(server.openChannels.size, 1, 'only the good client remains');
  assert.equal((await good.invoke(addr, createRequest(105, { topic: 'T' }), 2000)).code, 0);
  assert.ok(served >= cases.length + 2);
});
