import { decodeRecord, encodeProperties, encodeRecord, MessageConst } from '../../protocol/message/index.js';
import type { DecodedRecord } from '../../protocol/message/record.js';
import {
  buildExtraInfo,
  ConsumeInitMode,
  PROPERTY_FIRST_POP_TIME,
  PROPERTY_POP_CK,
  parseNormalTopic,
  popRetryTopicV1,
  reviveTopic,
} from '../../protocol/pop-extra-info.js';
import type { MessageExtBrokerInner } from '../../store/types.js';
import type { BrokerController } from '../broker-controller.js';
import type { TagsCodeFilter } from '../broker-store.js';
import { Perm } from '../perm.js';
import { reputRecord } from '../reput-record.js';
import { dlqTopic } from '../topic/topic-validator.js';
import {
  ACK_TAG,
  type AckRecord,
  BATCH_ACK_TAG,
  type CheckPoint,
  CK_TAG,
  ckKey,
  decodeAck,
  decodeCheckPoint,
  encodeAck,
  encodeCheckPoint,
} from './check-point.js';
import { type OrderInfo, PopStateFile } from './pop-state-file.js';

/** Revive queues of the revive topic (BrokerConfig.reviveQueueNum of 5.x). */
export const REVIVE_QUEUE_NUM = 8;

/** A check point not yet settled. */
interface Pending {
  ck: CheckPoint;
  /** Its queue offset in the revive queue; -1 while it is being written. */
  reviveOffset: number;
  /** Queue offsets acked so far. */
  acked: Set<number>;
  /** Being revived now. */
  settling: boolean;
}

/** What one queue's pop adds to the response. */
export interface PopOut {
  buffers: Buffer[];
  startOffsetInfo: Array<{ topic: string; queueId: number; value: number }>;
  msgOffsetInfo: Array<{ topic: string; queueId: number; offsets: number[] }>;
  orderCountInfo: string[];
}

export interface PopArgs {
  group: string;
  /** The topic the client names (the normal topic). */
  topic: string;
  maxMsgNums: number;
  invisibleTime: number;
  initMode: number;
  order: boolean;
  popTime: number;
  reviveQid: number;
  filter?: TagsCodeFilter;
  recordFilter?: (record: Buffer) => boolean;
}

/** Properties asking the broker to deliver a message later (RocketMQ 5 timer messages). */
const TIMER_REQUEST_PROPERTIES = ['TIMER_DELIVER_MS', 'TIMER_DELAY_SEC', 'TIMER_DELAY_MS'];

const popKey = (group: string, topic: string, queueId: number): string => `${group}@${topic}@${queueId}`;

/**
 * The broker's POP state (RocketMQ 5.x PopBufferMergeService + PopReviveService + ConsumerOrderInfoManager):
 * per group/topic/queue pop offsets; each pop's check point (CK) and every ack written to the revive topic
 * in the commit log before the client hears of them; a revive pass that puts messages whose invisible time
 * ran out unacked into the group's pop retry topic `%RETRY%{group}_{topic}` (reconsume times + 1) or, past
 * the group's retryMaxTimes, into `%DLQ%{group}`; and the leases of orderly (FIFO) queues.
 */
export class PopService {
  readonly state: PopStateFile;
  private readonly pending = new Map<string, Pending>();
  /** Check points being written per revive queue: their revive offset must not be passed yet. */
  private readonly writing = new Map<number, number>();
  private readonly locks = new Set<string>();
  private ckCounter = 0;
  private dirty = false;
  private reviving = false;
  private timers: NodeJS.Timeout[] = [];
  /** Called when a queue of `topic` may have become poppable again (an orderly ack, a revive). */
  onAvailable: (topic: string, queueId: number) => void = () => {};

  constructor(private readonly ctl: BrokerController) {
    this.state = new PopStateFile(ctl.config.storePathRootDir, ctl.log);
  }

  get reviveTopic(): string {
    return reviveTopic(this.ctl.config.brokerClusterName);
  }

  load(): boolean {
    return this.state.load();
  }

  configFilePath(): string {
    return this.state.configFilePath();
  }

  /** Replays the revive topic from the saved revive offsets, then starts the revive and persist passes. */
  async start(): Promise<void> {
    const replayed = await this.replay();
    if (replayed.cks > 0)
      this.ctl.log.info(
        { ...replayed, pending: this.pending.size },
        'pop check points replayed from the revive topic',
      );
    const every = (ms: number, fn: () => void): void => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(200, () => void this.revivePass());
    every(1000, () => this.persist());
  }

