import { existsSync, readFileSync } from 'node:fs';
import { getProperties } from 'properties-file';

/**
 * TLS settings as RocketMQ 4.9 reads them (TlsSystemConfig): Java takes `-Dtls.*` system properties and
 * the file `tls.config.file` (default /etc/rocketmq/tls.properties); mq reads the same file (another path
 * with MQ_TLS_CONFIG_FILE) and two environment overrides, MQ_TLS_SERVER_MODE and MQ_TLS_ENABLE.
 */
export type TlsServerMode = 'disabled' | 'permissive' | 'enforcing';

export interface TlsSettings {
  /** Where they were read from (for messages), or null when no file exists. */
  file: string | null;
  /** tls.server.mode: plain only, both (default, as in RocketMQ), or TLS only. */
  serverMode: TlsServerMode;
  /** tls.test.mode.enable (default true): a self-signed server certificate; clients trust any server. */
  testMode: boolean;
  /** tls.server.need.client.auth: none (default), optional, require. */
  serverNeedClientAuth: 'none' | 'optional' | 'require';
  serverKeyPath?: string;
  serverKeyPassword?: string;
  serverCertPath?: string;
  serverTrustCertPath?: string;
  /** tls.enable: clients connect with TLS (Java's useTLS). */
  clientEnable: boolean;
  clientKeyPath?: string;
  clientKeyPassword?: string;
  clientCertPath?: string;
  /** tls.client.authServer: verify the server's certificate against tls.client.trustCertPath. */
  clientAuthServer: boolean;
  clientTrustCertPath?: string;
}

export const DEFAULT_TLS_CONFIG_FILE = '/etc/rocketmq/tls.properties';

export class TlsConfigError extends Error {}

/** Settings from the environment and the tls.properties file; throws TlsConfigError naming a bad key. */
export function loadTlsSettings(env: NodeJS.ProcessEnv = process.env): TlsSettings {
  const path = env.MQ_TLS_CONFIG_FILE || DEFAULT_TLS_CONFIG_FILE;
  let props: Record<string, string> = {};
  let file: string | null = null;
  if (existsSync(path)) {
    file = path;
    props = getProperties(readFileSync(path, 'utf8'));
  } else if (env.MQ_TLS_CONFIG_FILE) {
    throw new TlsConfigError(`TLS config file ${path} (MQ_TLS_CONFIG_FILE) does not exist`);
  }
  const where = (key: string) => (key.startsWith('MQ_') ? `environment ${key}` : `${path}: ${key}`);
  const pick = <T extends string>(key: string, allowed: readonly T[], dflt: T, envKey?: string): T => {
    const fromEnv = envKey ? env[envKey] : undefined;
    const raw = (fromEnv ?? props[key])?.trim();
    if (raw === undefined || raw === '') return dflt;
    const v = raw.toLowerCase() as T;
    if (!allowed.includes(v))
      throw new TlsConfigError(
        `${where(fromEnv !== undefined ? envKey! : key)} = '${raw}' (expected ${allowed.join(', ')})`,
      );
    return v;
  };
  const bool = (key: string, dflt: boolean, envKey?: string) =>
    pick(key, ['true', 'false'] as const, dflt ? 'true' : 'false', envKey) === 'true';
  const str = (key: string) => props[key]?.trim() || undefined;
  return {
    file,
    serverMode: pick(
      'tls.server.mode',
      ['disabled', 'permissive', 'enforcing'] as const,
      'permissive',
      'MQ_TLS_SERVER_MODE',
    ),
    testMode: bool('tls.test.mode.enable', true),
    serverNeedClientAuth: pick(
      'tls.server.need.client.auth',
      ['none', 'optional', 'require'] as const,
      'none',
    ),
    serverKeyPath: str('tls.server.keyPath'),
    serverKeyPassword: str('tls.server.keyPassword'),
    serverCertPath: str('tls.server.certPath'),
    serverTrustCertPath: str('tls.server.trustCertPath'),
    clientEnable: bool('tls.enable', false, 'MQ_TLS_ENABLE'),
    clientKeyPath: str('tls.client.keyPath'),
    clientKeyPassword: str('tls.client.keyPassword'),
    clientCertPath: str('tls.client.certPath'),
    clientAuthServer: bool('tls.client.authServer', false),
    clientTrustCertPath: str('tls.client.trustCertPath'),
  };
}
