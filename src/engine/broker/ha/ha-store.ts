import type { MessageStoreConfig } from '../../store/message-store-config.js';
import type { MessageArrivingListener } from '../../store/types.js';

/**
 * The slice of MessageStore that replication uses. Results may be plain values or promises, so the HA
 * code runs against either flavour of store method.
 */
export interface HAStore {
  /** Offset just past the last byte of the commit log. */
  getMaxPhyOffset(): number;
  /**
   * Raw commit-log bytes from `offset`, at most `maxBytes`, never crossing a commit-log file; null or
   * empty when nothing is there yet (master side).
   */
  getCommitLogData(
    offset: number,
    maxBytes: number,
  ): Buffer | null | undefined | Promise<Buffer | null | undefined>;
  /**
   * Appends raw commit-log bytes that start exactly at `startOffset` and dispatches them into consume
   * queues and the index (slave side). False when refused (offset mismatch, store closed).
   */
  appendToCommitLog(startOffset: number, data: Buffer): boolean | Promise<boolean>;
  /**
   * Optional new-message event (the store's dispatch). The master streams on it, because a put may be
   * acknowledged before its bytes are readable and the put path's own wake-up can come too early.
   */
  onMessageArrive?(listener: MessageArrivingListener): void;
}

/** The store settings replication reads (Java MessageStoreConfig names). */
export type HAConfig = Pick<
  MessageStoreConfig,
  | 'brokerRole'
  | 'haListenPort'
  | 'haSendHeartbeatInterval'
  | 'haHousekeepingInterval'
  | 'haTransferBatchSize'
  | 'haSlaveFallbehindMax'
  | 'haMasterAddress'
  | 'mappedFileSizeCommitLog'
  | 'syncFlushTimeout'
>;

/** Outcome of a SYNC_MASTER put waiting for its slave (Java PutMessageStatus values). */
export type SlaveWaitStatus = 'PUT_OK' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

export function isThenable<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}
