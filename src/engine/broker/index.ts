export { BrokerController, type BrokerControllerOptions, type ReplicationHook } from './broker-controller.js';
export type { BrokerStore, TagsCodeFilter } from './broker-store.js';
export {
  type BrokerConfig,
  BrokerConfigError,
  defaultBrokerConfig,
  formatBrokerConfig,
  IMPORTANT_KEYS,
  parseBrokerConfig,
} from './config/broker-config.js';
export { type CreateBrokerOptions, createBroker } from './create-broker.js';