  shutdown(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.persist(true);
  }

  nextReviveQid(): number {
    const q = this.ckCounter % REVIVE_QUEUE_NUM;
    this.ckCounter = (this.ckCounter + 1) % 1_000_000;
    return q;
  }

  // ------------------------------------------------------------------ offsets

  /** Where the group's next pop of this queue starts (getPopOffset): saved, committed, or per initMode. */
  popOffset(group: string, topic: string, queueId: number, initMode: number): number {
    const key = popKey(group, topic, queueId);
    const store = this.ctl.store;
    const min = store.getMinOffsetInQueue(topic, queueId);
    let v = this.state.popOffsets.get(key);
    if (v === undefined) {
      const committed = this.ctl.consumerOffsetManager.queryOffset(group, topic, queueId);
      if (committed >= 0) v = committed;
      else if (initMode === ConsumeInitMode.MIN || topic.startsWith('%RETRY%')) v = min;
      else v = store.getMaxOffsetInQueue(topic, queueId);
      this.setPopOffset(group, topic, queueId, v);
    }
    return Math.max(v, min);
  }

  private setPopOffset(group: string, topic: string, queueId: number, offset: number): void {
    this.state.popOffsets.set(popKey(group, topic, queueId), offset);
    this.dirty = true;
  }

  /** Messages the group has not popped yet in this queue (an orderly queue under lease counts none). */
  available(group: string, topic: string, queueId: number, order: boolean): boolean {
    if (order && this.orderBlocked(group, topic, queueId, Date.now())) return false;
    const max = this.ctl.store.getMaxOffsetInQueue(topic, queueId);
    return this.popOffset(group, topic, queueId, ConsumeInitMode.MIN) < max;
  }

  // ------------------------------------------------------------------ popping

  /**
   * Pops up to `a.maxMsgNums - out.buffers.length` messages of one queue into `out` (popMsgFromQueue). The
   * check point is in the commit log before this returns; returns the messages left behind in the queue.
   */
  async popQueue(a: PopArgs, topic: string, queueId: number, out: PopOut): Promise<number> {
    const lockKey = popKey(a.group, topic, queueId);
    const store = this.ctl.store;
    if (this.locks.has(lockKey)) return 0;
    if (a.order && this.orderBlocked(a.group, topic, queueId, a.popTime)) return 0;
    this.locks.add(lockKey);
    try {
      let offset = this.popOffset(a.group, topic, queueId, a.initMode);
      const want = a.maxMsgNums - out.buffers.length;
      if (want <= 0) return Math.max(0, store.getMaxOffsetInQueue(topic, queueId) - offset);
      let r = await store.getMessage(topic, queueId, offset, want, a.filter, a.recordFilter);
      if (
        r.status === 'OFFSET_TOO_SMALL' ||
        r.status === 'OFFSET_OVERFLOW_BADLY' ||
        r.status === 'OFFSET_FOUND_NULL'
      ) {
        // The saved offset is outside the queue (files removed, queue truncated): go on from where it is.
        offset = r.nextBeginOffset;
        this.setPopOffset(a.group, topic, queueId, offset);
        r = await store.getMessage(topic, queueId, offset, want, a.filter, a.recordFilter);
      }
      if (r.buffers.length === 0) {
        if (r.nextBeginOffset > offset && !this.orderInfoOf(a.group, topic, queueId))
          this.setPopOffset(a.group, topic, queueId, r.nextBeginOffset);
        return Math.max(0, r.maxOffset - r.nextBeginOffset);
      }
      const recs = r.buffers.map((b) => decodeRecord(b));
      const offsets = recs.map((x) => x.queueOffset);
      let deliver = recs;
      let counts: Map<number, number> | undefined;
      if (a.order) {
        const res = await this.orderPop(a, topic, queueId, recs, r.nextBeginOffset);
        deliver = res.deliver;
        counts = res.counts;
        if (deliver.length > 0) out.orderCountInfo.push(res.orderCountInfo);
      } else {
        const ck: CheckPoint = {
          so: offset,
          d: offsets.map((o) => o - offset),
          pt: a.popTime,
          it: a.invisibleTime,
          c: a.group,
          t: topic,
          q: queueId,
          rq: a.reviveQid,
          bn: this.ctl.config.brokerName,
        };
        await this.writeCheckPoint(ck);
        this.setPopOffset(a.group, topic, queueId, r.nextBeginOffset);
      }
      if (deliver.length > 0) {
        out.startOffsetInfo.push({ topic, queueId, value: offset });
        out.msgOffsetInfo.push({ topic, queueId, offsets: deliver.map((x) => x.queueOffset) });
      }
      for (const rec of deliver) {
        out.buffers.push(this.withReceipt(rec, a, offset, counts?.get(rec.queueOffset)));
      }
      return Math.max(0, r.maxOffset - r.nextBeginOffset);
    } finally {
      this.locks.delete(lockKey);
    }
  }

