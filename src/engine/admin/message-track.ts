import { ResponseCode } from '../protocol/response-code.js';
import { type AdminClient, selectBrokerAddr } from './admin-client.js';
import type { AdminError } from './errors.js';
import type { MessageView } from './message-ops.js';

/** Whether a consumer group has consumed a message (Java's TrackType). */
export type TrackType =
  | 'CONSUMED'
  | 'CONSUMED_BUT_FILTERED'
  | 'PULL'
  | 'NOT_CONSUME_YET'
  | 'NOT_ONLINE'
  | 'UNKNOWN';

export interface MessageTrack {
  consumerGroup: string;
  trackType: TrackType;
  /** Why the answer is NOT_ONLINE or UNKNOWN (`CODE:206 DESC:…` for a broker's refusal). */
  exceptionDesc: string | null;
}

/** MessageTrack.toString, as queryMsgById prints it. */
export function messageTrackText(t: MessageTrack): string {
  return `MessageTrack [consumerGroup=${t.consumerGroup}, trackType=${t.trackType}, exceptionDesc=${t.exceptionDesc}]`;
}

/** The groups subscribed to `topic` on any of its brokers. */
async function groupsConsuming(admin: AdminClient, topic: string): Promise<string[]> {
  const route = await admin.examineTopicRouteInfo(topic);
  const groups = new Set<string>();
  for (const bd of route.brokerDatas) {
    const addr = selectBrokerAddr(bd);
    if (addr) for (const g of await admin.queryTopicConsumeByWho(addr, topic)) groups.add(g);
  }
  return [...groups].sort();
}

function describe(e: unknown): string {
  const err = e as AdminError;
  return err.code !== undefined ? `CODE:${err.code} DESC:${err.message}` : String((e as Error).message ?? e);
}

/**
 * For each group consuming the message's topic: consumed (its committed offset on that queue is past the
 * message), consumed but filtered out by its tags, not consumed yet, pulled by a pull consumer (no
 * offsets to judge by), or not online (DefaultMQAdminExt.messageTrackDetail).
 */
export async function messageTrackDetail(admin: AdminClient, m: MessageView): Promise<MessageTrack[]> {
  const out: MessageTrack[] = [];
  for (const group of await groupsConsuming(admin, m.topic)) {
    const track: MessageTrack = { consumerGroup: group, trackType: 'UNKNOWN', exceptionDesc: null };
    out.push(track);
    let cc: Awaited<ReturnType<AdminClient['examineConsumerConnectionInfo']>>;
    try {
      cc = await admin.examineConsumerConnectionInfo(group);
    } catch (e) {
      if ((e as AdminError).code === ResponseCode.CONSUMER_NOT_ONLINE) track.trackType = 'NOT_ONLINE';
      track.exceptionDesc = describe(e);
      continue;
    }
    if (cc.consumeType === 'CONSUME_ACTIVELY') {
      track.trackType = 'PULL';
      continue;
    }
    if (cc.consumeType !== 'CONSUME_PASSIVELY') continue;
    let consumed = false;
    try {
      const stats = await admin.examineConsumeStats(group, m.topic);
      consumed = stats.offsetTable.some(
        ([mq, w]) =>
          mq.topic === m.topic &&
          mq.queueId === m.queueId &&
          mq.brokerName === m.brokerName &&
          w.consumerOffset > m.queueOffset,
      );
    } catch (e) {
      if ((e as AdminError).code === ResponseCode.CONSUMER_NOT_ONLINE) track.trackType = 'NOT_ONLINE';
      track.exceptionDesc = describe(e);
      continue;
    }
    if (!consumed) {
      track.trackType = 'NOT_CONSUME_YET';
      continue;
    }
    track.trackType = 'CONSUMED';
    const sub = cc.subscriptionTable[m.topic];
    const tags = sub?.tagsSet ?? [];
    if (sub && tags.length > 0 && !tags.includes('*') && !(m.tags !== undefined && tags.includes(m.tags)))
      track.trackType = 'CONSUMED_BUT_FILTERED';
  }
  return out;
}
