import type { DecodedRecord } from '../../protocol/message/record.js';
import { buildOrderCountInfo, parseNormalTopic } from '../../protocol/pop-extra-info.js';
import type { PopArgs } from './pop-service.js';
import { type OrderInfo, type PopStateFile, popKey } from './pop-state-file.js';

/** What the FIFO leases need from the POP service. */
export interface FifoDeps {
  state: PopStateFile;
  setPopOffset(group: string, topic: string, queueId: number, offset: number): void;
  markDirty(): void;
  retryMaxTimes(group: string): number;
  deadLetter(rec: DecodedRecord, group: string, topic: string, popTime: number): Promise<void>;
  onAvailable(topic: string, queueId: number): void;
}

/**
 * Leases of orderly (FIFO) queues (5.x ConsumerOrderInfoManager): one lease per group and queue; while it
 * is out, unacked and visible-time-bound, the queue hands out nothing else. The pop offset stays at the
 * lease's first unacked message, so an expired lease is handed out again from there, in send order, with
 * each message's delivery count; past the group's retryMaxTimes a message is dead-lettered and skipped.
 */
export class FifoLeases {
  constructor(private readonly d: FifoDeps) {}

  private infoOf(group: string, topic: string, queueId: number): OrderInfo | undefined {
    return this.d.state.orderInfos.get(popKey(group, topic, queueId));
  }

  /** The queue has a lease on record (its pop offset then only moves with acks). */
  leased(group: string, topic: string, queueId: number): boolean {
    return this.infoOf(group, topic, queueId) !== undefined;
  }

  /** An earlier lease of this queue is out, unacked, and its invisible time has not run out. */
  blocked(group: string, topic: string, queueId: number, now: number): boolean {
    const info = this.infoOf(group, topic, queueId);
    if (!info) return false;
    if (info.acked.length >= info.offsets.length) return false;
    return now < info.popTime + info.invisibleTime;
  }

  /** Leases `recs` (read from the pop offset): counts deliveries, dead-letters those past the limit. */
  async pop(
    a: PopArgs,
    topic: string,
    queueId: number,
    recs: DecodedRecord[],
    next: number,
  ): Promise<{ deliver: DecodedRecord[]; counts: Map<number, number>; orderCountInfo: string }> {
    const key = popKey(a.group, topic, queueId);
    const prev = this.d.state.orderInfos.get(key);
    const maxTimes = this.d.retryMaxTimes(a.group);
    const counts = new Map<number, number>();
    const deliver: DecodedRecord[] = [];
    const acked: number[] = [];
    for (const rec of recs) {
      const before = prev?.offsets.includes(rec.queueOffset) ? (prev.counts[rec.queueOffset] ?? 0) + 1 : 0;
      if (before > maxTimes) {
        await this.d.deadLetter(rec, a.group, topic, a.popTime);
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
    this.d.state.orderInfos.set(key, info);
    this.advance(a.group, topic, queueId, info);
    const orderCountInfo = buildOrderCountInfo(
      topic,
      queueId,
      counts,
      deliver.map((r) => r.queueOffset),
    );
    return { deliver, counts, orderCountInfo };
  }

  /** Pop offset of the queue: the lease's first unacked message, or past the lease when all are. */
  private advance(group: string, topic: string, queueId: number, info: OrderInfo): void {
    const first = info.offsets.find((o) => !info.acked.includes(o));
    this.d.setPopOffset(group, topic, queueId, first ?? info.next);
    // Counts matter only while some offset is still to be handed out again.
    if (first === undefined) info.counts = {};
  }

  /** Acks (ackOrderly): the queue moves on once the lease's messages are all acked. */
  ack(group: string, topic: string, queueId: number, offsets: number[], popTime?: number): boolean {
    const info = this.infoOf(group, topic, queueId);
    // A receipt from an earlier lease of these offsets (handed out again since) acks nothing.
    if (!info || (popTime !== undefined && popTime < (info.leasedAt ?? info.popTime))) return false;
    let changed = false;
    for (const o of offsets) {
      if (info.offsets.includes(o) && !info.acked.includes(o)) {
        info.acked.push(o);
        changed = true;
      }
    }
    if (!changed) return false;
    this.advance(group, topic, queueId, info);
    this.d.markDirty();
    if (info.acked.length >= info.offsets.length) this.d.onAvailable(parseNormalTopic(topic, group), queueId);
    return true;
  }

  /** CHANGE_MESSAGE_INVISIBLETIME: the whole lease gets the new time; returns its new start, or undefined. */
  changeInvisible(
    group: string,
    topic: string,
    queueId: number,
    offset: number,
    invisibleTime: number,
  ): number | undefined {
    const info = this.infoOf(group, topic, queueId);
    if (!info?.offsets.includes(offset) || info.acked.includes(offset)) return undefined;
    info.popTime = Date.now();
    info.invisibleTime = invisibleTime;
    this.d.markDirty();
    return info.popTime;
  }
}