  /** The record as handed out: POP_CK set, a pop retry message under its original topic (5.x does both). */
  private withReceipt(rec: DecodedRecord, a: PopArgs, ckOffset: number, count: number | undefined): Buffer {
    const props = { ...rec.properties };
    props[PROPERTY_POP_CK] = buildExtraInfo({
      ckQueueOffset: ckOffset,
      popTime: a.popTime,
      invisibleTime: a.invisibleTime,
      reviveQid: a.reviveQid,
      topic: rec.topic,
      brokerName: this.ctl.config.brokerName,
      queueId: rec.queueId,
      queueOffset: rec.queueOffset,
    });
    return encodeRecord(
      {
        queueId: rec.queueId,
        flag: rec.flag,
        queueOffset: rec.queueOffset,
        physicalOffset: rec.commitLogOffset,
        sysFlag: rec.sysFlag,
        bornTimestamp: rec.bornTimestamp,
        bornHost: rec.bornHost,
        storeTimestamp: rec.storeTimestamp,
        storeHost: rec.storeHost,
        reconsumeTimes: count ?? rec.reconsumeTimes,
        preparedTransactionOffset: rec.preparedTransactionOffset,
        body: rec.body,
        bodyCrc: rec.bodyCrc,
      },
      a.topic,
      encodeProperties(props),
    );
  }

  // ------------------------------------------------------------------ check points and acks

  private async putRevive(tag: string, rq: number, body: Buffer): Promise<number> {
    // Created on first use, as a retry topic is: a broker that never serves a pop lists no revive topic.
    this.ctl.topicConfigManager.createInSendMessageBack(
      this.reviveTopic,
      REVIVE_QUEUE_NUM,
      Perm.READ | Perm.WRITE,
    );
    const msg: MessageExtBrokerInner = {
      topic: this.reviveTopic,
      queueId: rq,
      flag: 0,
      body,
      properties: { [MessageConst.TAGS]: tag },
      sysFlag: 0,
      bornTimestamp: Date.now(),
      bornHost: this.ctl.storeHost,
      storeHost: this.ctl.storeHost,
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
    };
    const r = await this.ctl.putMessage(msg);
    if (r.status !== 'PUT_OK' || !r.appendResult)
      throw new Error(`cannot write the pop ${tag} record to ${this.reviveTopic}: ${r.status}`);
    return r.appendResult.queueOffset;
  }

  /** Writes a check point to the revive topic; it is pending (and its messages leased) from then on. */
  async writeCheckPoint(ck: CheckPoint): Promise<void> {
    const key = ckKey(ck.c, ck.t, ck.q, ck.so, ck.pt);
    const p: Pending = { ck, reviveOffset: -1, acked: new Set(), settling: false };
    this.pending.set(key, p);
    this.writing.set(ck.rq, (this.writing.get(ck.rq) ?? 0) + 1);
    try {
      p.reviveOffset = await this.putRevive(CK_TAG, ck.rq, encodeCheckPoint(ck));
    } catch (e) {
      this.pending.delete(key);
      throw e;
    } finally {
      this.writing.set(ck.rq, (this.writing.get(ck.rq) ?? 1) - 1);
    }
  }

  /** Is the lease of `offset` under this check point still open (not acked, not revived)? */
  leased(group: string, topic: string, queueId: number, so: number, pt: number, offset: number): boolean {
    const p = this.pending.get(ckKey(group, topic, queueId, so, pt));
    return !!p && !p.settling && p.ck.d.includes(offset - so) && !p.acked.has(offset);
  }

