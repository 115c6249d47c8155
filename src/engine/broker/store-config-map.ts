import { defaultMessageStoreConfig, type MessageStoreConfig } from '../store/message-store-config.js';
import type { BrokerConfig } from './config/broker-config.js';

/** BrokerConfig → MessageStoreConfig: every store field takes the broker.conf value of the same name. */
export function toMessageStoreConfig(c: BrokerConfig): MessageStoreConfig {
  const base = defaultMessageStoreConfig({ storePathRootDir: c.storePathRootDir });
  const src = c as unknown as Record<string, unknown>;
  const dst = base as unknown as Record<string, unknown>;
  for (const key of Object.keys(base)) {
    const v = src[key];
    if (v === undefined || v === '') continue;
    if (typeof dst[key] === typeof v || dst[key] === null) dst[key] = v;
  }
  base.haMasterAddress = c.haMasterAddress || null;
  return base;
}
