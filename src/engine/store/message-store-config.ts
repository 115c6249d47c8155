import { homedir } from 'node:os';
import { join } from 'node:path';

/** Store settings with RocketMQ 4.9 MessageStoreConfig field names and defaults. */
export interface MessageStoreConfig {
  storePathRootDir: string;
  /** Defaults to `${storePathRootDir}/commitlog`. */
  storePathCommitLog: string;
  /** Defaults to `${storePathRootDir}/consumequeue`. */
  storePathConsumeQueue: string;
  /** Defaults to `${storePathRootDir}/index`. */
  storePathIndex: string;
  /** Commit-log file size in bytes (1 GiB). broker.conf's old spelling `mapedFileSizeCommitLog` maps here. */
  mappedFileSizeCommitLog: number;
  /**
   * Consume-queue file size in **bytes** as in Java (300,000 × 20 = 6,000,000), rounded up to a multiple
   * of 20. See applyStoreConfigKey for the legacy `mapedFileSizeConsumeQueue` (counted in units).
   */
  mappedFileSizeConsumeQueue: number;
  flushDiskType: 'ASYNC_FLUSH' | 'SYNC_FLUSH';
  brokerRole: 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';
  /** ms a SYNC_FLUSH put waits for its fdatasync before FLUSH_DISK_TIMEOUT. */
  syncFlushTimeout: number;
  /** ms between background fdatasyncs in ASYNC_FLUSH mode. */
  flushIntervalCommitLog: number;
  /** ms between consume-queue / index flushes (and checkpoint updates). */
  flushIntervalConsumeQueue: number;
  /** Hours of the day when expired files are deleted: "04" or "04;16". */
  deleteWhen: string;
  /** Hours a commit-log file is kept after its last modification. */
  fileReservedTime: number;
  /** Percent of disk usage above which files are deleted regardless of age. */
  diskMaxUsedSpaceRatio: number;
  /** Percent above which cleaning is forced (Java's diskSpaceCleanForciblyRatio). */
  diskSpaceCleanForciblyRatio: number;
  /** Percent above which writes are refused (Java's diskSpaceWarningLevelRatio). */
  diskSpaceWarningLevelRatio: number;
  /** ms between retention checks. */
  cleanResourceInterval: number;
  deleteFileBatchMax: number;
  maxMessageSize: number;
  checkCRCOnRecover: boolean;
  /** Include the index checkpoint in the recovery start point (rebuild more, lose no index keys). */
  messageIndexSafe: boolean;
  messageIndexEnable: boolean;
  maxHashSlotNum: number;
  maxIndexNum: number;
  /**
   * Index slot values kept in memory between flushes (ours, not Java's: Java maps the file). Past it they
   * are written to the page cache at once; the slot table itself is never held in memory.
   */
  maxIndexDirtySlots: number;
  defaultQueryMaxNum: number;
  maxTransferBytesOnMessageInMemory: number;
  maxTransferCountOnMessageInMemory: number;
  maxTransferBytesOnMessageInDisk: number;
  maxTransferCountOnMessageInDisk: number;
  accessMessageInMemoryMaxRatio: number;
  /** Commit-log files checked by a normal (clean shutdown) recovery, from the end. */
  normalRecoverFiles: number;
  messageDelayLevel: string;
  haListenPort: number;
  haSendHeartbeatInterval: number;
  haHousekeepingInterval: number;
  haTransferBatchSize: number;
  haMasterAddress: string | null;
  haSlaveFallbehindMax: number;
  offsetCheckInSlave: boolean;
  duplicationEnable: boolean;
  cleanFileForciblyEnable: boolean;
  /** Upper bound of bytes accumulated in the write buffer before new puts wait (back-pressure). */
  maxWriteBatchBytes: number;
  /**
   * SYNC_FLUSH only: bytes of the commit-log file kept zero-filled ahead of its write end, so the group
   * commit's fdatasync overwrites allocated blocks instead of allocating (0: off). mq's own.
   */
  commitLogZeroAhead: number;
}