  /**
   * Acks offsets of a check point (ACK_MESSAGE, BATCH_ACK_MESSAGE): the ack record is in the commit log
   * before this returns. Offsets already settled, or of a check point already revived, are ignored.
   */
  async ack(
    group: string,
    topic: string,
    queueId: number,
    so: number,
    pt: number,
    offsets: number[],
  ): Promise<void> {
    const key = ckKey(group, topic, queueId, so, pt);
    const p = this.pending.get(key);
    if (!p) return;
    const fresh = [...new Set(offsets)].filter((o) => p.ck.d.includes(o - so) && !p.acked.has(o));
    if (fresh.length === 0) return;
    const rec: AckRecord = { so, aol: fresh, pt, c: group, t: topic, q: queueId, rq: p.ck.rq, bn: p.ck.bn };
    await this.putRevive(fresh.length === 1 ? ACK_TAG : BATCH_ACK_TAG, p.ck.rq, encodeAck(rec));
    for (const o of fresh) p.acked.add(o);
    if (p.acked.size >= p.ck.d.length && !p.settling) this.pending.delete(key);
    this.dirty = true;
  }

  // ------------------------------------------------------------------ revive

  /** Puts back every message whose lease ran out unacked (PopReviveService), then marks its check point settled. */
  async revivePass(now = Date.now()): Promise<void> {
    if (this.reviving) return;
    this.reviving = true;
    try {
      for (const [key, p] of [...this.pending]) {
        if (p.settling || p.reviveOffset < 0 || p.ck.pt + p.ck.it > now) continue;
        p.settling = true;
        try {
          await this.revive(p);
          this.pending.delete(key);
          this.dirty = true;
        } catch (e) {
          p.settling = false;
          this.ctl.log.warn({ err: (e as Error).message, ck: key }, 'pop revive failed; retrying');
        }
      }
    } finally {
      this.reviving = false;
    }
  }

  private async revive(p: Pending): Promise<void> {
    const { ck } = p;
    const remaining = ck.d.map((d) => ck.so + d).filter((o) => !p.acked.has(o));
    if (remaining.length === 0) return;
    const sg = this.ctl.subscriptionGroupManager.find(ck.c);
    const maxTimes = sg?.retryMaxTimes ?? 16;
    const normal = parseNormalTopic(ck.t, ck.c);
    for (const off of remaining) {
      const r = await this.ctl.store.getMessage(ck.t, ck.q, off, 1);
      if (r.buffers.length === 0 || r.queueOffsets[0] !== off) {
        this.ctl.log.warn({ topic: ck.t, queueId: ck.q, offset: off }, 'pop revive: message gone, skipped');
        continue;
      }
      const rec = decodeRecord(r.buffers[0]!);
      await this.putBack(rec, ck.c, normal, rec.reconsumeTimes >= maxTimes, ck.pt);
    }
    const rec: AckRecord = {
      so: ck.so,
      aol: remaining,
      pt: ck.pt,
      c: ck.c,
      t: ck.t,
      q: ck.q,
      rq: ck.rq,
      bn: ck.bn,
    };
    await this.putRevive(BATCH_ACK_TAG, ck.rq, encodeAck(rec));
    this.onAvailable(normal, -1);
  }

  /** The message again, one delivery later: into the group's pop retry topic, or its DLQ. */
  async putBack(
    rec: DecodedRecord,
    group: string,
    normal: string,
    toDlq: boolean,
    popTime: number,
  ): Promise<void> {
    const props = { ...rec.properties };
    delete props[MessageConst.DELAY_TIME_LEVEL];
    delete props[PROPERTY_POP_CK];
    delete props[MessageConst.WAIT_STORE_MSG_OK];
    // Due now: a timer request must not delay it again (5.x HookUtils also skips it via TIMER_OUT_MS).
    for (const k of TIMER_REQUEST_PROPERTIES) delete props[k];
    let topic: string;
    if (toDlq) {
      topic = dlqTopic(group);
      if (!props[MessageConst.RETRY_TOPIC]) props[MessageConst.RETRY_TOPIC] = normal;
      if (!props[MessageConst.ORIGIN_MESSAGE_ID]) props[MessageConst.ORIGIN_MESSAGE_ID] = rec.msgId;
    } else {
      topic = popRetryTopicV1(normal, group);
      if (!props[PROPERTY_FIRST_POP_TIME]) props[PROPERTY_FIRST_POP_TIME] = String(popTime);
    }
    this.ctl.topicConfigManager.createInSendMessageBack(topic, 1, Perm.READ | Perm.WRITE);
    const msg = reputRecord(rec, {
      topic,
      queueId: 0,
      properties: props,
      reconsumeTimes: rec.reconsumeTimes + 1,
      preparedTransactionOffset: 0,
    });
    const r = await this.ctl.putMessage(msg);
    if (r.status !== 'PUT_OK') throw new Error(`cannot put the message back into ${topic}: ${r.status}`);
    if (toDlq) this.ctl.metrics?.deadLettered(normal, group);
  }

