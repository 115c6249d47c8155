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
