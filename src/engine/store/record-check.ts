import { tagsString2Code } from '../protocol/message/java-hash.js';
import { MessageConst, SCHEDULE_TOPIC } from '../protocol/message/message-const.js';
import { getPropertyFromString } from '../protocol/message/properties.js';
import { BLANK_MAGIC_CODE, bodyCrc, MESSAGE_MAGIC_CODE, recordLength } from '../protocol/message/record.js';
import { SysFlag } from '../protocol/message/sys-flag.js';
import type { DispatchRequest } from './types.js';

/** Delay level → ms, from `messageDelayLevel` ("1s 5s … 2h"; units s m h d). Level 1 is index 1. */
export function parseDelayLevels(spec: string): number[] {
  const unit: Record<string, number> = { s: 1000, m: 60000, h: 3600000, d: 86400000 };
  const out = [0];
  for (const item of spec.trim().split(/\s+/)) {
    const u = unit[item.slice(-1)];
    const n = Number(item.slice(0, -1));
    if (!u || !Number.isFinite(n)) throw new Error(`bad messageDelayLevel item: ${item}`);
    out.push(n * u);
  }
  return out;
}

/** ScheduleMessageService.computeDeliverTimestamp: the SCHEDULE_TOPIC consume-queue tags code. */
export function computeDeliverTimestamp(
  levels: number[],
  delayLevel: number,
  storeTimestamp: number,
): number {
  const t = levels[delayLevel];
  return t !== undefined && delayLevel > 0 ? storeTimestamp + t : storeTimestamp + 1000;
}

/** Tags code of a record, as the dispatcher computes it. */
export function tagsCodeOf(topic: string, props: string, storeTimestamp: number, levels: number[]): number {
  const delay =
    topic === SCHEDULE_TOPIC ? getPropertyFromString(props, MessageConst.DELAY_TIME_LEVEL) : undefined;
  return tagsCodeFrom(topic, getPropertyFromString(props, MessageConst.TAGS), delay, storeTimestamp, levels);
}

/** tagsCodeOf with TAGS and DELAY already read from the properties. */
export function tagsCodeFrom(
  topic: string,
  tags: string | undefined,
  delay: string | undefined,
  storeTimestamp: number,
  levels: number[],
): number {
  if (topic === SCHEDULE_TOPIC) {
    const level = Number(delay);
    if (Number.isInteger(level) && level > 0) {
      return computeDeliverTimestamp(levels, Math.min(level, levels.length - 1), storeTimestamp);
    }
  }
  return tagsString2Code(tags);
}

export type RecordCheck =
  | { kind: 'message'; size: number; req: DispatchRequest }
  | { kind: 'blank'; size: number }
  /** TOTALSIZE 0: the written part of the file ends here. */
  | { kind: 'end' }
  /** Torn, garbage or CRC mismatch. */
  | { kind: 'bad'; reason: string };

export type RecordKind = RecordCheck['kind'];

const TAGS_KEY = Buffer.from(`${MessageConst.TAGS}\u0001`);

/**
 * One record as inspectRecord found it: the numeric fields read, the strings left in the buffer until a
 * caller asks (a recovery walk compares most records with their queue entry and needs only numbers and
 * the tags code). A walk reuses one view and one buffer: nothing here outlives the visit of its record
 * except what request() returns.
 */
export class RecordView {
  buf: Buffer = Buffer.alloc(0);
  /** A view of buf for the field reads (Buffer's readInt32BE checks more and costs more). */
  dv: DataView = new DataView(new ArrayBuffer(0));
  /** Position of the record in buf. */
  pos = 0;
  /** TOTALSIZE (of the blank marker too). */
  size = 0;
  /** Why the record is 'bad'. */
  reason = '';
  /** Commit-log offset (PHYSICALOFFSET, checked against where it lies). */
  offset = 0;
  queueId = 0;
  queueOffset = 0;
  sysFlag = 0;
  storeTimestamp = 0;
  preparedTransactionOffset = 0;
  topic = '';
  propsPos = 0;
  propsLen = 0;
  /** The last topic decoded, as bytes: the next record of the same topic costs a compare, not a decode. */
  private readonly topicBytes = Buffer.alloc(256);
  private topicLen = -1;

  /** Set `topic` from buf[p, p+len), decoding only when it differs from the last one. */
  setTopic(buf: Buffer, p: number, len: number): void {
    const t = this.topicBytes;
    if (len === this.topicLen) {
      let i = 0;
      while (i < len && buf[p + i] === t[i]) i++;
      if (i === len) return;
    }
    buf.copy(t, 0, p, p + len);
    this.topicLen = len;
    this.topic = buf.toString('utf8', p, p + len);
  }