  // ------------------------------------------------------------------ orderly (FIFO) queues

  private orderInfoOf(group: string, topic: string, queueId: number): OrderInfo | undefined {
    return this.state.orderInfos.get(popKey(group, topic, queueId));
  }

  /** An earlier pop of this queue is out and unacked, and its invisible time has not run out. */
  orderBlocked(group: string, topic: string, queueId: number, now: number): boolean {
    const info = this.orderInfoOf(group, topic, queueId);
    if (!info) return false;
    if (info.acked.length >= info.offsets.length) return false;
    return now < info.popTime + info.invisibleTime;
  }

  /**
   * An orderly pop from the queue's first unacked message: counts each offset's deliveries, dead-letters
   * those past the group's retryMaxTimes (they count as acked), and records the new lease. The pop offset
   * stays at the first unacked message until it is acked.
   */
  private async orderPop(
    a: PopArgs,
    topic: string,
    queueId: number,
    recs: DecodedRecord[],
    next: number,
  ): Promise<{ deliver: DecodedRecord[]; counts: Map<number, number>; orderCountInfo: string }> {
    const key = popKey(a.group, topic, queueId);
    const prev = this.state.orderInfos.get(key);
    const maxTimes = this.ctl.subscriptionGroupManager.find(a.group)?.retryMaxTimes ?? 16;
    const counts = new Map<number, number>();
    const deliver: DecodedRecord[] = [];
    const acked: number[] = [];
    for (const rec of recs) {
      const before = prev?.offsets.includes(rec.queueOffset) ? (prev.counts[rec.queueOffset] ?? 0) + 1 : 0;
      if (before > maxTimes) {
        await this.putBack(rec, a.group, parseNormalTopic(topic, a.group), true, a.popTime);
        acked.push(rec.queueOffset);
        continue;
      }
      if (before > 0) counts.set(rec.queueOffset, before);
      deliver.push(rec);
    }
    const info: OrderInfo = {
      leasedAt: a.popTime,
      popTime: a.popTime,
      invisibleTime: a.invisibleTime,
      offsets: recs.map((r) => r.queueOffset),
      acked,
      counts: Object.fromEntries(counts),
      next,
    };
    this.state.orderInfos.set(key, info);
    this.advanceOrder(a.group, topic, queueId, info);
    const k = topic.startsWith('%RETRY%') ? (topic.includes('+') ? '2' : '1') : '0';
    const parts = [...counts].map(([o, n]) => `${k} qo${queueId}%${o} ${n}`);
    let min = Math.min(...deliver.map((r) => counts.get(r.queueOffset) ?? 0));
    if (!Number.isFinite(min)) min = 0;
    parts.push(`${k} ${queueId} ${min}`);
    return { deliver, counts, orderCountInfo: parts.join(';') };
  }

  /** Pop offset of an orderly queue: its first unacked leased message, or past the lease when all are. */
  private advanceOrder(group: string, topic: string, queueId: number, info: OrderInfo): void {
    const first = info.offsets.find((o) => !info.acked.includes(o));
    this.setPopOffset(group, topic, queueId, first ?? info.next);
    if (first === undefined) {
      // Keep the counts only while some offset is still to be delivered again.
      info.counts = {};
    }
  }

  /** Acks in an orderly queue (ackOrderly): the queue moves on once the lease's messages are all acked. */
  orderAck(group: string, topic: string, queueId: number, offsets: number[], popTime?: number): boolean {
    const info = this.orderInfoOf(group, topic, queueId);
    // A receipt from an earlier lease of these offsets (re-popped since) acks nothing.
    if (!info || (popTime !== undefined && popTime < (info.leasedAt ?? info.popTime))) return false;
    let changed = false;
    for (const o of offsets) {
      if (info.offsets.includes(o) && !info.acked.includes(o)) {
        info.acked.push(o);
        changed = true;
      }
    }
    if (!changed) return false;
    this.advanceOrder(group, topic, queueId, info);
    this.dirty = true;
    if (info.acked.length >= info.offsets.length) this.onAvailable(parseNormalTopic(topic, group), queueId);
    return true;
  }

  /** CHANGE_MESSAGE_INVISIBLETIME on an orderly queue: the whole lease gets the new time. */
  orderChangeInvisible(
    group: string,
    topic: string,
    queueId: number,
    offset: number,
    invisibleTime: number,
  ): number | undefined {
    const info = this.orderInfoOf(group, topic, queueId);
    if (!info?.offsets.includes(offset) || info.acked.includes(offset)) return undefined;
    info.popTime = Date.now();
    info.invisibleTime = invisibleTime;
    this.dirty = true;
    return info.popTime;
  }

