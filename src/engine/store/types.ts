import type { HostAddress } from '../protocol/message/message-id.js';

/** What the broker hands to putMessage (Java MessageExtBrokerInner, as a plain object). */
export interface MessageExtBrokerInner {
  topic: string;
  queueId: number;
  flag: number;
  body: Buffer;
  /** Decoded properties, or the already-encoded §4.4 string (stored as given). */
  properties: Record<string, string> | string;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: HostAddress;
  storeHost: HostAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /**
   * Optional consume-queue tags code. Normally omitted: the store derives it from TAGS (or the delivery
   * time for SCHEDULE_TOPIC_XXXX) exactly as recovery does when it rebuilds queues from the commit log.
   */
  tagsCode?: number;
}

/** One SEND_BATCH put: each item becomes one record in the same topic-queue, consecutive queue offsets. */
export interface MessageExtBatch {
  topic: string;
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: HostAddress;
  storeHost: HostAddress;
  reconsumeTimes: number;
  /** Items decoded from the §4.5 body; their properties strings already carry batch-level properties. */
  items: { flag: number; body: Buffer; properties: string }[];
}

export type PutMessageStatus =
  | 'PUT_OK'
  | 'FLUSH_DISK_TIMEOUT'
  | 'FLUSH_SLAVE_TIMEOUT'
  | 'SLAVE_NOT_AVAILABLE'
  | 'SERVICE_NOT_AVAILABLE'
  | 'CREATE_MAPEDFILE_FAILED'
  | 'MESSAGE_ILLEGAL'
  | 'PROPERTIES_SIZE_EXCEEDED'
  | 'OS_PAGECACHE_BUSY'
  | 'UNKNOWN_ERROR';

export interface AppendMessageResult {
  /** Physical offset of the (first) record. */
  wroteOffset: number;
  /** Bytes written (all records of a batch). `wroteOffset + wroteBytes` is what an HA slave must reach. */
  wroteBytes: number;
  /** Offset msgId, comma-joined for batches. */
  msgId: string;
  /** Queue offset of the (first) message. */
  queueOffset: number;
  storeTimestamp: number;
  msgNum: number;
}

export interface PutMessageResult {
  status: PutMessageStatus;
  appendResult?: AppendMessageResult;
  remark?: string;
}

export type GetMessageStatus =
  | 'FOUND'
  | 'NO_MATCHED_MESSAGE'
  | 'MESSAGE_WAS_REMOVING'
  | 'OFFSET_FOUND_NULL'
  | 'OFFSET_OVERFLOW_BADLY'
  | 'OFFSET_OVERFLOW_ONE'
  | 'OFFSET_TOO_SMALL'
  | 'NO_MATCHED_LOGIC_QUEUE'
  | 'NO_MESSAGE_IN_QUEUE';

export interface GetMessageResult {
  status: GetMessageStatus;
  /** Raw stored records, as on disk (§4.1); concatenate for a pull body. */
  buffers: Buffer[];
  bufferTotalSize: number;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** True when the pulled data is far behind the head (Java's "suggest pulling from slave"). */
  suggestPullingFromSlave: boolean;
  /** Queue offsets of the returned messages (parallel to buffers). */
  queueOffsets: number[];
  /**
   * Queue offsets [from, to) whose records failed their size/magic check (damaged on disk): not handed
   * out; nextBeginOffset steps past them. Set only when the pull returns nothing else.
   */
  damaged?: { from: number; to: number; phyOffset: number; reason: string };
}

export interface QueryMessageResult {
  buffers: Buffer[];
  phyOffsets: number[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

/** What a committed record contributes to consume queues and the index (Java DispatchRequest). */
export interface DispatchRequest {
  topic: string;
  queueId: number;
  commitLogOffset: number;
  msgSize: number;
  tagsCode: number;
  storeTimestamp: number;
  consumeQueueOffset: number;
  keys: string | undefined;
  uniqKey: string | undefined;
  /**
   * The put path's index hash of `topic#UNIQ_KEY` (topicKeyHash), computed from the encoded bytes, in
   * place of `uniqKey`; -1 or absent: none (the index then hashes `uniqKey` if set).
   */
  uniqKeyHash?: number;
  sysFlag: number;
  preparedTransactionOffset: number;
}

export type MessageArrivingListener = (
  topic: string,
  queueId: number,
  logicOffset: number,
  tagsCode: number,
) => void;
