// /dlqMessage/* (DlqMessageController) and /messageTrace/* (MessageTraceController).
// A dead letter is resent to the group's %RETRY% topic, which only that group's consumers subscribe to:
// the dashboard asks an online client to consume it directly (CONSUME_MESSAGE_DIRECTLY); this delivers
// through the broker instead, so the group gets it even when no client is online at that moment.
import { DLQ_GROUP_TOPIC_PREFIX } from '../../engine/admin/admin-client.js';
import { AdminError } from '../../engine/admin/errors.js';
import { type MessageView, printMsg } from '../../engine/admin/message-ops.js';
import { queryMsgTraceById } from '../../engine/admin/trace-ops.js';
import type { ConsoleContext } from '../context.js';
import { BadRequest } from '../envelope.js';
import { type ApiRequest, jsonBody, optParam, param, type Route } from '../http.js';
import { numberOf, stringOf } from './body-fields.js';
import { findMessage, withRetryProducer } from './resend.js';

/** The dashboard's List<DlqMessageRequest> body: [{msgId, consumerGroup}, …]. */
function deadLetterList(req: ApiRequest): Array<{ msgId: string; group: string }> {
  if (!Array.isArray(req.body) || req.body.length === 0)
    throw new BadRequest('expected a JSON list of {msgId, consumerGroup}');
  return (req.body as unknown[]).map((x) => {
    if (!x || typeof x !== 'object') throw new BadRequest('each entry must be {msgId, consumerGroup}');
    const o = x as Record<string, unknown>;
    return { msgId: stringOf(o, 'msgId'), group: stringOf(o, 'consumerGroup') };
  });
}

/** The export file name: dlq_<group>_<UTC time>.json (the dashboard's is an .xlsx per group). */
function exportName(groups: string[]): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `dlq_${[...new Set(groups)].join('+')}_${stamp}.json`;
}

export function dlqRoutes(ctx: ConsoleContext): Route[] {
  // Each dead letter as `mq queryMsgById --json` has it (body as text and base64, every property).
  const exportOf = async (items: Array<{ msgId: string; group: string }>) => {
    const out: Array<MessageView & { consumerGroup: string }> = [];
    for (const { msgId, group } of items) {
      const m = await findMessage(ctx, DLQ_GROUP_TOPIC_PREFIX + group, msgId);
      if (m.topic !== DLQ_GROUP_TOPIC_PREFIX + group)
        throw new AdminError(`${msgId} is not a dead letter of ${group} (it is in ${m.topic})`);
      out.push({ consumerGroup: group, ...m });
    }
    return {
      contentType: 'application/json; charset=utf-8',
      body: `${JSON.stringify(out, null, 2)}\n`,
      fileName: exportName(items.map((i) => i.group)),
    };
  };

  return [
    {
      method: 'POST',
      path: '/dlqMessage/queryDlqMessageByConsumerGroup.query',
      handler: async (req) => {
        const b = jsonBody(req);
        const group = stringOf(b, 'consumerGroup');
        const begin = numberOf(b, 'begin', 0);
        const end = numberOf(b, 'end', Date.now());
        if (end < begin) throw new BadRequest(`end (${end}) is before begin (${begin})`);
        // `mq printMsg -t %DLQ%GROUP -b BEGIN -e END --json`
        return printMsg(ctx.admin, {
          topic: DLQ_GROUP_TOPIC_PREFIX + group,
          begin,
          end,
          limitPerQueue: 2000,
        });
      },
    },
    {
      method: 'POST',
      path: '/dlqMessage/batchResendDlqMessage.do',
      handler: async (req) => {
        const items = deadLetterList(req);
        const out: Array<{
          msgId: string;
          consumerGroup: string;
          status: string;
          resentMsgId?: string;
          error?: string;
        }> = [];
        await withRetryProducer(ctx, async (send) => {
          for (const { msgId, group } of items) {
            try {
              const m = await findMessage(ctx, DLQ_GROUP_TOPIC_PREFIX + group, msgId);
              const r = await send(group, m);
              out.push({ msgId, consumerGroup: group, status: r.status, resentMsgId: r.msgId });
            } catch (err) {
              out.push({ msgId, consumerGroup: group, status: 'FAILED', error: (err as Error).message });
            }
          }
        });
        return out;
      },
    },
    {
      method: 'GET',
      path: '/dlqMessage/exportDlqMessage.do',
      handler: async () => null,
      raw: (req) => exportOf([{ msgId: param(req, 'msgId'), group: param(req, 'consumerGroup') }]),
    },
    {
      method: 'POST',
      path: '/dlqMessage/batchExportDlqMessage.do',
      readOnly: true,
      handler: async () => null,
      raw: (req) => exportOf(deadLetterList(req)),
    },
    {
      method: 'GET',
      path: '/messageTrace/viewMessageTraceDetail.query',
      // `mq queryMsgTraceById -i MSGID [-t TRACE_TOPIC] --json`
      handler: (req) => queryMsgTraceById(ctx.admin, param(req, 'msgId'), optParam(req, 'traceTopic')),
    },
  ];
}
