import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import { decodeDelayOffsetTable, encodeDelayOffsetTable } from '../../protocol/bodies/offset-tables.js';
import { decodeRecord, MessageConst, SCHEDULE_TOPIC } from '../../protocol/message/index.js';
import type { MessageExtBrokerInner, PutMessageResult } from '../../store/types.js';
import type { BrokerStore } from '../broker-store.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { ConfigFile } from '../config-file.js';
import { parseDelayLevelTable } from '../delay-levels.js';
import { reputRecord } from '../reput-record.js';

/** How often a level with nothing due is looked at again (Java: 100 ms). */
const IDLE_CHECK_MS = 100;
const BATCH = 32;

/**
 * Delayed delivery (ScheduleMessageService): messages with a DELAY level are parked in SCHEDULE_TOPIC_XXXX
 * queue level−1; one loop per level re-puts each message to its REAL_TOPIC/REAL_QID once due, and keeps
 * its progress (level → queue offset) in `config/delayOffset.json`.
 */
export class ScheduleMessageService extends ConfigFile {
  readonly levels: number[];
  offsetTable = new Map<number, number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private running = false;
  private persistTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: BrokerConfig,
    log: Logger,
    private readonly store: () => BrokerStore,
    private readonly put: (msg: MessageExtBrokerInner) => Promise<PutMessageResult>,
  ) {
    super(log);
    this.levels = parseDelayLevelTable(config.messageDelayLevel);
  }

  get maxLevel(): number {
    return this.levels.length - 1;
  }

  configFilePath(): string {
    return join(this.config.storePathRootDir, 'config', 'delayOffset.json');
  }

  encode(): string {
    return encodeDelayOffsetTable(this.offsetTable).toString('utf8');
  }

  decode(text: string): void {
    this.offsetTable = decodeDelayOffsetTable(text);
  }

  /** Rewrites a message with DELAY > 0 to the schedule topic (CommitLog.asyncPutMessage's delay branch). */
  applyDelay(msg: MessageExtBrokerInner, props: Record<string, string>): void {
    const raw = props[MessageConst.DELAY_TIME_LEVEL];
    if (raw === undefined) return;
    let level = Number(raw);
    if (!Number.isInteger(level) || level <= 0) return;
    if (level > this.maxLevel) {
      level = this.maxLevel;
      props[MessageConst.DELAY_TIME_LEVEL] = String(level);
    }
    props[MessageConst.REAL_TOPIC] = msg.topic;
    props[MessageConst.REAL_QUEUE_ID] = String(msg.queueId);
    msg.topic = SCHEDULE_TOPIC;
    msg.queueId = level - 1;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let level = 1; level <= this.maxLevel; level++) this.schedule(level, 1000);
    this.persistTimer = setInterval(() => this.persist(), this.config.flushDelayOffsetInterval);
    this.persistTimer.unref();
  }

  shutdown(): void {
    this.running = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.persistTimer) clearInterval(this.persistTimer);
    this.persist();
  }

  private schedule(level: number, delayMs: number): void {
    if (!this.running) return;
    const t = setTimeout(() => {
      this.deliver(level).then(
        (next) => this.schedule(level, next),
        (e) => {
          this.log.error({ level, err: (e as Error).message }, 'schedule delivery failed');
          this.schedule(level, 1000);
        },
      );
    }, delayMs);
    t.unref();
    this.timers.set(level, t);
  }

  /** Delivers what is due on one level; returns ms until it should look again. */
  private async deliver(level: number): Promise<number> {
    const store = this.store();
    const queueId = level - 1;
    const delay = this.levels[level]!;
    let offset = this.offsetTable.get(level) ?? 0;
    for (;;) {
      if (!this.running) return IDLE_CHECK_MS;
      const r = await store.getMessage(SCHEDULE_TOPIC, queueId, offset, BATCH);
      if (r.damaged) {
        // A record damaged on disk (the store logged it): lost, and it must not stall the level.
        offset = r.nextBeginOffset;
        this.offsetTable.set(level, offset);
        continue;
      }
      if (r.status !== 'FOUND') {
        if (r.status === 'OFFSET_TOO_SMALL' || r.status === 'OFFSET_OVERFLOW_BADLY') {
          offset = r.nextBeginOffset;
          this.offsetTable.set(level, offset);
        }
        return IDLE_CHECK_MS;
      }
      for (let i = 0; i < r.buffers.length; i++) {
        const rec = decodeRecord(r.buffers[i]!);
        const due = rec.storeTimestamp + delay;
        const now = Date.now();
        if (due > now) {
          this.offsetTable.set(level, offset);
          return Math.min(Math.max(due - now, 1), IDLE_CHECK_MS * 10);
        }
        const props = { ...rec.properties };
        const topic = props[MessageConst.REAL_TOPIC];
        const realQid = Number(props[MessageConst.REAL_QUEUE_ID]);
        delete props[MessageConst.DELAY_TIME_LEVEL];
        if (topic) {
          const res = await this.put(
            reputRecord(rec, {
              topic,
              queueId: Number.isInteger(realQid) ? realQid : 0,
              properties: props,
              reconsumeTimes: rec.reconsumeTimes,
              preparedTransactionOffset: rec.preparedTransactionOffset,
            }),
          );
          if (
            res.status !== 'PUT_OK' &&
            res.status !== 'FLUSH_DISK_TIMEOUT' &&
            res.status !== 'FLUSH_SLAVE_TIMEOUT' &&
            res.status !== 'SLAVE_NOT_AVAILABLE'
          ) {
            this.log.warn({ level, offset, status: res.status }, 'delayed message re-put failed, retrying');
            this.offsetTable.set(level, offset);
            return 1000;
          }
        } else {
          this.log.warn({ level, offset }, 'delayed message without REAL_TOPIC skipped');
        }
        offset = (r.queueOffsets[i] ?? offset) + 1;
        this.offsetTable.set(level, offset);
      }
      if (r.nextBeginOffset > offset) {
        offset = r.nextBeginOffset;
        this.offsetTable.set(level, offset);
      }
    }
  }
}
