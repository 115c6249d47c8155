import type { SubscriptionData } from '../../protocol/bodies/heartbeat-data.js';
import { subscriptionDataBean } from '../../protocol/bodies/heartbeat-data.js';
import { FastjsonDouble, FastjsonMap, toFastjson } from '../../protocol/fastjson.js';
import { MQ_VERSION } from '../../version.js';
import type { MessageQueue } from '../message-queue.js';
import { plainMq } from '../message-queue.js';
import type { ProcessQueue } from '../process-queue.js';

export interface RunningInfoInput {
  properties: Record<string, string>;
  subscriptions: SubscriptionData[];
  queues: Array<{ mq: MessageQueue; pq: ProcessQueue; commitOffset: number }>;
  /** topic → consume stats. */
  status: Record<
    string,
    { pullTPS: number; consumeOKTPS: number; consumeFailedTPS: number; consumeFailedMsgs: number }
  >;
}

/** ConsumerRunningInfo body (GET_CONSUMER_RUNNING_INFO reply), fastjson form with object-keyed mqTable. */
export function encodeRunningInfo(r: RunningInfoInput): Buffer {
  const mqTable = new FastjsonMap(
    r.queues.map(({ mq, pq, commitOffset }) => {
      const i = pq.info();
      return [
        plainMq(mq),
        {
          cachedMsgCount: i.cachedMsgCount,
          cachedMsgMaxOffset: i.cachedMsgMaxOffset,
          cachedMsgMinOffset: i.cachedMsgMinOffset,
          cachedMsgSizeInMiB: i.cachedMsgSizeInMiB,
          commitOffset,
          droped: pq.dropped,
          lastConsumeTimestamp: pq.lastConsumeTimestamp,
          lastLockTimestamp: pq.lastLockTimestamp,
          lastPullTimestamp: pq.lastPullTimestamp,
          locked: pq.locked,
          transactionMsgCount: 0,
          transactionMsgMaxOffset: 0,
          transactionMsgMinOffset: 0,
          tryUnlockTimes: pq.tryUnlockTimes,
        },
      ];
    }),
  );
  const statusTable: Record<string, unknown> = {};
  for (const [topic, s] of Object.entries(r.status)) {
    statusTable[topic] = {
      consumeFailedMsgs: s.consumeFailedMsgs,
      consumeFailedTPS: new FastjsonDouble(s.consumeFailedTPS),
      consumeOKTPS: new FastjsonDouble(s.consumeOKTPS),
      consumeRT: new FastjsonDouble(0),
      pullRT: new FastjsonDouble(0),
      pullTPS: new FastjsonDouble(s.pullTPS),
    };
  }
  return Buffer.from(
    toFastjson({
      jstack: '',
      mqTable,
      properties: { ...r.properties, PROP_CLIENT_VERSION: `mq-${MQ_VERSION}` },
      statusTable,
      subscriptionSet: r.subscriptions.map(subscriptionDataBean),
    }),
    'utf8',
  );
}
