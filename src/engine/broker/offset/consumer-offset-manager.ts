import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import {
  type ConsumerOffsetTable,
  decodeConsumerOffsetTable,
  encodeConsumerOffsetTable,
} from '../../protocol/bodies/offset-tables.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { ConfigFile } from '../config-file.js';

const TOPIC_GROUP_SEPARATOR = '@';

/**
 * Committed consumer offsets (ConsumerOffsetManager): `topic@group` → queueId → offset, in memory and
 * persisted to `config/consumerOffset.json` every flushConsumerOffsetInterval and at shutdown.
 */
export class ConsumerOffsetManager extends ConfigFile {
  table: ConsumerOffsetTable = new Map();
  private dirty = false;
  /**
   * On a slave: offsets clients committed here (while their master was gone), to hand back to the master
   * when it returns; null on a master.
   */
  private handBack: ConsumerOffsetTable | null = null;

  constructor(
    private readonly config: BrokerConfig,
    log: Logger,
  ) {
    super(log);
  }

  configFilePath(): string {
    return join(this.config.storePathRootDir, 'config', 'consumerOffset.json');
  }

  encode(): string {
    return encodeConsumerOffsetTable(this.table).toString('utf8');
  }

  decode(text: string): void {
    this.table = decodeConsumerOffsetTable(text);
  }

  /** Persist only if something changed since the last write (the periodic flush). */
  persistIfDirty(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.persist();
  }

  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): void {
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    let m = this.table.get(key);
    if (!m) {
      m = new Map();
      this.table.set(key, m);
    }
    const prev = m.get(queueId);
    if (prev !== undefined && offset < prev) {
      this.log.debug({ clientHost, key, queueId, offset, prev }, 'offset moved backwards');
    }
    m.set(queueId, offset);
    this.dirty = true;
    if (this.handBack) {
      let h = this.handBack.get(key);
      if (!h) {
        h = new Map();
        this.handBack.set(key, h);
      }
      h.set(queueId, offset);
    }
  }

  /** A slave keeps the offsets committed to it for its master (see SlaveSynchronize). */
  trackHandBack(): void {
    this.handBack ??= new Map();
  }

  restoreHandBack(commits: ConsumerOffsetTable): void {
    if (!this.handBack) return;
    for (const [key, queues] of commits) {
      let h = this.handBack.get(key);
      if (!h) {
        h = new Map();
        this.handBack.set(key, h);
      }
      for (const [queueId, offset] of queues) if (!h.has(queueId)) h.set(queueId, offset);
    }
  }

  /** Takes (and clears) the offsets committed here since the last take. */
  takeHandBack(): ConsumerOffsetTable {
    const out = this.handBack ?? new Map();
    if (this.handBack) this.handBack = new Map();
    return out;
  }

  /** -1 when nothing is committed. */
  queryOffset(group: string, topic: string, queueId: number): number {
    return this.table.get(topic + TOPIC_GROUP_SEPARATOR + group)?.get(queueId) ?? -1;
  }

  queryQueues(group: string, topic: string): Map<number, number> | undefined {
    return this.table.get(topic + TOPIC_GROUP_SEPARATOR + group);
  }

  /**
   * Topics this group has offsets for. A scan of every key, as Java's; endsWith before any slice keeps it
   * allocation-free on the keys of other groups (100,000 keys: ~4 ms instead of ~20 ms).
   */
  whichTopicByConsumer(group: string): Set<string> {
    const out = new Set<string>();
    const suffix = TOPIC_GROUP_SEPARATOR + group;
    for (const key of this.table.keys()) {
      if (!key.endsWith(suffix)) continue;
      const i = key.lastIndexOf(TOPIC_GROUP_SEPARATOR);
      if (i === key.length - suffix.length) out.add(key.slice(0, i));
    }
    return out;
  }

  /** Groups with offsets on this topic. */
  whichGroupByTopic(topic: string): Set<string> {
    const out = new Set<string>();
    const prefix = topic + TOPIC_GROUP_SEPARATOR;
    for (const key of this.table.keys()) {
      if (!key.startsWith(prefix)) continue;
      const i = key.lastIndexOf(TOPIC_GROUP_SEPARATOR);
      if (i === topic.length) out.add(key.slice(i + 1));
    }
    return out;
  }

  removeGroup(group: string): void {
    for (const key of [...this.table.keys()]) {
      if (key.slice(key.lastIndexOf(TOPIC_GROUP_SEPARATOR) + 1) === group) this.table.delete(key);
    }
    this.dirty = true;
  }

  removeTopic(topic: string): void {
    for (const key of [...this.table.keys()]) {
      if (key.slice(0, key.lastIndexOf(TOPIC_GROUP_SEPARATOR)) === topic) this.table.delete(key);
    }
    this.dirty = true;
  }
}
