import type { DecodedRecord } from '../protocol/message/record.js';
import type { MessageExtBrokerInner } from '../store/types.js';

/** What changes when a stored record is put again under another topic/queue. */
export type ReputChanges = Pick<
  MessageExtBrokerInner,
  'topic' | 'queueId' | 'properties' | 'reconsumeTimes' | 'preparedTransactionOffset'
> &
  Partial<Pick<MessageExtBrokerInner, 'sysFlag'>>;

/**
 * A stored record as a new message to put (retry/DLQ send-back, delay delivery, transaction commit): flag,
 * body, born time and hosts carried over. Body and host addresses are copied, since the record is a view
 * into a read buffer that the store may reuse.
 */
export function reputRecord(rec: DecodedRecord, to: ReputChanges): MessageExtBrokerInner {
  return {
    topic: to.topic,
    queueId: to.queueId,
    flag: rec.flag,
    body: Buffer.from(rec.body),
    properties: to.properties,
    sysFlag: to.sysFlag ?? rec.sysFlag,
    bornTimestamp: rec.bornTimestamp,
    bornHost: { ip: Buffer.from(rec.bornHost.ip), port: rec.bornHost.port },
    storeHost: { ip: Buffer.from(rec.storeHost.ip), port: rec.storeHost.port },
    reconsumeTimes: to.reconsumeTimes,
    preparedTransactionOffset: to.preparedTransactionOffset,
  };
}
