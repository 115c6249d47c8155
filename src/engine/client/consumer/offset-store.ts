import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { FastjsonMap, parseFastjson, parseObjectKey, toFastjson } from '../../protocol/fastjson.js';
import { type MessageQueue, mqKey, plainMq } from '../message-queue.js';

/** Where a read looks (ReadOffsetType). */
export type ReadOffsetType = 'memory' | 'store' | 'memoryThenStore';

/** Consumer progress per queue (OffsetStore.java). Offsets are "next offset to consume". */
export interface OffsetStore {
  load(): Promise<void>;
  update(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  /** -1 when unknown; throws only for transport errors on a store read. */
  read(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** Persist the offsets of these queues (the ones currently assigned). */
  persistAll(mqs: readonly MessageQueue[]): Promise<void>;
  remove(mq: MessageQueue): void;
  /** Offsets of one topic's queues, for running-info and reset replies. */
  table(topic?: string): Map<string, { mq: MessageQueue; offset: number }>;
}

/** The broker calls a remote store needs (implemented by the client API). */
export interface OffsetBrokerCalls {
  /** Committed offset, or -1 when the broker has none (QUERY_NOT_FOUND). */
  queryConsumerOffset(group: string, mq: MessageQueue): Promise<number>;
  updateConsumerOffsetOneway(group: string, mq: MessageQueue, offset: number): Promise<void>;
}

abstract class MemoryOffsets {
  protected readonly offsets = new Map<string, { mq: MessageQueue; offset: number }>();

  update(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const k = mqKey(mq);
    const cur = this.offsets.get(k);
    if (!cur) this.offsets.set(k, { mq: plainMq(mq), offset });
    else if (!increaseOnly || offset > cur.offset) cur.offset = offset;
  }

  remove(mq: MessageQueue): void {
    this.offsets.delete(mqKey(mq));
  }

  table(topic?: string): Map<string, { mq: MessageQueue; offset: number }> {
    const out = new Map<string, { mq: MessageQueue; offset: number }>();
    for (const [k, v] of this.offsets) if (!topic || v.mq.topic === topic) out.set(k, { ...v });
    return out;
  }
}

/** CLUSTERING: offsets live on the broker (RemoteBrokerOffsetStore). */
export class RemoteOffsetStore extends MemoryOffsets implements OffsetStore {
  constructor(
    private readonly group: string,
    private readonly calls: OffsetBrokerCalls,
  ) {
    super();
  }

  async load(): Promise<void> {}

  async read(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== 'store') {
      const cur = this.offsets.get(mqKey(mq));
      if (cur) return cur.offset;
      if (type === 'memory') return -1;
    }
    const off = await this.calls.queryConsumerOffset(this.group, mq);
    if (off >= 0) this.update(mq, off, false);
    return off;
  }

  async persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    const wanted = new Set(mqs.map(mqKey));
    const jobs: Promise<void>[] = [];
    for (const [k, v] of this.offsets) {
      if (wanted.has(k))
        jobs.push(this.calls.updateConsumerOffsetOneway(this.group, v.mq, v.offset).catch(() => {}));
    }
    await Promise.all(jobs);
  }
}

/** Java's default directory for BROADCASTING offsets (`rocketmq.client.localOffsetStoreDir`). */
export function defaultLocalOffsetDir(): string {
  return process.env.ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR || join(homedir(), '.rocketmq_offsets');
}

/**
 * BROADCASTING: offsets in `<dir>/<clientId>/<group>/offsets.json` (LocalFileOffsetStore), in Java's
 * OffsetSerializeWrapper form `{"offsetTable":{{"brokerName":…,"queueId":…,"topic":…}:offset}}` so the
 * file is interchangeable with a Java consumer's. Written to a temp file then renamed (no torn files);
 * the previous version is kept as offsets.json.bak like Java.
 */
export class LocalFileOffsetStore extends MemoryOffsets implements OffsetStore {
  readonly path: string;

  constructor(clientId: string, group: string, dir = defaultLocalOffsetDir()) {
    super();
    this.path = join(dir, clientId, group, 'offsets.json');
  }

  async load(): Promise<void> {
    for (const file of [this.path, `${this.path}.bak`]) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      try {
        const doc = parseFastjson(text, { bigint: false }) as { offsetTable?: Record<string, number> };
        for (const [k, off] of Object.entries(doc.offsetTable ?? {})) {
          const o = parseObjectKey(k) as { topic: string; brokerName: string; queueId: number };
          this.update(
            { topic: o.topic, brokerName: o.brokerName, queueId: Number(o.queueId) },
            Number(off),
            false,
          );
        }
        return;
      } catch (e) {
        throw new Error(`cannot read consumer offsets ${file}: ${(e as Error).message}`);
      }
    }
  }

  async read(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    const cur = this.offsets.get(mqKey(mq));
    if (cur) return cur.offset;
    if (type === 'memory') return -1;
    return -1;
  }

  async persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    if (mqs.length === 0 && this.offsets.size === 0) return;
    const wanted = new Set(mqs.map(mqKey));
    const entries: Array<[object, unknown]> = [];
    for (const [k, v] of this.offsets) if (wanted.has(k)) entries.push([plainMq(v.mq), v.offset]);
    const text = toFastjson({ offsetTable: new FastjsonMap(entries) });
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, text);
    try {
      renameSync(this.path, `${this.path}.bak`);
    } catch {
      // first write: nothing to back up
    }
    renameSync(tmp, this.path);
  }
}