  props(): string {
    return this.propsLen > 0 ? this.buf.toString('utf8', this.propsPos, this.propsPos + this.propsLen) : '';
  }

  /**
   * The consume-queue tags code (tagsCodeOf), read from the properties' bytes: only a TAGS value is
   * decoded. Pairs are `name\u0001value` separated by \u0002; neither byte occurs inside a UTF-8
   * sequence, so pair boundaries in bytes are those of the decoded string.
   */
  tagsCode(levels: number[]): number {
    if (this.topic === SCHEDULE_TOPIC)
      return tagsCodeOf(this.topic, this.props(), this.storeTimestamp, levels);
    const b = this.buf;
    const end = this.propsPos + this.propsLen;
    const k = TAGS_KEY;
    for (let p = this.propsPos; p < end; ) {
      if (
        p + k.length <= end &&
        b[p] === k[0] &&
        b[p + 1] === k[1] &&
        b[p + 2] === k[2] &&
        b[p + 3] === k[3] &&
        b[p + 4] === k[4]
      ) {
        const v = p + k.length;
        let e = v;
        while (e < end && b[e] !== 2) e++;
        return tagsString2Code(e > v ? b.toString('utf8', v, e) : undefined);
      }
      while (p < end && b[p] !== 2) p++;
      p++;
    }
    return 0;
  }

  /** The dispatch request of a 'message' record (strings decoded here). */
  request(levels: number[]): DispatchRequest {
    const props = this.props();
    return {
      topic: this.topic,
      queueId: this.queueId,
      commitLogOffset: this.offset,
      msgSize: this.size,
      tagsCode: tagsCodeOf(this.topic, props, this.storeTimestamp, levels),
      storeTimestamp: this.storeTimestamp,
      consumeQueueOffset: this.queueOffset,
      keys: getPropertyFromString(props, MessageConst.KEYS),
      uniqKey: getPropertyFromString(props, MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX),
      sysFlag: this.sysFlag,
      preparedTransactionOffset: this.preparedTransactionOffset,
    };
  }
}

/**
 * Validate the record at buf[pos] (CommitLog.checkMessageAndReturnSize): magic, the length implied by the
 * field lengths, PHYSICALOFFSET against its position, and optionally the body CRC. `avail` is how many
 * bytes of buf from pos belong to the file. Every field is untrusted (a damaged sector, a torn write,
 * garbage): a length, offset or timestamp out of range makes the record 'bad', nothing here throws.
 * What it finds goes into `v` (no string is decoded but the topic, and that one only when it changes).
 */
