import { networkInterfaces } from 'node:os';
import { parseNamesrvAddr } from '../remoting/index.js';

/** Settings every producer and consumer share (ClientConfig.java). */
export interface ClientConfig {
  /** `host:port;host:port`. Falls back to $NAMESRV_ADDR. */
  namesrvAddr?: string;
  /** Part of the client id; producers/consumers with the same one share a connection set. Default: the pid. */
  instanceName?: string;
  /** Overrides the detected local IPv4 in the client id. */
  clientIP?: string;
  unitName?: string;
  /** Route refresh period (ms), Java default 30 s. */
  pollNameServerInterval?: number;
  /** Heartbeat period (ms), Java default 30 s. */
  heartbeatBrokerInterval?: number;
  /** Offset commit period (ms), Java default 5 s. */
  persistConsumerOffsetInterval?: number;
  /** Default RPC timeout (ms), Java default 3 s. */
  mqClientApiTimeout?: number;
  /** Plain ACL: with `secretKey`, every request is signed as AclClientRPCHook does. */
  /** Connect with TLS (Java useTLS); default: tls.enable from MQ_TLS_ENABLE or the TLS config file. */
  useTLS?: boolean;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
}

/** First non-internal IPv4 of this host, like RemotingUtil.getLocalAddress; 127.0.0.1 if none. */
export function localIp(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function buildClientId(cfg: ClientConfig): string {
  let id = `${cfg.clientIP || localIp()}@${cfg.instanceName || String(process.pid)}`;
  if (cfg.unitName) id += `@${cfg.unitName}`;
  return id;
}

export function resolveNamesrvList(cfg: ClientConfig): string[] {
  return parseNamesrvAddr(cfg.namesrvAddr || process.env.NAMESRV_ADDR || '');
}

/** Java's topic name rule (TopicValidator): 1..127 chars of [A-Za-z0-9%|_-]. */
export function checkTopic(topic: string): void {
  if (!topic) throw new Error('the specified topic is blank');
  if (topic.length > 127) throw new Error(`the specified topic "${topic}" is longer than 127 characters`);
  if (!/^[%|a-zA-Z0-9_-]+$/.test(topic))
    throw new Error(
      `the specified topic "${topic}" contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    );
}

export function checkGroup(group: string): void {
  if (!group) throw new Error('the specified group is blank');
  if (group.length > 255) throw new Error(`the specified group "${group}" is longer than 255 characters`);
  if (!/^[%|a-zA-Z0-9_-]+$/.test(group))
    throw new Error(
      `the specified group "${group}" contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    );
}
