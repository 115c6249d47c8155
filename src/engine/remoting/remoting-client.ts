import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { createLogger, type Logger } from '../common/logger.js';
import { markOneway, type RemotingCommand } from '../protocol/remoting-command.js';
import { Channel, RemotingConnectError } from './channel.js';
import { splitHostPort } from './namesrv-addr.js';
import { ProcessorTable, type RequestProcessor, type RpcHook } from './processor-table.js';

export interface RemotingClientOptions {
  /** Connect timeout in ms (Java default 3 s). */
  connectTimeoutMs?: number;
  /** Close idle connections after this long (ms); Java default 120 s. 0 disables. */
  idleMs?: number;
  logger?: Logger;
  /** Connect with TLS (Java's useTLS); see tls/client-tls.ts. */
  tls?: ConnectionOptions;
}

export interface RemotingClientEvents {
  /** A connection to `addr` closed (it is re-opened lazily on the next call). */
  close: [addr: string];
}

/**
 * One connection per address, opened lazily on first use and re-opened on the next call after it closes.
 * Requests the server pushes (e.g. NOTIFY_CONSUMER_IDS_CHANGED) go to registered processors.
 */
export class RemotingClient extends EventEmitter<RemotingClientEvents> {
  /** Open connections by address. */
  private readonly connected = new Map<string, Channel>();
  /** Connections being opened (concurrent callers share one attempt). */
  private readonly channels = new Map<string, Promise<Channel>>();
  private readonly processors: ProcessorTable;
  private readonly connectTimeoutMs: number;
  private readonly idleMs: number;
  private readonly tls: ConnectionOptions | undefined;
  private closed = false;
  private readonly hooks: RpcHook[] = [];
  readonly log: Logger;

  constructor(opts: RemotingClientOptions = {}) {
    super();
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 3000;
    this.idleMs = opts.idleMs ?? 120_000;
    this.tls = opts.tls;
    this.log = opts.logger ?? createLogger('remoting');
    this.processors = new ProcessorTable(this.log);
  }

  registerProcessor(code: number, processor: RequestProcessor): void {
    this.processors.register(code, processor);
  }

  registerDefaultProcessor(processor: RequestProcessor): void {
    this.processors.registerDefault(processor);
  }

  /**
   * Runs before every request this client sends (sync and oneway) and after every reply: e.g. ACL
   * signing with `signRequest` from protocol/acl-signature.
   */
  registerRpcHook(hook: RpcHook): void {
    this.hooks.push(hook);
  }

  /** The (possibly new) channel to `addr`. */
  getChannel(addr: string): Promise<Channel> {
    if (this.closed) return Promise.reject(new RemotingConnectError(addr, 'client is closed'));
    const ch = this.connected.get(addr);
    if (ch && !ch.closed) return Promise.resolve(ch);
    const pending = this.channels.get(addr);
    if (pending) return pending;
    const p = this.open(addr).then(
      (c) => {
        if (this.channels.get(addr) === p) this.channels.delete(addr);
        if (this.closed) {
          c.destroy();
          throw new RemotingConnectError(addr, 'client is closed');
        }
        if (!c.closed) this.connected.set(addr, c);
        return c;
      },
      (err) => {
        if (this.channels.get(addr) === p) this.channels.delete(addr);
        throw err;
      },
    );
    this.channels.set(addr, p);
    return p;
  }

  private open(addr: string): Promise<Channel> {
    return new Promise<Channel>((resolve, reject) => {
      let hp: { host: string; port: number };
      try {
        hp = splitHostPort(addr);
      } catch (err) {
        reject(new RemotingConnectError(addr, (err as Error).message));
        return;
      }
      const socket = this.tls
        ? tlsConnect({ ...this.tls, host: hp.host, port: hp.port })
        : connect({ host: hp.host, port: hp.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RemotingConnectError(addr, `timeout after ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(new RemotingConnectError(addr, err.message));
      };
      socket.once('error', onError);
      socket.once(this.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        const ch = new Channel(
          socket,
          {
            onRequest: (cmd, c) => this.processors.dispatch(cmd, c),
            onFrameError: (err, c) =>
              this.log.warn({ remote: c.remoteAddress, err: err.message }, 'bad frame from server, closing'),
            onClose: (c) => {
              if (this.connected.get(addr) === c) this.connected.delete(addr);
              this.emit('close', addr);
            },
          },
          this.idleMs,
        );
        resolve(ch);
      });
    });
  }

  /** Sends `cmd` to `addr` and resolves with the reply (rejects with RemotingTimeoutError / ConnectError). */
  async invoke(addr: string, cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const started = Date.now();
    const ch = await this.getChannel(addr);
    const left = timeoutMs - (Date.now() - started);
    for (const h of this.hooks) h.doBeforeRequest?.(addr, cmd);
    const resp = await ch.invoke(cmd, Math.max(1, left));
    for (const h of this.hooks) h.doAfterResponse?.(addr, cmd, resp);
    return resp;
  }

  /** Sends `cmd` marked oneway. Resolves once it is written to the socket buffer. */
  async invokeOneway(addr: string, cmd: RemotingCommand): Promise<void> {
    const ch = await this.getChannel(addr);
    for (const h of this.hooks) h.doBeforeRequest?.(addr, markOneway(cmd));
    if (!ch.invokeOneway(cmd)) throw new RemotingConnectError(addr, 'channel is closed');
  }

  /** Closes the connection to one address (a later call reconnects). */
  closeChannel(addr: string): void {
    const ch = this.connected.get(addr);
    this.connected.delete(addr);
    ch?.destroy();
  }

  /** Addresses with an open connection. */
  get connectedAddrs(): string[] {
    return [...this.connected.keys()];
  }

  /** Closes every connection; further calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.channels.values()];
    this.channels.clear();
    for (const ch of this.connected.values()) ch.destroy();
    this.connected.clear();
    await Promise.all(
      pending.map((p) =>
        p.then(
          (c) => c.destroy(),
          () => {},
        ),
      ),
    );
  }
}