  // ------------------------------------------------------------------ durability

  /** Rebuilds the pending check points from the revive topic (PopReviveService's consume of it). */
  private async replay(): Promise<{ cks: number; acks: number }> {
    const store = this.ctl.store;
    const topic = this.reviveTopic;
    let cks = 0;
    let acks = 0;
    for (let rq = 0; rq < REVIVE_QUEUE_NUM; rq++) {
      let off = Math.max(this.state.reviveOffsets.get(rq) ?? 0, store.getMinOffsetInQueue(topic, rq));
      for (;;) {
        const r = await store.getMessage(topic, rq, off, 32);
        for (let i = 0; i < r.buffers.length; i++) {
          const rec = decodeRecord(r.buffers[i]!);
          const tag = rec.properties[MessageConst.TAGS];
          try {
            if (tag === CK_TAG) {
              this.replayCheckPoint(decodeCheckPoint(rec.body), r.queueOffsets[i]!);
              cks++;
            } else if (tag === ACK_TAG || tag === BATCH_ACK_TAG) {
              this.replayAck(decodeAck(rec.body));
              acks++;
            }
          } catch (e) {
            this.ctl.log.warn(
              { err: (e as Error).message, rq, offset: r.queueOffsets[i] },
              'pop revive record skipped',
            );
          }
        }
        if (r.nextBeginOffset <= off) break;
        off = r.nextBeginOffset;
        if (r.buffers.length === 0 && r.status !== 'NO_MATCHED_MESSAGE') break;
      }
    }
    return { cks, acks };
  }

  private replayCheckPoint(ck: CheckPoint, reviveOffset: number): void {
    this.pending.set(ckKey(ck.c, ck.t, ck.q, ck.so, ck.pt), {
      ck,
      reviveOffset,
      acked: new Set(),
      settling: false,
    });
    // The saved pop offset may predate this pop (kill -9 between two snapshots).
    const end = ck.so + Math.max(...ck.d) + 1;
    const key = popKey(ck.c, ck.t, ck.q);
    if ((this.state.popOffsets.get(key) ?? -1) < end) this.state.popOffsets.set(key, end);
  }

  private replayAck(a: AckRecord): void {
    const key = ckKey(a.c, a.t, a.q, a.so, a.pt);
    const p = this.pending.get(key);
    if (!p) return;
    for (const o of a.aol) p.acked.add(o);
    if (p.acked.size >= p.ck.d.length) this.pending.delete(key);
  }

  /**
   * Saves pop offsets, revive offsets and FIFO leases in one file, and shows each group's progress as its
   * consumer offset: the first unsettled message (what 5.x commits once the leading messages are acked).
   */
  persist(force = false): void {
    const store = this.ctl.store;
    if (!store) return;
    const firstOpen = new Map<string, number>();
    const firstRevive = new Map<number, number>();
    for (const p of this.pending.values()) {
      const k = popKey(p.ck.c, p.ck.t, p.ck.q);
      firstOpen.set(k, Math.min(firstOpen.get(k) ?? Number.MAX_SAFE_INTEGER, p.ck.so));
      if (p.reviveOffset >= 0)
        firstRevive.set(
          p.ck.rq,
          Math.min(firstRevive.get(p.ck.rq) ?? Number.MAX_SAFE_INTEGER, p.reviveOffset),
        );
    }
    for (let rq = 0; rq < REVIVE_QUEUE_NUM; rq++) {
      if ((this.writing.get(rq) ?? 0) > 0) continue;
      const v = firstRevive.get(rq) ?? store.getMaxOffsetInQueue(this.reviveTopic, rq);
      if (this.state.reviveOffsets.get(rq) !== v) {
        this.state.reviveOffsets.set(rq, v);
        this.dirty = true;
      }
    }
    const com = this.ctl.consumerOffsetManager;
    for (const [k, next] of this.state.popOffsets) {
      const [group, topic, q] = k.split('@') as [string, string, string];
      const committed = Math.min(firstOpen.get(k) ?? next, next);
      if (com.queryOffset(group, topic, Number(q)) !== committed)
        com.commitOffset('pop', group, topic, Number(q), committed);
    }
    if (this.dirty || force) {
      this.dirty = false;
      this.state.persist();
    }
  }
}
