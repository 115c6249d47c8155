import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import { type DataVersion, dataVersionEquals } from '../../protocol/bodies/data-version.js';
import { type ConsumerOffsetTable, decodeConsumerOffsetTable } from '../../protocol/bodies/offset-tables.js';
import type { SubscriptionGroupConfig } from '../../protocol/bodies/subscription-group-config.js';
import { decodeSubscriptionGroupWrapper } from '../../protocol/bodies/subscription-group-config.js';
import type { TopicConfig } from '../../protocol/bodies/topic-config.js';
import { decodeTopicConfigWrapper } from '../../protocol/bodies/topic-config.js';
import { createRequest, type RemotingCommand } from '../../protocol/remoting-command.js';
import { RequestCode } from '../../protocol/request-code.js';
import { ResponseCode } from '../../protocol/response-code.js';
import { writeConfigAtomically } from '../config-file.js';

/** The broker state a slave mirrors from its master (the managers satisfy this structurally). */
export interface SlaveSyncTarget {
  topicConfigManager: { table: Map<string, TopicConfig>; dataVersion: DataVersion; persist(): void };
  consumerOffsetManager: {
    table: ConsumerOffsetTable;
    persist(): void;
    /** Offsets clients committed to this slave since the last call (while the master was gone). */
    takeHandBack(): ConsumerOffsetTable;
    /** Puts back what could not be handed back (newer commits made meanwhile win). */
    restoreHandBack(commits: ConsumerOffsetTable): void;
  };
  subscriptionGroupManager: {
    table: Map<string, SubscriptionGroupConfig>;
    dataVersion: DataVersion;
    persist(): void;
  };
  /** Where `config/delayOffset.json` lives. */
  storePathRootDir: string;
  /** This broker's own address: never sync from ourselves. */
  brokerAddr: string;
}

/** The remoting call the synchronizer needs (RemotingClient.invoke). */
export interface SlaveSyncInvoker {
  invoke(addr: string, cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand>;
}

export type SyncPart = 'topicConfig' | 'consumerOffset' | 'delayOffset' | 'subscriptionGroup';

export interface SyncAllResult {
  /** Parts copied this round (topic/subscription tables only when their DataVersion changed). */
  updated: SyncPart[];
  /** Parts whose call failed, with the reason. */
  failed: { part: SyncPart; error: string }[];
}

/** Java's schedule: first sync 3 s after start, then every 10 s. */
export const SLAVE_SYNC_INITIAL_DELAY_MS = 3000;
export const SLAVE_SYNC_INTERVAL_MS = 10_000;

/**
 * A slave's metadata copy (Java SlaveSynchronize): topic configs, consumer offsets, delay offsets and
 * subscription groups fetched from `masterAddr` over normal remoting, so that consumers failing over to
 * this slave resume at the master's committed offsets and a promoted slave knows every topic.
 */
export class SlaveSynchronize {
  masterAddr: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SyncAllResult> | undefined;
  lastSyncTimestamp = 0;

  constructor(
    private readonly invoker: SlaveSyncInvoker,
    private readonly target: SlaveSyncTarget,
    private readonly log: Logger,
    private readonly timeoutMs = 3000,
  ) {}

