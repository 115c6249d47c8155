export { CommitLog } from './commit-log.js';
export { ConfigFile, storeConfigPaths } from './config-file.js';
export { ConsumeQueue, CQ_STORE_UNIT_SIZE } from './consume-queue.js';
export { offset2FileName } from './data-file.js';
export { indexFileName } from './index-file.js';
export { MessageStore, type MessageStoreOptions, type StoreStats } from './message-store.js';
export {
  applyStoreConfigKey,
  defaultMessageStoreConfig,
  type MessageStoreConfig,
} from './message-store-config.js';
export { computeDeliverTimestamp, parseDelayLevels } from './record-check.js';
export { isDeleteHour, statfsUsage } from './retention.js';
export * from './types.js';
