import { createServer, type Server as NetServer, type Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../common/logger.js';
import { formatAddr } from '../remoting/namesrv-addr.js';
import { loadServerCertificate } from '../remoting/tls/server-certificate.js';
import type { TlsSettings } from '../remoting/tls/tls-config.js';

/** First byte of a TLS ClientHello record: how a permissive port tells TLS from plaintext HTTP/2. */
const TLS_HANDSHAKE = 0x16;

/** gRPC server credentials from the broker's TLS settings (certificate from tls.server.* or self-signed). */
async function sslCredentials(s: TlsSettings, log: Logger): Promise<grpc.ServerCredentials> {
  const c = await loadServerCertificate(s, log);
  if (c.passphrase) throw new Error('tls.server.keyPassword is not supported on the gRPC proxy port');
  return grpc.ServerCredentials.createSsl(
    c.ca ?? null,
    [{ cert_chain: Buffer.from(c.cert), private_key: Buffer.from(c.key) }],
    s.serverNeedClientAuth === 'require',
  );
}

/** What listens for the proxy: its port and how to stop listening. */
export interface GrpcListener {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens for `server` as the broker's remoting port does with tls.server.mode (Apache's proxy reads the
 * same TlsSystemConfig): `disabled` plaintext only, `enforcing` TLS only, `permissive` (the default) both
 * on one port, told apart by the first byte of each connection and handed to grpc-js's connection
 * injectors (grpc-js binds a port to one kind of credentials only).
 */
export async function listenGrpc(
  server: grpc.Server,
  host: string,
  port: number,
  tls: TlsSettings,
  log: Logger,
): Promise<GrpcListener> {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const fail = (err: Error) => new Error(`cannot listen for gRPC on ${host}:${port}: ${err.message}`);
  if (tls.serverMode !== 'permissive') {
    const creds =
      tls.serverMode === 'enforcing'
        ? await sslCredentials(tls, log)
        : grpc.ServerCredentials.createInsecure();
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(where, creds, (err, p) => (err ? reject(fail(err)) : resolve(p))),
    );
    // The grpc server's shutdown closes a port it bound itself.
    return { port: bound, close: async () => undefined };
  }
  const plain = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  let secure: Promise<grpc.ConnectionInjector> | undefined;
  const secureInjector = () => {
    secure ??= sslCredentials(tls, log).then((c) => server.createConnectionInjector(c));
    return secure;
  };
  const open = new Set<Socket>();
  const net: NetServer = createServer((socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.once('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] !== TLS_HANDSHAKE) {
        plain.injectConnection(socket);
        return;
      }
      secureInjector().then(
        (inj) => (socket.destroyed ? undefined : inj.injectConnection(socket)),
        (err: Error) => {
          log.error(
            { peer: formatAddr(socket.remoteAddress, socket.remotePort), err: err.message },
            'no TLS certificate: gRPC TLS connection closed',
          );
          socket.destroy();
        },
      );
    });
  });
  const bound = await new Promise<number>((resolve, reject) => {
    net.once('error', (err) => reject(fail(err)));
    net.listen(port, host, () => {
      const a = net.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        plain.destroy();
        void secure?.then(
          (s) => s.destroy(),
          () => undefined,
        );
        net.close(() => resolve());
        for (const s of open) s.destroy();
      }),
  };
}
