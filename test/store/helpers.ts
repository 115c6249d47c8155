import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { MessageStore, type MessageStoreOptions } from '../../src/engine/store/index.js';
import type { MessageStoreConfig } from '../../src/engine/store/message-store-config.js';
import type { MessageExtBrokerInner } from '../../src/engine/store/types.js';

export function tempDir(prefix = 'mq-store-'): string {
  return fs.mkdtempSync(join(os.tmpdir(), prefix));
}

/** Small files so tests roll and stay tiny. */
export function smallConfig(
  root: string,
  over: Partial<MessageStoreConfig> = {},
): Partial<MessageStoreConfig> {
  return {
    storePathRootDir: root,
    mappedFileSizeCommitLog: 64 * 1024,
    mappedFileSizeConsumeQueue: 20 * 100,
    maxHashSlotNum: 1000,
    maxIndexNum: 4000,
    maxMessageSize: 16 * 1024,
    flushIntervalCommitLog: 50,
    flushIntervalConsumeQueue: 50,
    cleanResourceInterval: 3600_000,
    ...over,
  };
}

export async function openStore(
  root: string,
  over: Partial<MessageStoreConfig> = {},
  opts: MessageStoreOptions = {},
): Promise<MessageStore> {
  const s = new MessageStore(smallConfig(root, over), { diskUsage: () => 0.1, ...opts });
  await s.start();
  return s;
}

export const HOST = { ip: Buffer.from([127, 0, 0, 1]), port: 10911 };

export function msg(
  topic: string,
  queueId: number,
  body: string | Buffer,
  props: Record<string, string> = {},
): MessageExtBrokerInner {
  return {
    topic,
    queueId,
    flag: 0,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    properties: props,
    sysFlag: 0,
    bornTimestamp: 1700000000000,
    bornHost: { ip: Buffer.from([10, 0, 0, 2]), port: 50000 },
    storeHost: HOST,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

/** Deterministic body for a key, so a reader can verify content without keeping it. */
export function crashBody(key: string, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = key.charCodeAt(i % key.length) ^ (i & 0xff);
  return b;
}
