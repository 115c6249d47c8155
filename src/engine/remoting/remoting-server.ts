import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { createLogger, type Logger } from '../common/logger.js';
import type { RemotingCommand } from '../protocol/remoting-command.js';
import { Channel } from './channel.js';
import { ProcessorTable, type RequestProcessor, type RpcHook } from './processor-table.js';
import { ProtocolErrorLog } from './protocol-error-log.js';
import type { ServerTls } from './tls/server-tls.js';

export interface RemotingServerOptions {
  /** Close a channel after this long with no read or write (ms); Java default 120 s. 0 disables. */
  idleMs?: number;
  logger?: Logger;
  /** TLS per RocketMQ's tls.server.mode (see tls/server-tls.ts); without it, plain connections only. */
  tls?: ServerTls;
  /** A peer's repeated protocol errors are logged once per this interval, with a count (default 10 s). */
  protocolErrorLogIntervalMs?: number;
}

export interface RemotingServerEvents {
  channelOpen: [Channel];
  channelClose: [Channel];
}

/**
 * Accepts connections and dispatches requests to processors by code. Bad bytes close only the offending
 * connection (with a log line); the server keeps serving everyone else.
 */
export class RemotingServer extends EventEmitter<RemotingServerEvents> {
  private readonly server: Server;
  private readonly processors: ProcessorTable;
  private readonly channels = new Set<Channel>();
  private readonly idleMs: number;
  readonly log: Logger;
  private readonly errors: ProtocolErrorLog;

  constructor(opts: RemotingServerOptions = {}) {
    super();
    this.idleMs = opts.idleMs ?? 120_000;
    this.log = opts.logger ?? createLogger('remoting');
    this.errors = new ProtocolErrorLog(this.log, opts.protocolErrorLogIntervalMs);
    this.processors = new ProcessorTable(this.log, this.errors);
    const tls = opts.tls?.enabled ? opts.tls : undefined;
    this.server = createServer((socket) =>
      tls ? tls.accept(socket, (s) => this.accept(s), this.idleMs) : this.accept(socket),
    );
    this.server.on('error', (err) => this.log.error({ err: err.message }, 'server socket error'));
  }

  registerProcessor(code: number, processor: RequestProcessor): void {
    this.processors.register(code, processor);
  }

  registerDefaultProcessor(processor: RequestProcessor): void {
    this.processors.registerDefault(processor);
  }

  /** Runs around every request this server processes (e.g. broker ACL verification). */
  registerRpcHook(hook: RpcHook): void {
    this.processors.addRpcHook(hook);
  }

  /**
   * Runs `cmd` through this server's processors as if it arrived on `ch` (without RpcHooks): how an
   * in-process peer (the proxy in local mode) talks to the broker without a socket.
   */
  dispatchLocal(cmd: RemotingCommand, ch: Channel): void {
    // No RpcHooks: the in-process caller (the local gRPC proxy) has checked ACL on its own calls.
    this.processors.dispatch(cmd, ch, false);
  }

  /** Starts listening; resolves with the actual port (useful with port 0). */
  listen(port: number, host = '0.0.0.0'): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  get port(): number {
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  /** Channels currently open. */
  get openChannels(): ReadonlySet<Channel> {
    return this.channels;
  }

  private accept(socket: Socket): void {
    const ch = new Channel(
      socket,
      {
        onRequest: (cmd, c) => this.processors.dispatch(cmd, c),
        onFrameError: (err, c) =>
          this.errors.report(c.remoteAddress, 'bad frame, closing connection', { err: err.message }),
        onClose: (c) => {
          this.channels.delete(c);
          if (c.bufferedBytes > 0) {
            this.errors.report(c.remoteAddress, 'connection closed mid-frame', { bytes: c.bufferedBytes });
          }
          this.emit('channelClose', c);
        },
      },
      this.idleMs,
    );
    this.channels.add(ch);
    this.emit('channelOpen', ch);
  }

  /** Stops accepting, closes every channel and waits for the listener to go. */
  close(): Promise<void> {
    this.errors.close();
    return new Promise((resolve) => {
      for (const ch of this.channels) ch.destroy();
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
  }
}
