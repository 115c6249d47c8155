import { ipText } from '../protocol/message/message-id.js';
import { decodeTraceData, RMQ_SYS_TRACE_TOPIC, type TraceType } from '../protocol/message/trace-data.js';
import type { AdminClient } from './admin-client.js';
import { queryAddrs } from './message-ops.js';

/** One trace of a message as queryMsgTraceById shows it (TraceView). */
export interface TraceView {
  msgType: TraceType;
  groupName: string;
  /** Host that sent the trace record (the trace message's born host). */
  clientHost: string;
  timeStamp: number;
  costTime: number;
  status: 'success' | 'failed';
  msgId: string;
  topic?: string;
  tags?: string;
  keys?: string;
  storeHost?: string;
  offsetMsgId?: string;
}

/**
 * `queryMsgTraceById -i MSGID [-t TRACE_TOPIC]`: the trace records of a message, found through the
 * trace topic's index (clients with message trace on send them with the traced ids as keys), up to 64
 * per broker, as DefaultMQAdminExt.queryMessage returns them.
 */
export async function queryMsgTraceById(
  admin: AdminClient,
  msgId: string,
  traceTopic = RMQ_SYS_TRACE_TOPIC,
): Promise<{ msgId: string; traceTopic: string; traces: TraceView[] }> {
  const route = await admin.examineTopicRouteInfo(traceTopic);
  const traces: TraceView[] = [];
  const now = Date.now();
  for (const { addr } of queryAddrs(route)) {
    for (const rec of await admin.queryMessage(addr, traceTopic, msgId, 64, 0, now, false)) {
      for (const ctx of decodeTraceData(rec.body.toString('utf8'))) {
        if (ctx.msgId !== msgId) continue;
        traces.push({
          msgType: ctx.traceType,
          groupName: ctx.groupName,
          clientHost: ipText(rec.bornHost.ip),
          timeStamp: ctx.timeStamp,
          costTime: ctx.costTime,
          status: ctx.success ? 'success' : 'failed',
          msgId: ctx.msgId,
          topic: ctx.topic,
          tags: ctx.tags,
          keys: ctx.keys,
          storeHost: ctx.storeHost,
          offsetMsgId: ctx.offsetMsgId,
        });
      }
    }
  }
  return { msgId, traceTopic, traces };
}
