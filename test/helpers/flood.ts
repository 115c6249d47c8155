// A flood of malformed frames to a server on 127.0.0.1 (bench/flood.ts, test/namesrv/flood.test.ts): one
// connection per frame, each cut by the server (or, for the half frame, by us) after its one bad frame.
import { connect } from 'node:net';

function prefix(length: number, word: number, rest: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(length, 0);
  b.writeUInt32BE(word >>> 0, 4);
  return Buffer.concat([b, rest]);
}

/** Garbage bytes, an oversized length, a non-JSON header, an unknown serialize type, a half frame. */
const BAD: Buffer[] = [
  Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
  prefix(16 * 1024 * 1024 + 1, 10),
  prefix(4 + 5, 5, Buffer.from('{oops')),
  prefix(4 + 2, (9 << 24) | 2, Buffer.from('{}')),
  prefix(4 + 200, 100, Buffer.alloc(40, 0x7b)), // the peer closes after 48 of 204 bytes
];

/** One connection, one malformed frame; resolves once the connection is closed. */
function one(port: number, i: number): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.once('close', () => resolve());
    s.once('connect', () => {
      s.write(BAD[i % BAD.length]!);
      if (i % BAD.length === BAD.length - 1) s.end();
    });
    s.setTimeout(5000, () => s.destroy());
  });
}

/** Sends `frames` malformed frames, `conns` connections at a time. */
export async function floodMalformedFrames(port: number, frames: number, conns: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: conns }, async () => {
      for (let i = next++; i < frames; i = next++) await one(port, i);
    }),
  );
}
