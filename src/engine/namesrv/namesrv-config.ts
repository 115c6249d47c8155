import { homedir } from 'node:os';
import { join } from 'node:path';

/** Name server settings: NamesrvConfig + the NettyServerConfig keys that matter here, with Java defaults. */
export interface NamesrvConfig {
  listenPort: number;
  /** Bind address (not a Java key; Java binds every interface). */
  host: string;
  rocketmqHome: string;
  kvConfigPath: string;
  configStorePath: string;
  productEnvName: string;
  clusterTest: boolean;
  orderMessageEnable: boolean;
  configBlackList: string;
  serverChannelMaxIdleTimeSeconds: number;
  /** Brokers silent longer than this are dropped (BROKER_CHANNEL_EXPIRED_TIME, 120 s). */
  brokerChannelExpiredMillis: number;
  /** How often the expiry scan runs (10 s; the first one 5 s after start). */
  scanNotActiveBrokerIntervalMillis: number;
  /**
   * Route JSON for GET_ROUTEINFO_BY_TOPIC: 'standard' always quotes keys (protocol.md §7.8 recommends it);
   * 'java' does what the 4.9.8 name server does (legacy bare keys for request version < 401).
   */
  routeJsonMode: 'standard' | 'java';
}

export function defaultNamesrvConfig(): NamesrvConfig {
  const home = homedir();
  return {
    listenPort: 9876,
    host: '0.0.0.0',
    rocketmqHome: process.env.ROCKETMQ_HOME ?? '',
    kvConfigPath: join(home, 'namesrv', 'kvConfig.json'),
    configStorePath: join(home, 'namesrv', 'namesrv.properties'),
    productEnvName: 'center',
    clusterTest: false,
    orderMessageEnable: false,
    configBlackList: 'configBlackList;configStorePath;kvConfigPath',
    serverChannelMaxIdleTimeSeconds: 120,
    brokerChannelExpiredMillis: 120_000,
    scanNotActiveBrokerIntervalMillis: 10_000,
    routeJsonMode: 'standard',
  };
}

/** Keys that can never be changed remotely (UPDATE_NAMESRV_CONFIG), as 4.9.8's black list. */
export function configBlackList(cfg: NamesrvConfig): Set<string> {
  const set = new Set(['configBlackList', 'configStorePath', 'kvConfigPath', 'rocketmqHome']);
  for (const k of cfg.configBlackList.split(';')) if (k.trim()) set.add(k.trim());
  return set;
}

/**
 * Applies `key=value` properties onto `cfg` (types follow the defaults). Unknown keys are returned so the
 * caller can warn; a bad value throws naming the key.
 */
export function applyNamesrvProperties(cfg: NamesrvConfig, props: Record<string, string>): string[] {
  const unknown: string[] = [];
  const target = cfg as unknown as Record<string, unknown>;
  for (const [key, raw] of Object.entries(props)) {
    if (!(key in cfg)) {
      unknown.push(key);
      continue;
    }
    const value = raw.trim();
    const current = target[key];
    if (typeof current === 'number') {
      if (!/^-?\d+$/.test(value)) throw new Error(`namesrv config ${key}: "${raw}" is not an integer`);
      target[key] = Number(value);
    } else if (typeof current === 'boolean') {
      if (!/^(true|false)$/i.test(value))
        throw new Error(`namesrv config ${key}: "${raw}" is not true/false`);
      target[key] = value.toLowerCase() === 'true';
    } else if (key === 'routeJsonMode') {
      if (value !== 'standard' && value !== 'java') {
        throw new Error(`namesrv config routeJsonMode: "${raw}" must be standard or java`);
      }
      target[key] = value;
    } else {
      target[key] = value;
    }
  }
  return unknown;
}

/** `key=value` lines of every setting, sorted (GET_NAMESRV_CONFIG body, `mq namesrv start -p`). */
export function namesrvConfigToProperties(cfg: NamesrvConfig): string {
  return Object.keys(cfg)
    .sort()
    .map((k) => `${k}=${(cfg as unknown as Record<string, unknown>)[k]}`)
    .join('\n');
}
