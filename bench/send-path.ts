/**
 * The broker's send path alone: an embedded name server + broker and, in the same process, a raw-socket
 * client that keeps `inflight` SEND_MESSAGE_V2 frames (1 KB bodies, pre-encoded, one socket write per
 * request as ali-ons does) in flight. The client only counts reply frames, so the process CPU per send is
 * almost all broker work: frame decode, send processor, record encoding + CRC, store tick, reply encoding
 * and socket writes. CPU time moves far less than msg/s when other processes share the cores.
 *
 *   npm run build && node dist/bench/send-path.js [sends=200000] [inflight=32] [size=1024]
 *   BENCH_HEADER=ali-ons node dist/bench/send-path.js …   (headers as the shared harness's client writes them)
 *   BENCH_BASE_DIST=/work/wt-base/dist node dist/bench/send-path.js …   (that checkout's broker, same client)
 *
 * Profile it with `node --cpu-prof --cpu-prof-dir=DIR dist/bench/send-path.js` (one thread, so the
 * profile has none of the cross-process preemption noise a profile of the broker under a remote client has).
 */

import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { startEmbeddedPair as StartPair } from '../src/engine/embedded.js';
import { encodeFrame } from '../src/engine/protocol/frame-codec.js';
import { createRequest } from '../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../src/engine/protocol/request-code.js';
import { toSendHeaderV2 } from '../src/engine/protocol/requests/send-message.js';
import { tempDir } from '../test/helpers/servers.js';

const sends = Number(process.argv[2] ?? 200_000);
const inflight = Number(process.argv[3] ?? 32);
const size = Number(process.argv[4] ?? 1024);
const warmup = Math.min(20_000, sends);

// BENCH_BASE_DIST (another checkout's dist, e.g. /work/wt-base/dist) runs that checkout's broker under the
// same client: a before/after pair with the same frames.
const baseDist = process.env.BENCH_BASE_DIST;
const { startEmbeddedPair } = (await import(
  baseDist ? join(baseDist, 'src/engine/embedded.js') : '../src/engine/embedded.js'
)) as { startEmbeddedPair: typeof StartPair };

process.env.MQ_LOG_LEVEL ??= 'silent';
const dir = tempDir('mq-bench-send-path-');
const pair = await startEmbeddedPair({ namesrvPort: 0, brokerPort: 0, storeDir: join(dir, 'store') });
try {
  const body = Buffer.alloc(size, 0x61);
  // Distinct frames (opaque, queue, unique key), as a producer sends them; reused round-robin. With
  // BENCH_HEADER=ali-ons the header is written the way ali-ons (the shared harness's client) writes it:
  // JSON.stringify of its own key order, numbers and booleans unquoted, no j/l/m letters.
  const aliOns = process.env.BENCH_HEADER === 'ali-ons';
  const frames = Array.from({ length: 4096 }, (_, i) => {
    const h = {
      producerGroup: 'bench_send_path',
      topic: 'SendPathTopic',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: i & 3,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      flag: 0,
      properties: `TAGS\u0001bench\u0002UNIQ_KEY\u00017F000001${String(i).padStart(24, '0')}\u0002WAIT\u0001true\u0002`,
      reconsumeTimes: 0,
      unitMode: false,
      maxReconsumeTimes: 16,
      batch: false,
    };
    if (!aliOns) return encodeFrame(createRequest(RequestCode.SEND_MESSAGE_V2, toSendHeaderV2(h), body));
    const header = Buffer.from(
      JSON.stringify({
        code: RequestCode.SEND_MESSAGE_V2,
        language: 'JAVA',
        opaque: i,
        flag: 0,
        version: 121,
        extFields: {
          a: h.producerGroup,
          b: h.topic,
          c: h.defaultTopic,
          d: h.defaultTopicQueueNums,
          e: h.queueId,
          f: h.sysFlag,
          g: h.bornTimestamp,
          h: h.flag,
          i: h.properties,
          k: h.unitMode,
        },
      }),
    );
    const frame = Buffer.alloc(8 + header.length + body.length);
    frame.writeInt32BE(4 + header.length + body.length, 0);
    frame.writeInt32BE(header.length, 4);
    header.copy(frame, 8);
    body.copy(frame, 8 + header.length);
    return frame;
  });
  const [host, port] = [
    pair.brokerAddr.slice(0, pair.brokerAddr.lastIndexOf(':')),
    pair.brokerAddr.split(':').pop(),
  ];
  const sock = connect(Number(port), host);
  sock.setNoDelay(true);
  await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));

  const total = warmup + sends;
  const sentAt = new Float64Array(total);
  const lat = new Float64Array(sends);
  let sent = 0;
  let got = 0;
  let failed = 0;
  let pending: Buffer = Buffer.alloc(0);
  let cpu0 = 0;
  let t0 = 0n;
  const cpuUs = (): number => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const sendOne = (): void => {
    if (sent >= total) return;
    sentAt[sent] = performance.now();
    sock.write(frames[sent++ % frames.length]!);
  };
  const finished = new Promise<void>((resolve, reject) => {
    sock.on('error', reject);
    sock.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let off = 0;
      while (pending.length - off >= 8) {
        const len = pending.readInt32BE(off);
        if (pending.length - off < 4 + len) break;
        // Replies come back in order on one connection: reply n answers send n.
        const headerLen = pending.readInt32BE(off + 4) & 0xffffff;
        if (!pending.toString('latin1', off + 8, off + 8 + headerLen).startsWith('{"code":0,')) failed++;
        if (got >= warmup) lat[got - warmup] = performance.now() - sentAt[got]!;
        off += 4 + len;
        got++;
        if (got === warmup) {
          cpu0 = cpuUs();
          t0 = process.hrtime.bigint();
        }
        if (got === total) resolve();
        sendOne();
      }
      pending = pending.subarray(off);
    });
  });
  for (let i = 0; i < inflight; i++) sendOne();
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuUs() - cpu0;
  sock.destroy();
  lat.sort();
  const pct = (p: number): string => lat[Math.min(sends - 1, Math.floor(sends * p))]!.toFixed(2);
  console.log(
    `send path, in process: ${sends} sends of ${size} B, ${inflight} in flight: ` +
      `${Math.round(sends / secs).toLocaleString('en-US')} msg/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, ` +
      `CPU ${(cpu / sends).toFixed(1)} µs/send (broker + raw client), failed ${failed}, ` +
      `header ${aliOns ? 'ali-ons' : 'mq'}, broker ${baseDist ?? 'this checkout'}, ` +
      `load ${loadavg()[0]!.toFixed(1)}`,
  );
} finally {
  await pair.stop();
  rmSync(dir, { recursive: true, force: true });
}
