// Two real MessageStores in temp dirs wired by the HA service/client over loopback (no broker).
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { destination, pino } from 'pino';
import { HAClient } from '../../src/engine/broker/ha/ha-client.js';
import { HAService } from '../../src/engine/broker/ha/ha-service.js';
import { MessageStore } from '../../src/engine/store/index.js';
import type { MessageStoreConfig } from '../../src/engine/store/message-store-config.js';
import type { MessageExtBrokerInner } from '../../src/engine/store/types.js';

/** Silent unless HA_TEST_LOG=<level> (then JSON lines on stderr). */
export const quietLog = pino({ level: process.env.HA_TEST_LOG ?? 'silent' }, destination(2));

export function storeConfig(
  root: string,
  over: Partial<MessageStoreConfig> = {},
): Partial<MessageStoreConfig> {
  return {
    storePathRootDir: root,
    mappedFileSizeCommitLog: 128 * 1024,
    mappedFileSizeConsumeQueue: 20 * 1000,
    maxHashSlotNum: 1000,
    maxIndexNum: 4000,
    maxMessageSize: 32 * 1024,
    flushIntervalCommitLog: 50,
    flushIntervalConsumeQueue: 50,
    cleanResourceInterval: 3600_000,
    haListenPort: 0,
    haSendHeartbeatInterval: 1000,
    haHousekeepingInterval: 5000,
    haTransferBatchSize: 32 * 1024,
    ...over,
  };
}

export async function openStore(root: string, over: Partial<MessageStoreConfig> = {}): Promise<MessageStore> {
  const s = new MessageStore(storeConfig(root, over), { diskUsage: () => 0.1 });
  await s.start();
  return s;
}

export function message(topic: string, queueId: number, body: Buffer, keys?: string): MessageExtBrokerInner {
  return {
    topic,
    queueId,
    flag: 0,
    body,
    properties: keys ? { KEYS: keys, TAGS: 'T' } : { TAGS: 'T' },
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: { ip: Buffer.from([10, 0, 0, 2]), port: 50000 },
    storeHost: { ip: Buffer.from([127, 0, 0, 1]), port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

/** Deterministic body so content can be checked without keeping it. */
export function bodyFor(i: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let k = 0; k < len; k++) b[k] = (i * 31 + k * 7) & 0xff;
  return b;
}

/** Puts `count` messages round-robin over `topics` × `queues`; returns the end offset of the last one. */
export async function putMany(
  store: MessageStore,
  count: number,
  opts: { topics?: string[]; queues?: number; size?: number; from?: number } = {},
): Promise<number> {
  const topics = opts.topics ?? ['HA_T1', 'HA_T2'];
  const queues = opts.queues ?? 4;
  const from = opts.from ?? 0;
  const puts = [];
  for (let i = from; i < from + count; i++) {
    const size = opts.size ?? 100 + ((i * 37) % 900);
    puts.push(store.putMessage(message(topics[i % topics.length]!, i % queues, bodyFor(i, size), `k${i}`)));
  }
  const results = await Promise.all(puts);
  let end = 0;
  for (const r of results) {
    if (r.status !== 'PUT_OK') throw new Error(`put failed: ${r.status} ${r.remark ?? ''}`);
    end = Math.max(end, r.appendResult!.wroteOffset + r.appendResult!.wroteBytes);
  }
  return end;
}

/** Concatenated bytes of every commit-log file up to `end` (what a byte-for-byte comparison needs). */
export function commitLogBytes(root: string, end: number): Buffer {
  const dir = join(root, 'commitlog');
  const names = readdirSync(dir)
    .filter((n) => /^\d{20}$/.test(n))
    .sort();
  const all = Buffer.concat(names.map((n) => readFileSync(join(dir, n))));
  const start = names.length ? Number(names[0]) : 0;
  return all.subarray(0, end - start);
}

export async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Pair {
  master: MessageStore;
  slave: MessageStore;
  service: HAService;
  client: HAClient;
  port: number;
}

export async function startMaster(root: string, over: Partial<MessageStoreConfig> = {}) {
  const master = await openStore(root, { brokerRole: 'SYNC_MASTER', ...over });
  const service = new HAService(master, master.config, quietLog);
  const port = await service.start('127.0.0.1');
  return { master, service, port };
}

export async function startSlave(root: string, masterHa: string, over: Partial<MessageStoreConfig> = {}) {
  const slave = await openStore(root, { brokerRole: 'SLAVE', ...over });
  const client = new HAClient(slave, slave.config, quietLog);
  client.updateMasterAddress(masterHa);
  client.start();
  return { slave, client };
}

/**
 * A TCP relay between slave and master whose live connections can be cut at will (a link failure with
 * data in flight); new connections keep being accepted unless `blocked`.
 */
export class CuttableLink {
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  blocked = false;
  port = 0;
  relayedBytes = 0;

  /** `bytesPerSecond` throttles master → slave traffic (0 = unthrottled). */
  constructor(
    private readonly targetPort: number,
    private readonly bytesPerSecond = 0,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((inbound) => {
      if (this.blocked) {
        inbound.destroy();
        return;
      }
      const outbound = connect({ host: '127.0.0.1', port: this.targetPort });
      const pair: [Socket, Socket] = [inbound, outbound];
      this.pairs.add(pair);
      let windowStart = Date.now();
      let windowBytes = 0;
      outbound.on('data', (d: Buffer) => {
        this.relayedBytes += d.length;
        inbound.write(d);
        if (!this.bytesPerSecond) return;
        windowBytes += d.length;
        const now = Date.now();
        if (now - windowStart >= 100) {
          windowStart = now;
          windowBytes = 0;
        } else if (windowBytes >= this.bytesPerSecond / 10) {
          outbound.pause();
          setTimeout(() => outbound.resume(), 100 - (now - windowStart));
        }
      });
      inbound.pipe(outbound);
      const drop = () => {
        inbound.destroy();
        outbound.destroy();
        this.pairs.delete(pair);
      };
      inbound.on('error', drop).on('close', drop);
      outbound.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    return this.port;
  }

  /** Destroys every live connection (both directions, mid-chunk if data is flowing). */
  cut(): number {
    const n = this.pairs.size;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
    return n;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
