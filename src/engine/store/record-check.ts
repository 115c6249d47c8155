import { crc32 } from 'node:zlib';
import { readInt64OrNaN } from '../protocol/message/int64.js';
import { tagsString2Code } from '../protocol/message/java-hash.js';
import { MessageConst, SCHEDULE_TOPIC } from '../protocol/message/message-const.js';
import { getPropertyFromString } from '../protocol/message/properties.js';
import { BLANK_MAGIC_CODE, MESSAGE_MAGIC_CODE, recordLength } from '../protocol/message/record.js';
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

/**
 * Validate the record at buf[pos] (CommitLog.checkMessageAndReturnSize): magic, the length implied by the
 * field lengths, PHYSICALOFFSET against its position, and optionally the body CRC. `avail` is how many
 * bytes of buf from pos belong to the file. Every field is untrusted (a damaged sector, a torn write,
 * garbage): a length, offset or timestamp out of range makes the record 'bad', nothing here throws.
 */
export function checkRecord(
  buf: Buffer,
  pos: number,
  avail: number,
  expectedOffset: number,
  checkCRC: boolean,
  levels: number[],
): RecordCheck {
  if (avail < 8) {
    for (let i = 0; i < avail; i++) if (buf[pos + i] !== 0) return { kind: 'bad', reason: 'short' };
    return { kind: 'end' };
  }
  const totalSize = buf.readInt32BE(pos);
  const magic = buf.readInt32BE(pos + 4);
  if (totalSize === 0 && magic === 0) return { kind: 'end' };
  if (magic === BLANK_MAGIC_CODE)
    return totalSize > 0 && totalSize <= avail
      ? { kind: 'blank', size: totalSize }
      : { kind: 'bad', reason: `blank marker size ${totalSize}` };
  if (magic !== MESSAGE_MAGIC_CODE) return { kind: 'bad', reason: 'magic code' };
  if (totalSize < MIN_RECORD_SIZE || totalSize > avail)
    return { kind: 'bad', reason: `total size ${totalSize}` };
  const end = pos + totalSize;
  const sysFlag = buf.readInt32BE(pos + 36);
  const bornHostLen = sysFlag & SysFlag.BORNHOST_V6 ? 20 : 8;
  const storeHostLen = sysFlag & SysFlag.STOREHOST_V6 ? 20 : 8;
  let p = pos + 48 + bornHostLen;
  // Up to and including BODYLEN.
  if (p + 8 + storeHostLen + 4 + 8 + 4 > end) return { kind: 'bad', reason: 'header longer than record' };
  const storeTimestamp = readInt64OrNaN(buf, p);
  if (!(storeTimestamp >= 0)) return { kind: 'bad', reason: 'store timestamp' };
  p += 8 + storeHostLen + 4;
  const preparedTransactionOffset = readInt64OrNaN(buf, p);
  if (Number.isNaN(preparedTransactionOffset)) return { kind: 'bad', reason: 'prepared transaction offset' };
  p += 8;
  const bodyLen = buf.readInt32BE(p);
  p += 4;
  // Body, TOPICLEN (1) and PROPLEN (2) must fit.
  if (bodyLen < 0 || p + bodyLen + 3 > end) return { kind: 'bad', reason: `body length ${bodyLen}` };
  if (checkCRC && (crc32(buf.subarray(p, p + bodyLen)) & 0x7fffffff) !== buf.readInt32BE(pos + 8)) {
    return { kind: 'bad', reason: 'body crc' };
  }
  p += bodyLen;
  const topicLen = buf.readInt8(p);
  if (topicLen <= 0 || p + 1 + topicLen + 2 > end) return { kind: 'bad', reason: `topic length ${topicLen}` };
  const topic = buf.toString('utf8', p + 1, p + 1 + topicLen);
  p += 1 + topicLen;
  const propsLen = buf.readInt16BE(p);
  if (propsLen < 0 || recordLength(sysFlag, bodyLen, topicLen, propsLen) !== totalSize) {
    return { kind: 'bad', reason: 'length mismatch' };
  }
  const commitLogOffset = readInt64OrNaN(buf, pos + 28);
  // A record copied from elsewhere (or stale bytes) carries another offset: not ours.
  if (commitLogOffset !== expectedOffset) return { kind: 'bad', reason: 'physical offset' };
  const queueId = buf.readInt32BE(pos + 12);
  const consumeQueueOffset = readInt64OrNaN(buf, pos + 20);
  if (queueId < 0 || !(consumeQueueOffset >= 0)) return { kind: 'bad', reason: 'queue id or offset' };
  const props = propsLen > 0 ? buf.toString('utf8', p + 2, p + 2 + propsLen) : '';
  return {
    kind: 'message',
    size: totalSize,
    req: {
      topic,
      queueId,
      commitLogOffset,
      msgSize: totalSize,
      tagsCode: tagsCodeOf(topic, props, storeTimestamp, levels),
      storeTimestamp,
      consumeQueueOffset,
      keys: getPropertyFromString(props, MessageConst.KEYS),
      uniqKey: getPropertyFromString(props, MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX),
      sysFlag,
      preparedTransactionOffset,
    },
  };
}

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