  /** Starts the periodic sync (first after `initialDelayMs`, then every `intervalMs`). */
  start(intervalMs = SLAVE_SYNC_INTERVAL_MS, initialDelayMs = SLAVE_SYNC_INITIAL_DELAY_MS): void {
    this.stop();
    const run = () => {
      void this.syncAll().catch((err) => this.log.error({ err }, 'slave sync failed'));
    };
    this.timer = setTimeout(() => {
      run();
      this.timer = setInterval(run, intervalMs);
      this.timer.unref();
    }, initialDelayMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One round of all four copies; overlapping calls share the round in flight. */
  syncAll(): Promise<SyncAllResult> {
    if (!this.running) {
      this.running = this.doSyncAll().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async doSyncAll(): Promise<SyncAllResult> {
    const result: SyncAllResult = { updated: [], failed: [] };
    const master = this.masterAddr;
    if (!master || master === this.target.brokerAddr) return result;
    const steps: [SyncPart, () => Promise<boolean>][] = [
      ['topicConfig', () => this.syncTopicConfig(master)],
      ['consumerOffset', () => this.syncConsumerOffset(master)],
      ['delayOffset', () => this.syncDelayOffset(master)],
      ['subscriptionGroup', () => this.syncSubscriptionGroupConfig(master)],
    ];
    for (const [part, step] of steps) {
      try {
        if (await step()) result.updated.push(part);
      } catch (err) {
        const error = (err as Error).message;
        result.failed.push({ part, error });
        this.log.warn({ master, part, error }, 'slave sync step failed');
      }
    }
    this.lastSyncTimestamp = Date.now();
    return result;
  }

  private async call(master: string, code: number): Promise<Buffer> {
    const resp = await this.invoker.invoke(master, createRequest(code), this.timeoutMs);
    if (resp.code !== ResponseCode.SUCCESS) {
      throw new Error(`request ${code} to ${master} answered ${resp.code}: ${resp.remark ?? ''}`);
    }
    if (!resp.body || resp.body.length === 0) throw new Error(`request ${code} to ${master}: empty body`);
    return resp.body;
  }

  private async syncTopicConfig(master: string): Promise<boolean> {
    const w = decodeTopicConfigWrapper(await this.call(master, RequestCode.GET_ALL_TOPIC_CONFIG));
    const tcm = this.target.topicConfigManager;
    if (dataVersionEquals(tcm.dataVersion, w.dataVersion)) return false;
    tcm.dataVersion = { ...w.dataVersion };
    tcm.table.clear();
    for (const [name, tc] of Object.entries(w.topicConfigTable)) tcm.table.set(name, tc);
    tcm.persist();
    this.log.info({ master, topics: tcm.table.size }, 'slave topic config updated from master');
    return true;
  }

  private async syncConsumerOffset(master: string): Promise<boolean> {
    const table = decodeConsumerOffsetTable(await this.call(master, RequestCode.GET_ALL_CONSUMER_OFFSET));
    const com = this.target.consumerOffsetManager;
    const commits = com.takeHandBack();
    try {
      await this.handBackOffsets(master, table, commits);
    } catch (err) {
      com.restoreHandBack(commits); // the rest goes next round; the slave's table stays as it is
      throw err;
    }
    // Java putAll: the master's entries win, entries only the slave has stay.
    for (const [key, queues] of table) com.table.set(key, queues);
    com.persist();
    return true;
  }

  /**
   * Offsets consumers committed to this slave while the master was gone go back to the master once it
   * answers again, where they are ahead of the master's (Java's putAll alone would overwrite them with
   * the master's older ones, and a group that stopped meanwhile would get those messages again). The
   * master's `table` is updated with what it took; each handed entry leaves `commits`.
   */
  private async handBackOffsets(
    master: string,
    table: ConsumerOffsetTable,
    commits: ConsumerOffsetTable,
  ): Promise<void> {
    let handed = 0;
    for (const [key, queues] of commits) {
      const at = key.lastIndexOf('@');
      const [topic, group] = [key.slice(0, at), key.slice(at + 1)];
      for (const [queueId, offset] of queues) {
        if (offset > (table.get(key)?.get(queueId) ?? -1)) {
          const req = createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, {
            consumerGroup: group,
            topic,
            queueId,
            commitOffset: offset,
          });
          const resp = await this.invoker.invoke(master, req, this.timeoutMs);
          if (resp.code !== ResponseCode.SUCCESS)
            throw new Error(
              `offset hand-back of ${key}:${queueId} answered ${resp.code}: ${resp.remark ?? ''}`,
            );
          let m = table.get(key);
          if (!m) {
            m = new Map();
            table.set(key, m);
          }
          m.set(queueId, offset);
          handed++;
        }
        queues.delete(queueId);
      }
    }
    if (handed > 0)
      this.log.info({ master, queues: handed }, 'offsets committed to this slave handed back to the master');
  }

  private async syncDelayOffset(master: string): Promise<boolean> {
    const body = await this.call(master, RequestCode.GET_ALL_DELAY_OFFSET);
    writeConfigAtomically(
      join(this.target.storePathRootDir, 'config', 'delayOffset.json'),
      body.toString('utf8'),
    );
    return true;
  }

  private async syncSubscriptionGroupConfig(master: string): Promise<boolean> {
    const w = decodeSubscriptionGroupWrapper(
      await this.call(master, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG),
    );
    const sgm = this.target.subscriptionGroupManager;
    if (dataVersionEquals(sgm.dataVersion, w.dataVersion)) return false;
    sgm.dataVersion = { ...w.dataVersion };
    sgm.table.clear();
    for (const [name, c] of Object.entries(w.subscriptionGroupTable)) sgm.table.set(name, c);
    sgm.persist();
    this.log.info({ master, groups: sgm.table.size }, 'slave subscription groups updated from master');
    return true;
  }
}
