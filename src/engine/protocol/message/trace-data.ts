/**
 * Message-trace records (RocketMQ 4.9's TraceDataEncoder): the body of a message on the trace topic
 * (RMQ_SYS_TRACE_TOPIC) holds trace contexts, each a list of fields joined by \u0001 and ended by \u0002,
 * with the traced message ids (and keys) as the trace message's KEYS so the index finds them.
 */
export const RMQ_SYS_TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
const CONTENT_SPLITOR = '\u0001';
const FIELD_SPLITOR = '\u0002';

export type TraceType = 'Pub' | 'SubBefore' | 'SubAfter' | 'EndTransaction';

export interface TraceContext {
  traceType: TraceType;
  timeStamp: number;
  groupName: string;
  costTime: number;
  success: boolean;
  /** The traced message's fields (only those the record carries for its type). */
  msgId: string;
  topic?: string;
  tags?: string;
  keys?: string;
  storeHost?: string;
  offsetMsgId?: string;
  requestId?: string;
}

/** Java's String.split: a trailing run of empty strings is dropped. */
function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const int = (s: string | undefined): number => (s === undefined ? 0 : Number.parseInt(s, 10) || 0);
const bool = (s: string | undefined): boolean => s?.toLowerCase() === 'true';

/** TraceDataEncoder.decoderFromTraceDataString: the contexts of one trace message body. */
export function decodeTraceData(data: string): TraceContext[] {
  const out: TraceContext[] = [];
  for (const context of javaSplit(data, FIELD_SPLITOR)) {
    const f = javaSplit(context, CONTENT_SPLITOR);
    switch (f[0]) {
      case 'Pub':
        out.push({
          traceType: 'Pub',
          timeStamp: int(f[1]),
          groupName: f[3] ?? '',
          topic: f[4],
          msgId: f[5] ?? '',
          tags: f[6],
          keys: f[7],
          storeHost: f[8],
          costTime: int(f[10]),
          offsetMsgId: f.length >= 14 ? f[12] : undefined,
          success: bool(f.length === 13 ? f[12] : f[13]),
        });
        break;
      case 'SubBefore':
        out.push({
          traceType: 'SubBefore',
          timeStamp: int(f[1]),
          groupName: f[3] ?? '',
          requestId: f[4],
          msgId: f[5] ?? '',
          keys: f[7],
          costTime: 0,
          success: false,
        });
        break;
      case 'SubAfter':
        out.push({
          traceType: 'SubAfter',
          requestId: f[1],
          msgId: f[2] ?? '',
          costTime: int(f[3]),
          success: bool(f[4]),
          keys: f[5],
          // Older clients (and the cloud channel) leave out the time and group.
          timeStamp: f.length >= 9 ? int(f[7]) : 0,
          groupName: f.length >= 9 ? (f[8] ?? '') : '',
        });
        break;
      case 'EndTransaction':
        out.push({
          traceType: 'EndTransaction',
          timeStamp: int(f[1]),
          groupName: f[3] ?? '',
          topic: f[4],
          msgId: f[5] ?? '',
          tags: f[6],
          keys: f[7],
          storeHost: f[8],
          costTime: 0,
          success: true,
        });
        break;
    }
  }
  return out;
}

/** A trace record to write: the fields TraceDataEncoder.encoderFromContextBean puts in for its type. */
export interface TraceRecord {
  traceType: 'Pub' | 'SubBefore' | 'SubAfter';
  timeStamp: number;
  regionId: string;
  groupName: string;
  msgId: string;
  keys: string;
  costTime: number;
  success: boolean;
  // Pub
  topic?: string;
  tags?: string;
  storeHost?: string;
  bodyLength?: number;
  /** MessageType ordinal: 0 normal, 1 transaction half, 2 transaction commit, 3 delayed. */
  msgType?: number;
  offsetMsgId?: string;
  // SubBefore / SubAfter
  requestId?: string;
  retryTimes?: number;
  /** ConsumeReturnType ordinal: 0 SUCCESS, 1 TIME_OUT, 2 EXCEPTION, 3 RETURNNULL, 4 FAILED. */
  contextCode?: number;
}

/** One record as the Java client writes it (Java prints a missing string as "null"). */
export function encodeTraceRecord(r: TraceRecord): string {
  const s = (v: unknown) => (v === undefined || v === null ? 'null' : String(v));
  let fields: unknown[];
  if (r.traceType === 'Pub') {
    fields = [
      'Pub',
      r.timeStamp,
      r.regionId,
      r.groupName,
      r.topic,
      r.msgId,
      r.tags,
      r.keys,
      r.storeHost,
      r.bodyLength ?? 0,
      r.costTime,
      r.msgType ?? 0,
      r.offsetMsgId,
      r.success,
    ];
  } else if (r.traceType === 'SubBefore') {
    fields = [
      'SubBefore',
      r.timeStamp,
      r.regionId,
      r.groupName,
      r.requestId,
      r.msgId,
      r.retryTimes ?? 0,
      r.keys,
    ];
  } else {
    fields = [
      'SubAfter',
      r.requestId,
      r.msgId,
      r.costTime,
      r.success,
      r.keys,
      r.contextCode ?? 0,
      r.timeStamp,
      r.groupName,
    ];
  }
  return fields.map(s).join(CONTENT_SPLITOR) + FIELD_SPLITOR;
}

/** The trace message's keys for a record: the traced message id and its own keys (space-separated). */
export function traceRecordKeys(r: TraceRecord): string[] {
  return [r.msgId, ...r.keys.split(' ').filter((k) => k.length > 0)];
}
