import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { loadTlsSettings, type TlsSettings } from './tls-config.js';

/**
 * How a client connects with TLS (Java's TlsHelper for clients): in test mode, or without
 * tls.client.authServer, any server certificate is accepted; with authServer it must chain to
 * tls.client.trustCertPath. Host names are not checked (Netty's default). A client certificate is sent
 * when tls.client.certPath/keyPath are set.
 */
export function clientTlsOptions(s: TlsSettings): ConnectionOptions {
  const verify = !s.testMode && s.clientAuthServer;
  return {
    rejectUnauthorized: verify,
    checkServerIdentity: () => undefined,
    ca: verify && s.clientTrustCertPath ? readFileSync(s.clientTrustCertPath) : undefined,
    cert: s.clientCertPath ? readFileSync(s.clientCertPath) : undefined,
    key: s.clientKeyPath ? readFileSync(s.clientKeyPath) : undefined,
    passphrase: s.clientKeyPassword,
  };
}

/** TLS options for a client that asked for TLS (`useTLS`), or follows tls.enable when it didn't say. */
export function clientTls(useTLS?: boolean, settings?: TlsSettings): ConnectionOptions | undefined {
  const s = settings ?? loadTlsSettings();
  return (useTLS ?? s.clientEnable) ? clientTlsOptions(s) : undefined;
}
