import { readFileSync } from 'node:fs';
import type { Logger } from '../../common/logger.js';
import type { TlsSettings } from './tls-config.js';

/** PEMs a TLS server presents: its certificate and key, and the CA that client certificates chain to. */
export interface ServerCertificate {
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
  ca?: Buffer;
}

/**
 * The server certificate from tls.server.certPath/keyPath or, in test mode (Java's default), a throw-away
 * self-signed one; shared by the remoting ports and the gRPC proxy port.
 */
export async function loadServerCertificate(s: TlsSettings, log: Logger): Promise<ServerCertificate> {
  const ca = s.serverTrustCertPath ? readFileSync(s.serverTrustCertPath) : undefined;
  if (s.serverCertPath && s.serverKeyPath) {
    return {
      cert: readFileSync(s.serverCertPath),
      key: readFileSync(s.serverKeyPath),
      passphrase: s.serverKeyPassword,
      ca,
    };
  }
  if (!s.testMode) {
    throw new Error(
      `tls.server.certPath and tls.server.keyPath are not set${s.file ? ` in ${s.file}` : ''} and tls.test.mode.enable=false`,
    );
  }
  // The selfsigned package loads only now.
  const mod = await import('selfsigned');
  // A CommonJS package: named export under node, `default` inside the esbuild bundle.
  const generate = mod.generate ?? (mod as unknown as { default: typeof mod }).default.generate;
  const pems = await generate([{ name: 'commonName', value: 'mq' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 10 * 365 * 86_400_000),
  });
  log.info('TLS: using a self-signed certificate (tls.test.mode.enable=true)');
  return { cert: pems.cert, key: pems.private, ca };
}
