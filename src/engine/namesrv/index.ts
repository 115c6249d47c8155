export { NAMESPACE_ORDER_TOPIC_CONFIG } from './default-processor.js';
export { KVConfigManager } from './kv-config-manager.js';
export {
  applyNamesrvProperties,
  defaultNamesrvConfig,
  type NamesrvConfig,
  namesrvConfigToProperties,
} from './namesrv-config.js';
export { NamesrvController, type NamesrvStartOptions, startNamesrv } from './namesrv-controller.js';
export { RouteInfoManager } from './route-info-manager.js';
