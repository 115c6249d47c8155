import { createRequest, extInt, extLongNum, extStr, type RemotingCommand } from '../remoting-command.js';
import { RequestCode } from '../request-code.js';

// ACK_MESSAGE (200051) and BATCH_ACK_MESSAGE (200151) of RocketMQ 5.x.

/** AckMessageRequestHeader. */
export interface AckMessageRequestHeader {
  consumerGroup: string;
  /** The topic the message was sent to (not the pop retry topic: extraInfo says which). */
  topic: string;
  queueId: number;
  /** The message's POP_CK receipt. */
  extraInfo: string;
  /** The message's queue offset. */
  offset: number;
  brokerName?: string;
}

export function buildAckMessageRequest(h: AckMessageRequestHeader): RemotingCommand {
  return createRequest(RequestCode.ACK_MESSAGE, {
    consumerGroup: h.consumerGroup,
    topic: h.topic,
    queueId: h.queueId,
    extraInfo: h.extraInfo,
    offset: h.offset,
    bname: h.brokerName,
  });
}

export function decodeAckMessageHeader(cmd: RemotingCommand): AckMessageRequestHeader {
  return {
    consumerGroup: extStr(cmd, 'consumerGroup'),
    topic: extStr(cmd, 'topic'),
    queueId: extInt(cmd, 'queueId'),
    extraInfo: extStr(cmd, 'extraInfo'),
    offset: extLongNum(cmd, 'offset'),
    brokerName: extStr(cmd, 'bname', false),
  };
}

/** One check point's acks in a BATCH_ACK_MESSAGE body (BatchAck.java, its short JSON names). */
export interface BatchAck {
  consumerGroup: string;
  topic: string;
  /** "0" normal, "1" pop retry V1, "2" V2 (the receipt's topic kind). */
  retry: string;
  startOffset: number;
  queueId: number;
  reviveQueueId: number;
  popTime: number;
  invisibleTime: number;
  /** Acked queue offsets minus startOffset. */
  bits: number[];
}

/** java.util.BitSet.toByteArray (little-endian bits), as fastjson writes byte[]: base64. */
function bitsToBase64(bits: readonly number[]): string {
  const max = bits.length ? Math.max(...bits) : -1;
  const bytes = Buffer.alloc(max < 0 ? 0 : (max >> 3) + 1);
  for (const b of bits) bytes[b >> 3]! |= 1 << (b & 7);
  return bytes.toString('base64');
}

function base64ToBits(s: string): number[] {
  const bytes = Buffer.from(s, 'base64');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++)
    for (let j = 0; j < 8; j++) if (bytes[i]! & (1 << j)) out.push(i * 8 + j);
  return out;
}

/** BatchAckMessageRequestBody as JSON. */
export function encodeBatchAckBody(brokerName: string, acks: readonly BatchAck[]): Buffer {
  const body = {
    acks: acks.map((a) => ({
      b: bitsToBase64(a.bits),
      c: a.consumerGroup,
      it: a.invisibleTime,
      pt: a.popTime,
      q: a.queueId,
      r: a.retry,
      rq: a.reviveQueueId,
      so: a.startOffset,
      t: a.topic,
    })),
    brokerName,
  };
  return Buffer.from(JSON.stringify(body));
}

type Json = Record<string, unknown>;
const pick = (o: Json, short: string, long: string): unknown => o[short] ?? o[long];

/** Throws naming what is missing when the body is not a BatchAckMessageRequestBody. */
export function decodeBatchAckBody(body: Buffer): { brokerName?: string; acks: BatchAck[] } {
  const j = JSON.parse(body.toString('utf8')) as Json;
  if (!Array.isArray(j.acks)) throw new Error('batch ack body has no acks list');
  const acks = (j.acks as Json[]).map((a, i) => {
    const num = (s: string, l: string): number => {
      const v = Number(pick(a, s, l));
      if (!Number.isFinite(v)) throw new Error(`batch ack ${i}: ${l} is missing or not a number`);
      return v;
    };
    const str = (s: string, l: string): string => {
      const v = pick(a, s, l);
      if (typeof v !== 'string') throw new Error(`batch ack ${i}: ${l} is missing`);
      return v;
    };
    const b = pick(a, 'b', 'bitSet');
    return {
      consumerGroup: str('c', 'consumerGroup'),
      topic: str('t', 'topic'),
      retry: str('r', 'retry'),
      startOffset: num('so', 'startOffset'),
      queueId: num('q', 'queueId'),
      reviveQueueId: num('rq', 'reviveQueueId'),
      popTime: num('pt', 'popTime'),
      invisibleTime: num('it', 'invisibleTime'),
      bits: typeof b === 'string' ? base64ToBits(b) : [],
    };
  });
  return { brokerName: typeof j.brokerName === 'string' ? j.brokerName : undefined, acks };
}

export function buildBatchAckRequest(brokerName: string, acks: readonly BatchAck[]): RemotingCommand {
  return createRequest(RequestCode.BATCH_ACK_MESSAGE, undefined, encodeBatchAckBody(brokerName, acks));
}
