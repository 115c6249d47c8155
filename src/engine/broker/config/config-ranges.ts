// Values that parse but would make every send (or the store itself) fail: refused at start, with the key
// and line, instead of surfacing later as one failed send after another.

/** Smallest commit-log file accepted: one page. Anything smaller holds no real record with its properties. */
export const MIN_COMMIT_LOG_FILE = 4096;
/** Smallest maxMessageSize accepted: a stored record's fixed header, topic and usual properties exceed this. */
export const MIN_MAX_MESSAGE_SIZE = 1024;

interface Range {
  min: number;
  /** Why the minimum exists (shown after the expected range). */
  why: string;
}

/** Lower bounds of numeric keys, checked against the key's target (an alias is checked as its target). */
export const KEY_RANGES: Readonly<Record<string, Range>> = {
  mappedFileSizeCommitLog: {
    min: MIN_COMMIT_LOG_FILE,
    why: 'a commit-log file must hold whole records (default 1073741824)',
  },
  maxMessageSize: { min: MIN_MAX_MESSAGE_SIZE, why: 'every stored record would exceed it (default 4194304)' },
  mappedFileSizeConsumeQueue: { min: 20, why: 'a consume-queue file must hold one 20-byte entry' },
  mapedFileSizeConsumeQueue: { min: 1, why: 'a consume-queue file must hold one entry' },
  maxHashSlotNum: { min: 1, why: 'the index needs at least one hash slot' },
  maxIndexNum: { min: 1, why: 'the index needs room for one key' },
  maxIndexDirtySlots: { min: 0, why: 'index slot values held in memory between flushes' },
  flushIntervalCommitLog: { min: 1, why: 'milliseconds between flushes' },
  flushIntervalConsumeQueue: { min: 1, why: 'milliseconds between flushes' },
  cleanResourceInterval: { min: 1, why: 'milliseconds between disk checks' },
  syncFlushTimeout: { min: 1, why: 'every SYNC_FLUSH send would time out' },
  splitRegistrationSize: { min: 1, why: 'topics in each part of a split registration' },
  fileReservedTime: { min: 0, why: 'hours a commit-log file is kept' },
  maxTransferCountOnMessageInMemory: { min: 1, why: 'messages per pull' },
  maxTransferCountOnMessageInDisk: { min: 1, why: 'messages per pull' },
  maxTransferBytesOnMessageInMemory: { min: 1, why: 'bytes per pull' },
  maxTransferBytesOnMessageInDisk: { min: 1, why: 'bytes per pull' },
  haTransferBatchSize: { min: 1, why: 'bytes per replication batch' },
  defaultTopicQueueNums: { min: 1, why: 'an auto-created topic needs a queue' },
  defaultReadQueueNums: { min: 1, why: 'an auto-created topic needs a queue' },
  defaultWriteQueueNums: { min: 1, why: 'an auto-created topic needs a queue' },
  diskSpaceWarningLevelRatio: { min: 10, why: 'writes are refused above it' },
};

/** The detail of a BrokerConfigError when `value` is out of range for `target`, else undefined. */
export function rangeProblem(target: string, value: unknown): string | undefined {
  const r = KEY_RANGES[target];
  if (!r || typeof value !== 'number' || value >= r.min) return undefined;
  return `= ${value} is too small (expected at least ${r.min}: ${r.why})`;
}

/** Keys whose value mq cannot honour: setting them is refused rather than silently ignored. */
export function unsupportedProblem(target: string, value: unknown): string | undefined {
  if (target === 'enableDLegerCommitLog' && value === true) {
    return '= true is not supported: mq has no DLedger commit log yet (remove the key or set it to false)';
  }
  return undefined;
}
