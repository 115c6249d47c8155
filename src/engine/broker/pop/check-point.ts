// The records the broker keeps in the revive topic (rmq_sys_REVIVE_LOG_{cluster}), one message each, as
// RocketMQ 5.x's PopCheckPoint / AckMsg / BatchAckMsg with their short JSON names. Tag `ck`: a pop leased
// these queue offsets; `ack` / `bAck`: these offsets are settled (acked, or revived to the retry topic / DLQ).

export const CK_TAG = 'ck';
export const ACK_TAG = 'ack';
export const BATCH_ACK_TAG = 'bAck';

/** A pop's lease of some messages of one queue (PopCheckPoint). */
export interface CheckPoint {
  /** Queue offset the pop started at (startOffset: the receipt's ckQueueOffset). */
  so: number;
  /** The leased queue offsets minus `so` (queueOffsetDiff). */
  d: number[];
  /** popTime, invisibleTime (ms). */
  pt: number;
  it: number;
  /** Group, the topic read (normal or pop retry), queue, revive queue, broker. */
  c: string;
  t: string;
  q: number;
  rq: number;
  bn: string;
}

/** Acked offsets of one check point (AckMsg / BatchAckMsg: `ao` one, `aol` several). */
export interface AckRecord {
  so: number;
  aol: number[];
  pt: number;
  c: string;
  t: string;
  q: number;
  rq: number;
  bn: string;
}

/** Identity of a check point: what an ack names (group, topic read, queue, start offset, pop time). */
export function ckKey(c: string, t: string, q: number, so: number, pt: number): string {
  return `${c}@${t}@${q}@${so}@${pt}`;
}

export function encodeCheckPoint(ck: CheckPoint): Buffer {
  return Buffer.from(JSON.stringify(ck));
}

export function encodeAck(a: AckRecord): Buffer {
  const { aol, ...rest } = a;
  return Buffer.from(JSON.stringify(aol.length === 1 ? { ...rest, ao: aol[0] } : { ...rest, aol }));
}

/** Throws when the body is not a record of this kind (a damaged or foreign revive message). */
export function decodeCheckPoint(body: Buffer): CheckPoint {
  const o = JSON.parse(body.toString('utf8')) as CheckPoint;
  if (typeof o.so !== 'number' || !Array.isArray(o.d) || typeof o.c !== 'string' || typeof o.t !== 'string')
    throw new Error('not a pop check point');
  return o;
}

export function decodeAck(body: Buffer): AckRecord {
  const o = JSON.parse(body.toString('utf8')) as AckRecord & { ao?: number };
  if (typeof o.so !== 'number' || typeof o.c !== 'string' || typeof o.t !== 'string')
    throw new Error('not a pop ack');
  const aol = Array.isArray(o.aol) ? o.aol : typeof o.ao === 'number' ? [o.ao] : [];
  return { so: o.so, aol, pt: o.pt, c: o.c, t: o.t, q: o.q, rq: o.rq, bn: o.bn };
}