export function inspectRecord(
  buf: Buffer,
  pos: number,
  avail: number,
  expectedOffset: number,
  checkCRC: boolean,
  v: RecordView,
): RecordKind {
  if (v.buf !== buf) {
    v.buf = buf;
    v.dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }
  const dv = v.dv;
  v.pos = pos;
  if (avail < 8) {
    for (let i = 0; i < avail; i++) if (buf[pos + i] !== 0) return bad(v, 'short');
    return 'end';
  }
  const totalSize = dv.getInt32(pos);
  const magic = dv.getInt32(pos + 4);
  if (totalSize === 0 && magic === 0) return 'end';
  if (magic === BLANK_MAGIC_CODE) {
    if (totalSize > 0 && totalSize <= avail) {
      v.size = totalSize;
      return 'blank';
    }
    return bad(v, `blank marker size ${totalSize}`);
  }
  if (magic !== MESSAGE_MAGIC_CODE) return bad(v, 'magic code');
  if (totalSize < MIN_RECORD_SIZE || totalSize > avail) return bad(v, `total size ${totalSize}`);
  const end = pos + totalSize;
  const sysFlag = dv.getInt32(pos + 36);
  const bornHostLen = sysFlag & SysFlag.BORNHOST_V6 ? 20 : 8;
  const storeHostLen = sysFlag & SysFlag.STOREHOST_V6 ? 20 : 8;
  let p = pos + 48 + bornHostLen;
  // Up to and including BODYLEN.
  if (p + 8 + storeHostLen + 4 + 8 + 4 > end) return bad(v, 'header longer than record');
  const storeTimestamp = int64(dv, p);
  if (!(storeTimestamp >= 0)) return bad(v, 'store timestamp');
  p += 8 + storeHostLen + 4;
  const preparedTransactionOffset = int64(dv, p);
  if (Number.isNaN(preparedTransactionOffset)) return bad(v, 'prepared transaction offset');
  p += 8;
  const bodyLen = dv.getInt32(p);
  p += 4;
  // Body, TOPICLEN (1) and PROPLEN (2) must fit.
  if (bodyLen < 0 || p + bodyLen + 3 > end) return bad(v, `body length ${bodyLen}`);
  if (checkCRC && bodyCrc(buf.subarray(p, p + bodyLen)) !== dv.getInt32(pos + 8)) {
    return bad(v, 'body crc');
  }
  p += bodyLen;
  const topicLen = dv.getInt8(p);
  if (topicLen <= 0 || p + 1 + topicLen + 2 > end) return bad(v, `topic length ${topicLen}`);
  const topicAt = p + 1;
  p += 1 + topicLen;
  const propsLen = dv.getInt16(p);
  if (propsLen < 0 || recordLength(sysFlag, bodyLen, topicLen, propsLen) !== totalSize) {
    return bad(v, 'length mismatch');
  }
  const commitLogOffset = int64(dv, pos + 28);
  // A record copied from elsewhere (or stale bytes) carries another offset: not ours.
  if (commitLogOffset !== expectedOffset) return bad(v, 'physical offset');
  const queueId = dv.getInt32(pos + 12);
  const consumeQueueOffset = int64(dv, pos + 20);
  if (queueId < 0 || !(consumeQueueOffset >= 0)) return bad(v, 'queue id or offset');
  v.size = totalSize;
  v.offset = commitLogOffset;
  v.queueId = queueId;
  v.queueOffset = consumeQueueOffset;
  v.sysFlag = sysFlag;
  v.storeTimestamp = storeTimestamp;
  v.preparedTransactionOffset = preparedTransactionOffset;
  v.setTopic(buf, topicAt, topicLen);
  v.propsPos = p + 2;
  v.propsLen = propsLen;
  return 'message';
}

/** readInt64OrNaN over a DataView: NaN beyond 2^53 (untrusted bytes). */
function int64(dv: DataView, p: number): number {
  const hi = dv.getInt32(p);
  if (hi > 0x1fffff || hi < -0x200000) return Number.NaN;
  return hi * 4294967296 + dv.getUint32(p + 4);
}

function bad(v: RecordView, reason: string): 'bad' {
  v.reason = reason;
  return 'bad';
}

/** inspectRecord with the result as an object (and the dispatch request of a message decoded). */
export function checkRecord(
  buf: Buffer,
  pos: number,
  avail: number,
  expectedOffset: number,
  checkCRC: boolean,
  levels: number[],
): RecordCheck {
  const v = checkView;
  const kind = inspectRecord(buf, pos, avail, expectedOffset, checkCRC, v);
  const r: RecordCheck =
    kind === 'message'
      ? { kind, size: v.size, req: v.request(levels) }
      : kind === 'blank'
        ? { kind, size: v.size }
        : kind === 'end'
          ? { kind }
          : { kind: 'bad', reason: v.reason };
  // The view must not keep the caller's buffer (a 1 MiB window) alive.
  v.buf = EMPTY;
  return r;
}
const checkView = new RecordView();
const EMPTY = Buffer.alloc(0);

/** The smallest record: IPv4 hosts, empty body, a 1-byte topic, no properties. */
export const MIN_RECORD_SIZE = recordLength(0, 0, 1, 0);

const PAGE_SIZE = 4096;

/**
 * Whether a record's properties end in zeros that start exactly at a page boundary: the shape a write cut
 * short by a crash leaves (the kernel copies a write page by page; files are zero where nothing was
 * written). Property text has no NUL characters, so a complete record does not end that way.
 */
export function hasTornProperties(rec: Buffer, phyOffset: number): boolean {
  let z = rec.length;
  while (z > 0 && rec[z - 1] === 0) z--;
  if (z === rec.length) return false;
  const propsStart = rec.length - propertiesLength(rec);
  return z >= propsStart && z < rec.length && (phyOffset + z) % PAGE_SIZE === 0;
}

/** PROPLEN of a whole record (the 2 bytes before the properties text). */
function propertiesLength(rec: Buffer): number {
  const sysFlag = rec.readInt32BE(36);
  let p = 48 + (sysFlag & SysFlag.BORNHOST_V6 ? 20 : 8) + 8 + (sysFlag & SysFlag.STOREHOST_V6 ? 20 : 8) + 12;
  p += 4 + rec.readInt32BE(p);
  p += 1 + rec.readInt8(p);
  return rec.readInt16BE(p);
}
