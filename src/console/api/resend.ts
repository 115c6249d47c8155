// Redelivering a stored message to one consumer group, shared by the Message page (consumeMessageDirectly.do)
// and the DLQ page. With a client of the group online, the dashboard's way: CONSUME_MESSAGE_DIRECTLY through
// the message's broker, and the client answers with its ConsumeMessageDirectlyResult. With none online (or a
// client that does not implement it, as mq's own and ali-ons don't), the message is sent to the group's
// %RETRY% topic, which only that group subscribes to, so the group gets it when a client next runs.
import { RETRY_GROUP_TOPIC_PREFIX } from '../../engine/admin/admin-client.js';
import { AdminError } from '../../engine/admin/errors.js';
import { type MessageView, queryMsgById, queryMsgByUniqueKey } from '../../engine/admin/message-ops.js';
import { Producer } from '../../engine/client/producer/producer.js';
import { parseFastjson } from '../../engine/protocol/fastjson.js';
import { MessageConst } from '../../engine/protocol/message/message-const.js';
import { createRequest } from '../../engine/protocol/remoting-command.js';
import { RequestCode } from '../../engine/protocol/request-code.js';
import { ResponseCode } from '../../engine/protocol/response-code.js';
import { addrOfBrokerName, type ConsoleContext } from '../context.js';

/** A resent copy keeps the application's own properties; the system's (MessageConst) are the broker's. */
const SYSTEM_PROPS = new Set<string>(Object.values(MessageConst));

/** An offset id (read directly), else a client id looked up in `topic`. */
export async function findMessage(ctx: ConsoleContext, topic: string, msgId: string): Promise<MessageView> {
  try {
    const m = (await queryMsgById(ctx.admin, [msgId])).messages[0];
    if (m) return m;
  } catch {
    // not an offset id: a client id, looked up in the topic below
  }
  const m = (await queryMsgByUniqueKey(ctx.admin, topic, msgId)).messages[0];
  if (!m) throw new AdminError(`no message ${msgId} in topic ${topic}`);
  return m;
}

export interface ResendResult {
  msgId: string;
  consumerGroup: string;
  /** CONSUME_MESSAGE_DIRECTLY (a client consumed it) or RETRY_TOPIC (sent to %RETRY%group). */
  via: 'CONSUME_MESSAGE_DIRECTLY' | 'RETRY_TOPIC';
  /** The client's answer: CR_SUCCESS, CR_LATER, CR_ROLLBACK, CR_COMMIT, CR_THROW_EXCEPTION, CR_RETURN_NULL. */
  consumeResult?: string;
  clientId?: string;
  remark?: string;
  spentTimeMills?: number;
  /** For RETRY_TOPIC: the send status and the new message's id. */
  status?: string;
  resentMsgId?: string;
}

/** The dashboard's ConsumeMessageDirectlyResult, from the client's fastjson reply body. */
function decodeDirectResult(body: Buffer | undefined | null): Record<string, unknown> {
  const o = body?.length ? parseFastjson(body.toString('utf8')) : {};
  return o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
}

/** Sends messages to their groups' %RETRY% topics through one short-lived producer. */
export async function withRetryProducer<T>(
  ctx: ConsoleContext,
  fn: (send: (group: string, m: MessageView) => Promise<{ status: string; msgId: string }>) => Promise<T>,
): Promise<T> {
  const producer = new Producer({
    namesrvAddr: ctx.namesrvAddr,
    groupName: `mq_console_resend_${Date.now()}`,
    instanceName: `mq_console_${process.pid}_${Date.now()}`,
    ...ctx.credentials,
  });
  await producer.start();
  try {
    return await fn(async (group, m) => {
      const properties = Object.fromEntries(
        Object.entries(m.properties).filter(([k]) => !SYSTEM_PROPS.has(k)),
      );
      const r = await producer.send({
        topic: RETRY_GROUP_TOPIC_PREFIX + group,
        body: Buffer.from(m.bodyBase64, 'base64'),
        tags: m.tags,
        keys: m.keys,
        properties,
      });
      return { status: r.sendStatus, msgId: r.msgId };
    });
  } finally {
    await producer.shutdown();
  }
}

/** The group's clients connected to the broker that holds the message (none → []). */
async function onlineClients(ctx: ConsoleContext, addr: string, group: string): Promise<string[]> {
  try {
    return (await ctx.admin.getConsumerConnectionList(addr, group)).connectionSet.map((c) => c.clientId);
  } catch (err) {
    if ((err as AdminError).code === ResponseCode.CONSUMER_NOT_ONLINE) return [];
    throw err;
  }
}

/** `/message/consumeMessageDirectly.do`: one message to one group (to `clientId` when given). */
export async function resendToGroup(
  ctx: ConsoleContext,
  m: MessageView,
  group: string,
  clientId?: string,
): Promise<ResendResult> {
  const addr = addrOfBrokerName(await ctx.clusterInfo(), m.brokerName);
  const clients = await onlineClients(ctx, addr, group);
  if (clientId && !clients.includes(clientId))
    throw new AdminError(`client ${clientId} of group ${group} is not online`);
  const base = { msgId: m.msgId, consumerGroup: group };
  for (const target of clientId ? [clientId] : clients) {
    const reply = await ctx.admin.invoke(
      addr,
      `CONSUME_MESSAGE_DIRECTLY ${target}`,
      createRequest(
        RequestCode.CONSUME_MESSAGE_DIRECTLY,
        { consumerGroup: group, clientId: target, msgId: m.offsetMsgId ?? m.msgId, brokerName: m.brokerName },
        null,
      ),
      15_000,
    );
    if (reply.code === ResponseCode.SUCCESS) {
      const r = decodeDirectResult(reply.body);
      return {
        ...base,
        via: 'CONSUME_MESSAGE_DIRECTLY',
        clientId: target,
        consumeResult: String(r.consumeResult ?? ''),
        remark: r.remark === undefined || r.remark === null ? undefined : String(r.remark),
        spentTimeMills: typeof r.spentTimeMills === 'number' ? r.spentTimeMills : undefined,
      };
    }
    // A named client must answer; otherwise a client that cannot (not supported) lets the next one try.
    if (clientId || reply.code !== ResponseCode.REQUEST_CODE_NOT_SUPPORTED)
      throw new AdminError(
        `CONSUME_MESSAGE_DIRECTLY on ${target}: ${reply.remark ?? `code ${reply.code}`}`,
        reply.code,
        addr,
      );
  }
  const sent = await withRetryProducer(ctx, (send) => send(group, m));
  return { ...base, via: 'RETRY_TOPIC', status: sent.status, resentMsgId: sent.msgId };
}
