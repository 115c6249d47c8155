import { PushConsumer } from '../consumer/push-consumer.js';
import { Producer } from '../producer/producer.js';

/** One reporting interval (or the whole run) of a producer benchmark. */
export interface SendSnapshot {
  elapsedMs: number;
  intervalMs: number;
  sendTps: number;
  avgRtMs: number;
  maxRtMs: number;
  sent: number;
  failed: number;
  totalSent: number;
  totalFailed: number;
}

export interface ProducerBenchOptions {
  namesrvAddr: string;
  /** Plain ACL credentials (both or neither). */
  accessKey?: string;
  secretKey?: string;
  topic: string;
  /** Sends in flight (Java tools.sh: threads). */
  inflight: number;
  bodySize: number;
  /** Stop after this many successful+failed sends… */
  count?: number;
  /** …or after this long. */
  durationMs?: number;
  keys?: boolean;
  tags?: string;
  /** Oneway sends (no RT; Java's -a async is callback-based, which every send here already is). */
  oneway?: boolean;
  reportIntervalMs?: number;
  onReport?: (s: SendSnapshot) => void;
  /** Checked between sends; return true to stop early (e.g. Ctrl-C). */
  stopped?: () => boolean;
}

class RtWindow {
  count = 0;
  failed = 0;
  rtSum = 0;
  rtMax = 0;
  add(rt: number): void {
    this.count++;
    this.rtSum += rt;
    if (rt > this.rtMax) this.rtMax = rt;
  }
}

/** tools.sh Producer: `inflight` concurrent send loops over one producer, with per-interval figures. */
export async function benchmarkProducer(o: ProducerBenchOptions): Promise<SendSnapshot> {
  const producer = new Producer({
    namesrvAddr: o.namesrvAddr,
    accessKey: o.accessKey,
    secretKey: o.secretKey,
    groupName: 'benchmark_producer',
    instanceName: `bench-${process.pid}`,
  });
  await producer.start();
  const body = Buffer.alloc(o.bodySize, 'a');
  const started = Date.now();
  const total = new RtWindow();
  let win = new RtWindow();
  let winStart = started;
  let issued = 0;
  const snap = (w: RtWindow, from: number): SendSnapshot => {
    const now = Date.now();
    const ms = Math.max(1, now - from);
    return {
      elapsedMs: now - started,
      intervalMs: ms,
      sendTps: Math.round((w.count * 1000) / ms),
      avgRtMs: w.count ? Math.round((w.rtSum / w.count) * 100) / 100 : 0,
      maxRtMs: w.rtMax,
      sent: w.count,
      failed: w.failed,
      totalSent: total.count,
      totalFailed: total.failed,
    };
  };
  const timer = setInterval(() => {
    o.onReport?.(snap(win, winStart));
    win = new RtWindow();
    winStart = Date.now();
  }, o.reportIntervalMs ?? 1000);
  const done = () =>
    (o.count !== undefined && issued >= o.count) ||
    (o.durationMs !== undefined && Date.now() - started >= o.durationMs) ||
    (o.stopped?.() ?? false);
  let seq = 0;
  const worker = async () => {
    while (!done()) {
      issued++;
      const n = seq++;
      const t0 = performance.now();
      try {
        const msg = { topic: o.topic, body, tags: o.tags, keys: o.keys ? `key_${n}` : undefined };
        if (o.oneway) await producer.sendOneway(msg);
        else await producer.send(msg);
        const rt = Math.round(performance.now() - t0);
        win.add(rt);
        total.add(rt);
      } catch {
        win.failed++;
        total.failed++;
      }
    }
  };
  try {
    // One send first, so the route (and an auto-created topic) exists before the flood.
    await producer.send({ topic: o.topic, body });
    await Promise.all(Array.from({ length: o.inflight }, worker));
  } finally {
    clearInterval(timer);
    await producer.shutdown();
  }
  return snap(total, started);
}

export interface ConsumeSnapshot {
  elapsedMs: number;
  consumeTps: number;
  /** Born → consumed and stored → consumed latency, ms. */
  avgB2cRtMs: number;
  avgS2cRtMs: number;
  maxB2cRtMs: number;
  maxS2cRtMs: number;
  received: number;
  totalReceived: number;
}

export interface ConsumerBenchOptions {
  /** Plain ACL credentials (both or neither). */
  accessKey?: string;
  secretKey?: string;
  namesrvAddr: string;
  topic: string;
  group: string;
  tags?: string;
  count?: number;
  durationMs?: number;
  fromFirst?: boolean;
  reportIntervalMs?: number;
  onReport?: (s: ConsumeSnapshot) => void;
  stopped?: () => boolean;
}

/** tools.sh Consumer: a push consumer counting messages and born/store-to-consume latency. */
export async function benchmarkConsumer(o: ConsumerBenchOptions): Promise<ConsumeSnapshot> {
  const started = Date.now();
  const mk = () => ({ n: 0, b2c: 0, s2c: 0, b2cMax: 0, s2cMax: 0 });
  const total = mk();
  let win = mk();
  let winStart = started;
  const snap = (w: ReturnType<typeof mk>, from: number): ConsumeSnapshot => {
    const ms = Math.max(1, Date.now() - from);
    const avg = (x: number) => (w.n ? Math.round((x / w.n) * 100) / 100 : 0);
    return {
      elapsedMs: Date.now() - started,
      consumeTps: Math.round((w.n * 1000) / ms),
      avgB2cRtMs: avg(w.b2c),
      avgS2cRtMs: avg(w.s2c),
      maxB2cRtMs: w.b2cMax,
      maxS2cRtMs: w.s2cMax,
      received: w.n,
      totalReceived: total.n,
    };
  };
  let finish!: () => void;
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const consumer = new PushConsumer({
    namesrvAddr: o.namesrvAddr,
    accessKey: o.accessKey,
    secretKey: o.secretKey,
    groupName: o.group,
    instanceName: `bench-c-${process.pid}`,
    consumeFromWhere: o.fromFirst ? 'CONSUME_FROM_FIRST_OFFSET' : 'CONSUME_FROM_LAST_OFFSET',
    consumeMessageBatchMaxSize: 32,
  });
  consumer.subscribe(o.topic, o.tags ?? '*');
  consumer.registerMessageListener((msgs) => {
    const now = Date.now();
    for (const m of msgs) {
      const b2c = now - m.bornTimestamp;
      const s2c = now - m.storeTimestamp;
      for (const w of [win, total]) {
        w.n++;
        w.b2c += b2c;
        w.s2c += s2c;
        if (b2c > w.b2cMax) w.b2cMax = b2c;
        if (s2c > w.s2cMax) w.s2cMax = s2c;
      }
    }
    if (o.count !== undefined && total.n >= o.count) finish();
  });
  const timer = setInterval(() => {
    o.onReport?.(snap(win, winStart));
    win = mk();
    winStart = Date.now();
    if ((o.durationMs !== undefined && Date.now() - started >= o.durationMs) || o.stopped?.()) finish();
  }, o.reportIntervalMs ?? 1000);
  try {
    await consumer.start();
    await finished;
  } finally {
    clearInterval(timer);
    await consumer.shutdown();
  }
  return snap(total, started);
}
