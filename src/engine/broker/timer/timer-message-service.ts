import type { Logger } from '../../common/logger.js';
import { decodeRecord, MessageConst } from '../../protocol/message/index.js';
import { TimerStore } from '../../store/timer/timer-store.js';
import type { MessageExtBrokerInner, PutMessageResult } from '../../store/types.js';
import type { BrokerStore } from '../broker-store.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { reputRecord } from '../reput-record.js';
import { TIMER_TOPIC } from './timer-send.js';

/** Timer-topic messages read per enqueue pass before the wheel is committed. */
const ENQUEUE_BATCH = 4096;
/** Re-puts in flight at once while a slot fires. */
const PUT_CHUNK = 64;
/** Slots a catch-up may step over (empty) before it commits and lets enqueue run. */
const CATCH_UP_SLOTS = 10_000;

const SYNC_INTERVAL_MS = 1000;
const COMMIT_INTERVAL_MS = 100;

const STORED = new Set(['PUT_OK', 'FLUSH_DISK_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'SLAVE_NOT_AVAILABLE']);

/**
 * RocketMQ 5's timer messages on the broker (TimerMessageStore's enqueue and dequeue services): one loop
 * files every new message of `rmq_sys_wheel_timer` into the wheel at its TIMER_OUT_MS, and re-puts the
 * messages of each slot to their REAL_TOPIC/REAL_QID once the slot's time has come. Both run in one loop,
 * so a slot is never filed into while it fires.
 */
export class TimerMessageService {
  timers: TimerStore | undefined;
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private syncing: Promise<unknown> | undefined;
  /** Counters for runtime info and benches. */
  enqueued = 0;
  delivered = 0;

  constructor(
    private readonly config: BrokerConfig,
    private readonly log: Logger,
    private readonly store: () => BrokerStore,
    private readonly put: (msg: MessageExtBrokerInner) => Promise<PutMessageResult>,
  ) {}

  start(): void {
    if (this.running || !this.config.timerWheelEnable) return;
    const precisionMs = Math.max(1, this.config.timerPrecisionMs);
    // Twice the longest delay, as 5.x sizes its wheel beyond timerMaxDelaySec, so a timer rolls only
    // after the broker has been down for longer than that.
    const slotsTotal = Math.ceil((this.config.timerMaxDelaySec * 1000 * 2) / precisionMs) + 1;
    this.timers = new TimerStore(this.config.storePathRootDir, { precisionMs, slotsTotal });
    if (this.timers.damage) this.log.warn({ damage: this.timers.damage }, 'timer checkpoint damaged');
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Messages of the timer topic not yet filed into the wheel. */
  get offsetBehind(): number {
    return this.timers ? this.store().getMaxOffsetInQueue(TIMER_TOPIC, 0) - this.timers.queueOffset : 0;
  }

  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loopDone;
    await this.syncing;
    this.timers?.close();
    this.timers = undefined;
  }

  /** A message reached the timer topic: look now rather than at the next tick. */
  notifyArrived(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const t = this.timers!;
    let lastSync = Date.now();
    let lastCommit = Date.now();
    while (this.running) {
      try {
        const filed = await this.enqueue(t);
        const fired = await this.fireDue(t);
        const busy = filed || fired;
        const now = Date.now();
        // Handed to the OS every COMMIT_INTERVAL_MS while busy (a crash re-files or re-fires at most
        // that much from the commit log: at least once), and whenever the loop goes idle; 5.x's
        // TimerFlushService syncs to the disk once a second.
        if (now - lastSync >= SYNC_INTERVAL_MS && !this.syncing) {
          this.syncing = t
            .syncAsync()
            .catch((e) => this.log.warn({ err: (e as Error).message }, 'timer store sync failed'));
          void this.syncing.finally(() => {
            this.syncing = undefined;
          });
          lastSync = lastCommit = now;
        } else if (t.changed && (!busy || now - lastCommit >= COMMIT_INTERVAL_MS)) {
          t.commit();
          lastCommit = now;
        }
        if (busy) continue;
        const next = t.readTimeMs - Date.now();
        await new Promise<void>((res) => {
          const timer = setTimeout(res, Math.max(1, Math.min(next, 100)));
          this.wake = () => {
            clearTimeout(timer);
            res();
          };
        });
        this.wake = undefined;
      } catch (e) {
        this.log.error({ err: (e as Error).message }, 'timer service failed, retrying in 1 s');
        await new Promise((res) => setTimeout(res, 1000));
      }
    }
  }

  /** Files new timer-topic messages into the wheel; true when it filed any. */
  private async enqueue(t: TimerStore): Promise<boolean> {
    const store = this.store();
    let n = 0;
    while (n < ENQUEUE_BATCH && this.running) {
      const r = await store.getMessage(TIMER_TOPIC, 0, t.queueOffset, 32);
      if (r.status !== 'FOUND') {
        if (r.damaged || r.status === 'OFFSET_TOO_SMALL' || r.status === 'OFFSET_OVERFLOW_BADLY') {
          if (r.nextBeginOffset !== t.queueOffset) {
            this.log.warn(
              { from: t.queueOffset, to: r.nextBeginOffset, status: r.status },
              'timer queue skip',
            );
            t.setQueueOffset(r.nextBeginOffset);
            continue;
          }
        }
        break;
      }
      for (let i = 0; i < r.buffers.length; i++) {
        const rec = decodeRecord(r.buffers[i]!);
        const outMs = Number(rec.properties[MessageConst.TIMER_OUT_MS]);
        t.add(Number.isFinite(outMs) ? outMs : 0, rec.commitLogOffset, rec.storeSize);
        t.setQueueOffset(r.queueOffsets[i]! + 1);
        n++;
      }
      if (r.nextBeginOffset > t.queueOffset) t.setQueueOffset(r.nextBeginOffset);
    }
    this.enqueued += n;
    return n > 0;
  }

  /** Fires every slot that is due; true when it delivered anything. */
  private async fireDue(t: TimerStore): Promise<boolean> {
    let delivered = false;
    let stepped = 0;
    for (let slot = t.dueSlot(Date.now()); slot !== undefined && this.running; slot = t.dueSlot(Date.now())) {
      if (t.slotSize(slot) > 0) {
        if (!(await this.fireSlot(t, slot))) return delivered; // store refused: try this slot again
        t.advance();
        delivered = true;
      } else {
        t.advance();
        if (++stepped >= CATCH_UP_SLOTS) break;
      }
    }
    return delivered || stepped >= CATCH_UP_SLOTS;
  }

  /** Re-puts a slot's messages (rolls the ones due later); false when the store refused one. */
  private async fireSlot(t: TimerStore, slot: number): Promise<boolean> {
    const store = this.store();
    const units = t.unitsOf(slot);
    for (let i = 0; i < units.length; i += PUT_CHUNK) {
      const puts: Promise<PutMessageResult>[] = [];
      for (const u of units.slice(i, i + PUT_CHUNK)) {
        if (u.roll) {
          t.add(u.deliverMs, u.phyOffset, u.size);
          continue;
        }
        const raw = store.lookMessageByOffset(u.phyOffset);
        if (!raw) {
          this.log.warn({ phyOffset: u.phyOffset, slot }, 'timer message gone from the commit log, skipped');
          continue;
        }
        const msg = this.toRealTopic(raw);
        if (msg) puts.push(this.put(msg));
      }
      const results = await Promise.all(puts);
      const bad = results.find((r) => !STORED.has(r.status));
      if (bad) {
        this.log.warn({ slot, status: bad.status }, 'timer message re-put failed, retrying the slot');
        return false;
      }
      this.delivered += results.length;
    }
    return true;
  }

  /** TimerMessageStore.convert: back to its real topic and queue, with enqueue/dequeue times. */
  private toRealTopic(raw: Buffer): MessageExtBrokerInner | undefined {
    const rec = decodeRecord(raw);
    const props = { ...rec.properties };
    const topic = props[MessageConst.REAL_TOPIC];
    if (!topic) {
      this.log.warn({ phyOffset: rec.commitLogOffset }, 'timer message without REAL_TOPIC skipped');
      return undefined;
    }
    const qid = Number(props[MessageConst.REAL_QUEUE_ID]);
    delete props[MessageConst.REAL_TOPIC];
    delete props[MessageConst.REAL_QUEUE_ID];
    props[MessageConst.TIMER_ENQUEUE_MS] = String(rec.storeTimestamp);
    props[MessageConst.TIMER_DEQUEUE_MS] = String(Date.now());
    return reputRecord(rec, {
      topic,
      queueId: Number.isInteger(qid) ? qid : 0,
      properties: props,
      reconsumeTimes: rec.reconsumeTimes,
      preparedTransactionOffset: rec.preparedTransactionOffset,
    });
  }
}