export function defaultMessageStoreConfig(overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  const root = overrides.storePathRootDir ?? join(homedir(), 'store');
  const c: MessageStoreConfig = {
    storePathRootDir: root,
    storePathCommitLog: join(root, 'commitlog'),
    storePathConsumeQueue: join(root, 'consumequeue'),
    storePathIndex: join(root, 'index'),
    mappedFileSizeCommitLog: 1024 * 1024 * 1024,
    mappedFileSizeConsumeQueue: 300000 * 20,
    flushDiskType: 'ASYNC_FLUSH',
    brokerRole: 'ASYNC_MASTER',
    syncFlushTimeout: 5000,
    flushIntervalCommitLog: 500,
    flushIntervalConsumeQueue: 1000,
    deleteWhen: '04',
    fileReservedTime: 72,
    diskMaxUsedSpaceRatio: 75,
    diskSpaceCleanForciblyRatio: 85,
    diskSpaceWarningLevelRatio: 90,
    cleanResourceInterval: 10000,
    deleteFileBatchMax: 10,
    maxMessageSize: 4 * 1024 * 1024,
    checkCRCOnRecover: true,
    messageIndexSafe: false,
    messageIndexEnable: true,
    maxHashSlotNum: 5000000,
    maxIndexNum: 5000000 * 4,
    maxIndexDirtySlots: 65536,
    defaultQueryMaxNum: 32,
    maxTransferBytesOnMessageInMemory: 256 * 1024,
    maxTransferCountOnMessageInMemory: 32,
    maxTransferBytesOnMessageInDisk: 64 * 1024,
    maxTransferCountOnMessageInDisk: 8,
    accessMessageInMemoryMaxRatio: 40,
    normalRecoverFiles: 3,
    messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
    haListenPort: 10912,
    haSendHeartbeatInterval: 5000,
    haHousekeepingInterval: 20000,
    haTransferBatchSize: 32 * 1024,
    haMasterAddress: null,
    haSlaveFallbehindMax: 256 * 1024 * 1024,
    offsetCheckInSlave: false,
    duplicationEnable: false,
    cleanFileForciblyEnable: true,
    maxWriteBatchBytes: 64 * 1024 * 1024,
    commitLogZeroAhead: 16 * 1024 * 1024,
  };
  Object.assign(c, overrides);
  if (!overrides.storePathCommitLog) c.storePathCommitLog = join(c.storePathRootDir, 'commitlog');
  if (!overrides.storePathConsumeQueue) c.storePathConsumeQueue = join(c.storePathRootDir, 'consumequeue');
  if (!overrides.storePathIndex) c.storePathIndex = join(c.storePathRootDir, 'index');
  c.mappedFileSizeConsumeQueue = Math.ceil(c.mappedFileSizeConsumeQueue / 20) * 20;
  return c;
}

/**
 * Map one broker.conf key/value onto the config (unknown keys return false). Legacy spellings:
 * `mapedFileSizeCommitLog` = mappedFileSizeCommitLog (bytes); `mapedFileSizeConsumeQueue` is read as a
 * number of 20-byte units (the broker.conf comment's meaning; Java 4.9 ignores that spelling and uses its
 * 6,000,000-byte default, which 300000 units reproduces).
 */
export function applyStoreConfigKey(c: MessageStoreConfig, key: string, raw: string): boolean {
  const value = raw.trim();
  if (key === 'mapedFileSizeCommitLog') key = 'mappedFileSizeCommitLog';
  if (key === 'mapedFileSizeConsumeQueue') {
    c.mappedFileSizeConsumeQueue = Number(value) * 20;
    return true;
  }
  if (!(key in c)) return false;
  const rec = c as unknown as Record<string, unknown>;
  const cur = rec[key];
  if (typeof cur === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`${key}: not a number: ${raw}`);
    rec[key] = n;
  } else if (typeof cur === 'boolean') {
    if (value !== 'true' && value !== 'false') throw new Error(`${key}: not a boolean: ${raw}`);
    rec[key] = value === 'true';
  } else {
    rec[key] = value;
  }
  if (key === 'storePathRootDir') {
    c.storePathCommitLog = join(value, 'commitlog');
    c.storePathConsumeQueue = join(value, 'consumequeue');
    c.storePathIndex = join(value, 'index');
  }
  if (key === 'mappedFileSizeConsumeQueue') c.mappedFileSizeConsumeQueue = Math.ceil(Number(value) / 20) * 20;
  return true;
}
