import type {
  GetMessageResult,
  MessageArrivingListener,
  MessageExtBatch,
  MessageExtBrokerInner,
  PutMessageResult,
  QueryMessageResult,
} from '../store/types.js';

/** Consume-queue filter: true when an entry with this tags code may be delivered. */
export type TagsCodeFilter = (tagsCode: number) => boolean;

/**
 * What the broker needs from the message store. The store module's MessageStore satisfies it; keeping
 * the broker on this narrow surface lets HA/slave variants and tests plug in other stores.
 */
export interface BrokerStore {
  start(): Promise<void>;
  shutdown(): Promise<void>;
  /** `waitFlush` false: answer once written even under SYNC_FLUSH (WAIT=false). */
  putMessage(msg: MessageExtBrokerInner, waitFlush?: boolean): Promise<PutMessageResult>;
  putMessages(batch: MessageExtBatch, waitFlush?: boolean): Promise<PutMessageResult>;
  getMessage(
    topic: string,
    queueId: number,
    offset: number,
    maxMsgNums: number,
    filter?: TagsCodeFilter,
    recordFilter?: (record: Buffer) => boolean,
  ): Promise<GetMessageResult> | GetMessageResult;
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number): number;
  /** Store time of the message at a queue offset, or -1. */
  getMessageStoreTimeStamp(topic: string, queueId: number, offset: number): number;
  getEarliestMessageTime(topic: string, queueId: number): number;
  /** The raw record at a commit-log offset, or undefined. */
  lookMessageByOffset(phyOffset: number): Buffer | null | undefined;
  queryMessage(
    topic: string,
    key: string,
    maxNum: number,
    begin: number,
    end: number,
  ): QueryMessageResult | Promise<QueryMessageResult>;
  getMaxPhyOffset(): number;
  /** Called by the reput/dispatch path for every new consume-queue entry (long polling wake-up). */
  onMessageArrive(l: MessageArrivingListener): void;
  deleteTopics(topics: Iterable<string>): number;
  /** Disk usage and put/get totals for GET_BROKER_RUNTIME_INFO. */
  getRuntimeStats(): {
    diskUsedRatio: number;
    /** Why sends are refused, for an operator (MessageStore fills these; other stores may not). */
    diskStatus?: string;
    storeWriteable?: boolean;
    storeNotWriteableReason?: string;
    diskLastEvent?: string;
    commitLogMinOffset: number;
    commitLogMaxOffset: number;
    putMessageTimesTotal: number;
    putMessageSizeTotal: number;
    putMessageFailedTimes: number;
    /** Bytes written but not yet flushed = commitLogMaxOffset - this (remainHowManyDataToFlush). */
    commitLogFlushedOffset?: number;
    /** SYNC_FLUSH group-commit sizes, for an operator (MessageStore fills it). */
    groupCommitSizes?: string;
  };
  /** CLEAN_UNUSED_TOPIC: drop consume queues of topics not in use; returns the topics dropped. */
  cleanUnusedTopic?(inUse: (topic: string) => boolean): string[];
  /** CLEAN_EXPIRED_CONSUMEQUEUE: destroy queues whose messages are all gone; returns "topic@queueId"s. */
  cleanExpiredConsumerQueue?(): Promise<string[]>;
  /** DELETE_EXPIRED_COMMITLOG: a retention pass now (expired files only); returns files deleted. */
  deleteExpiredCommitLogNow?(): Promise<number>;
  /** QUERY_CONSUME_QUEUE: raw 20-byte entries from `index`, or null when the index is outside the queue. */
  readConsumeQueue?(topic: string, queueId: number, index: number, count: number): Buffer | null;
  /** What recovery at start checked, repaired, rebuilt and skipped (one line: summary()). */
  recoveryReport?: { summary(): string };
  /** Flush consume queues and write the checkpoint (also done by shutdown). */
  flushLogicsAndCheckpoint?(): Promise<void>;
}
