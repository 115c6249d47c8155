import type { Channel } from '../../remoting/index.js';

/** One client connection as registered by its heartbeat (ClientChannelInfo). */
export interface ClientChannelInfo {
  channel: Channel;
  clientId: string;
  language: string;
  version: number;
  lastUpdateTimestamp: number;
}

/** Java drops channels that have not heartbeated for this long (CHANNEL_EXPIRED_TIMEOUT). */
export const CHANNEL_EXPIRED_TIMEOUT_MS = 120_000;
