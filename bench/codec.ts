// Frame codec throughput: encode + decode of a SEND_MESSAGE_V2 request with a 1 KB body.
// Run: npx tsc -p . && node dist/bench/codec.js [seconds]
import { encodeFrame, FrameDecoder } from '../src/engine/protocol/frame-codec.js';
import { createRequest, type SerializeType } from '../src/engine/protocol/remoting-command.js';

const seconds = Number(process.argv[2] ?? 3);
const body = Buffer.alloc(1024, 0x61);

function sendV2(type: SerializeType) {
  return createRequest(
    310,
    {
      a: 'bench_producer_group',
      b: 'BenchTopic',
      c: 'TBW102',
      d: 4,
      e: 3,
      f: 0,
      g: Date.now(),
      h: 0,
      i: 'TAGS\u0001TagA\u0002KEYS\u0001key-1\u0002UNIQ_KEY\u00017F0000010F1A18B4AAC2562B7A940000\u0002WAIT\u0001true\u0002',
      j: 0,
      k: false,
      l: 16,
      m: false,
    },
    body,
    type,
  );
}

function run(type: SerializeType, batch: number): void {
  const cmd = sendV2(type);
  const decoder = new FrameDecoder();
  let frames = 0;
  let bytes = 0;
  // warm up
  for (let i = 0; i < 20_000; i++) decoder.push(encodeFrame(cmd));
  const end = process.hrtime.bigint() + BigInt(seconds * 1e9);
  const start = process.hrtime.bigint();
  let now = start;
  while (now < end) {
    if (batch === 1) {
      for (let i = 0; i < 1000; i++) {
        cmd.opaque = i;
        const f = encodeFrame(cmd);
        bytes += f.length;
        frames += decoder.push(f).length;
      }
    } else {
      // many frames per socket read, as under load
      const parts: Buffer[] = [];
      for (let i = 0; i < batch; i++) {
        cmd.opaque = i;
        parts.push(encodeFrame(cmd));
      }
      const chunk = Buffer.concat(parts);
      bytes += chunk.length;
      frames += decoder.push(chunk).length;
    }
    now = process.hrtime.bigint();
  }
  const secs = Number(now - start) / 1e9;
  const name = type === 0 ? 'JSON' : 'ROCKETMQ';
  console.log(
    `${name.padEnd(8)} batch=${String(batch).padEnd(3)} ${Math.round(frames / secs).toLocaleString('en-US')} frames/s encode+decode ` +
      `(${(bytes / secs / 1048576).toFixed(0)} MiB/s, frame ${encodeFrame(cmd).length} B)`,
  );
}

for (const type of [0, 1] as const) {
  run(type, 1);
  run(type, 32);
}
