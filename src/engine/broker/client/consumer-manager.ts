import type { Logger } from '../../common/logger.js';
import type { SubscriptionData } from '../../protocol/bodies/heartbeat-data.js';
import type { Channel } from '../../remoting/index.js';
import { CHANNEL_EXPIRED_TIMEOUT_MS, type ClientChannelInfo } from './client-channel-info.js';

/** A consumer group's live members and subscriptions (ConsumerGroupInfo). */
export class ConsumerGroupInfo {
  readonly channels = new Map<Channel, ClientChannelInfo>();
  readonly subscriptions = new Map<string, SubscriptionData>();
  consumeType = 'CONSUME_PASSIVELY';
  messageModel = 'CLUSTERING';
  consumeFromWhere = 'CONSUME_FROM_LAST_OFFSET';
  lastUpdateTimestamp = Date.now();

  constructor(readonly groupName: string) {}

  allClientIds(): string[] {
    return [...this.channels.values()].map((c) => c.clientId);
  }

  findChannel(clientId: string): ClientChannelInfo | undefined {
    for (const info of this.channels.values()) if (info.clientId === clientId) return info;
    return undefined;
  }

  /** True when this channel is new to the group. */
  updateChannel(
    info: ClientChannelInfo,
    consumeType: string,
    messageModel: string,
    consumeFromWhere: string,
  ): boolean {
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
    const old = this.channels.get(info.channel);
    this.lastUpdateTimestamp = Date.now();
    if (!old || old.clientId !== info.clientId) {
      this.channels.set(info.channel, info);
      info.lastUpdateTimestamp = this.lastUpdateTimestamp;
      return !old;
    }
    old.lastUpdateTimestamp = this.lastUpdateTimestamp;
    return false;
  }

  /** True when a topic was added or removed (a newer subVersion alone only replaces the filter). */
  updateSubscription(subs: SubscriptionData[]): boolean {
    let updated = false;
    const topics = new Set<string>();
    for (const sub of subs) {
      topics.add(sub.topic);
      const old = this.subscriptions.get(sub.topic);
      if (!old) {
        this.subscriptions.set(sub.topic, sub);
        updated = true;
      } else if (sub.subVersion > old.subVersion || sub.subString !== old.subString) {
        this.subscriptions.set(sub.topic, sub);
      }
    }
    for (const topic of [...this.subscriptions.keys()]) {
      if (!topics.has(topic)) {
        this.subscriptions.delete(topic);
        updated = true;
      }
    }
    this.lastUpdateTimestamp = Date.now();
    return updated;
  }
}

/**
 * Consumer groups by name (ConsumerManager). `onIdsChanged(group, channels)` fires when a group's
 * membership changes so the broker can send NOTIFY_CONSUMER_IDS_CHANGED to every member.
 */
export class ConsumerManager {
  readonly groups = new Map<string, ConsumerGroupInfo>();
  onIdsChanged: (group: string, channels: Channel[]) => void = () => {};
  onGroupGone: (group: string) => void = () => {};

  constructor(private readonly log: Logger) {}

  get(group: string): ConsumerGroupInfo | undefined {
    return this.groups.get(group);
  }

  findSubscription(group: string, topic: string): SubscriptionData | undefined {
    return this.groups.get(group)?.subscriptions.get(topic);
  }

  /** Returns true when membership or the subscribed topic set changed. */
  register(
    group: string,
    info: ClientChannelInfo,
    consumeType: string,
    messageModel: string,
    consumeFromWhere: string,
    subs: SubscriptionData[],
    notify: boolean,
  ): boolean {
    let g = this.groups.get(group);
    if (!g) {
      g = new ConsumerGroupInfo(group);
      this.groups.set(group, g);
    }
    const r1 = g.updateChannel(info, consumeType, messageModel, consumeFromWhere);
    const r2 = g.updateSubscription(subs);
    if ((r1 || r2) && notify) this.onIdsChanged(group, [...g.channels.keys()]);
    if (r1)
      this.log.info(
        { group, clientId: info.clientId, remote: info.channel.remoteAddress },
        'consumer registered',
      );
    return r1 || r2;
  }

  unregister(group: string, channel: Channel, notify: boolean): void {
    const g = this.groups.get(group);
    if (!g?.channels.delete(channel)) return;
    this.log.info({ group, remote: channel.remoteAddress }, 'consumer unregistered');
    if (g.channels.size === 0) {
      this.groups.delete(group);
      this.onGroupGone(group);
    }
    if (notify) this.onIdsChanged(group, [...g.channels.keys()]);
  }

  /** A closed or expired channel leaves every group at once. */
  channelClosed(channel: Channel): void {
    for (const [name, g] of [...this.groups]) {
      if (!g.channels.delete(channel)) continue;
      this.log.info({ group: name, remote: channel.remoteAddress }, 'consumer channel closed');
      if (g.channels.size === 0) {
        this.groups.delete(name);
        this.onGroupGone(name);
      }
      this.onIdsChanged(name, [...g.channels.keys()]);
    }
  }

  /** Drops channels idle for over 120 s; returns them so the caller can close them. */
  scanNotActive(now = Date.now()): Channel[] {
    const expired: Channel[] = [];
    for (const g of this.groups.values()) {
      for (const info of g.channels.values()) {
        if (now - info.lastUpdateTimestamp > CHANNEL_EXPIRED_TIMEOUT_MS) expired.push(info.channel);
      }
    }
    for (const ch of expired) this.channelClosed(ch);
    return expired;
  }

  /** Groups subscribed to `topic` (online). */
  queryTopicConsumeByWho(topic: string): Set<string> {
    const out = new Set<string>();
    for (const [name, g] of this.groups) if (g.subscriptions.has(topic)) out.add(name);
    return out;
  }
}
