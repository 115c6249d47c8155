import type { Logger } from '../../common/logger.js';
import type { Channel } from '../../remoting/index.js';
import { CHANNEL_EXPIRED_TIMEOUT_MS, type ClientChannelInfo } from './client-channel-info.js';

/** Producer channels by group (ProducerManager): for GET_PRODUCER_CONNECTION_LIST and transaction checks. */
export class ProducerManager {
  readonly groups = new Map<string, Map<Channel, ClientChannelInfo>>();

  constructor(private readonly log: Logger) {}

  register(group: string, info: ClientChannelInfo): void {
    let m = this.groups.get(group);
    if (!m) {
      m = new Map();
      this.groups.set(group, m);
    }
    const old = m.get(info.channel);
    if (old) old.lastUpdateTimestamp = Date.now();
    else {
      m.set(info.channel, info);
      this.log.info(
        { group, clientId: info.clientId, remote: info.channel.remoteAddress },
        'producer registered',
      );
    }
  }

  unregister(group: string, channel: Channel): void {
    const m = this.groups.get(group);
    if (!m) return;
    m.delete(channel);
    if (m.size === 0) this.groups.delete(group);
  }

  channelClosed(channel: Channel): void {
    for (const [group, m] of [...this.groups]) {
      if (m.delete(channel) && m.size === 0) this.groups.delete(group);
    }
  }

  scanNotActive(now = Date.now()): Channel[] {
    const expired: Channel[] = [];
    for (const m of this.groups.values()) {
      for (const info of m.values()) {
        if (now - info.lastUpdateTimestamp > CHANNEL_EXPIRED_TIMEOUT_MS) expired.push(info.channel);
      }
    }
    for (const ch of expired) this.channelClosed(ch);
    return expired;
  }

  /** The live channel of a producer client id (request-reply: the requester named in REPLY_TO_CLIENT). */
  findChannel(clientId: string): Channel | undefined {
    for (const m of this.groups.values()) {
      for (const [ch, info] of m) if (info.clientId === clientId && !ch.closed) return ch;
    }
    return undefined;
  }

  /** Any live channel of the group (transaction check target). */
  anyChannel(group: string): Channel | undefined {
    const m = this.groups.get(group);
    if (!m) return undefined;
    for (const ch of m.keys()) if (!ch.closed) return ch;
    return undefined;
  }
}
