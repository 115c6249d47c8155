import type { Socket } from 'node:net';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import type { Logger } from '../../common/logger.js';
import { formatAddr } from '../namesrv-addr.js';
import { ProtocolErrorLog } from '../protocol-error-log.js';
import { loadServerCertificate } from './server-certificate.js';
import type { TlsSettings } from './tls-config.js';

/** First byte of a TLS record carrying a handshake (a ClientHello): how RocketMQ tells TLS from plain. */
const TLS_HANDSHAKE = 0x16;

/**
 * The server side of RocketMQ's TLS (NettyRemotingServer's HandshakeHandler): each connection's first byte
 * says whether it speaks TLS. `permissive` serves both on one port, `enforcing` closes plain connections,
 * `disabled` never looks. The certificate comes from tls.server.certPath/keyPath or, in test mode (Java's
 * default), is a self-signed one made on the first TLS connection.
 */
export class ServerTls {
  private context: Promise<SecureContext> | undefined;
  /** Refused and failed handshakes, rate-limited per peer like the server's other protocol errors. */
  private readonly errors: ProtocolErrorLog;

  constructor(
    readonly settings: TlsSettings,
    private readonly log: Logger,
  ) {
    this.errors = new ProtocolErrorLog(log);
  }

  get enabled(): boolean {
    return this.settings.serverMode !== 'disabled';
  }

  /**
   * Hands `socket` to `serve` as itself or as a TLS socket, once its first bytes tell which; a plain
   * connection under `enforcing`, or one silent for `idleMs`, is closed.
   */
  accept(socket: Socket, serve: (s: Socket) => void, idleMs: number): void {
    const idle = idleMs > 0 ? setTimeout(() => socket.destroy(), idleMs) : undefined;
    socket.once('error', () => socket.destroy());
    socket.once('close', () => idle && clearTimeout(idle));
    socket.once('data', (first: Buffer) => {
      if (idle) clearTimeout(idle);
      socket.pause();
      socket.unshift(first);
      if (first[0] !== TLS_HANDSHAKE) {
        if (this.settings.serverMode === 'enforcing') {
          this.errors.report(
            formatAddr(socket.remoteAddress, socket.remotePort),
            'plain connection refused: tls.server.mode=enforcing',
          );
          socket.destroy();
          return;
        }
        serve(socket);
        socket.resume();
        return;
      }
      this.secureContext().then(
        (ctx) => {
          if (socket.destroyed) return;
          // The unshifted ClientHello is fed to the TLS engine when it wraps the socket.
          const t = new TLSSocket(socket, {
            isServer: true,
            secureContext: ctx,
            requestCert: this.settings.serverNeedClientAuth !== 'none',
            rejectUnauthorized: this.settings.serverNeedClientAuth === 'require',
          });
          t.once('error', (err) => {
            this.errors.report(formatAddr(socket.remoteAddress, socket.remotePort), 'TLS handshake failed', {
              err: err.message,
            });
            t.destroy();
          });
          serve(t);
        },
        (err: Error) => {
          this.log.error({ err: err.message }, 'no TLS certificate: TLS connection closed');
          socket.destroy();
        },
      );
    });
  }

  private secureContext(): Promise<SecureContext> {
    this.context ??= this.makeContext();
    return this.context;
  }

  private async makeContext(): Promise<SecureContext> {
    return createSecureContext(await loadServerCertificate(this.settings, this.log));
  }
}
