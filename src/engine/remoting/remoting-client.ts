import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { createLogger, type Logger } from '../common/logger.js';
import type { RemotingCommand } from '../protocol/remoting-command.js';
import { Channel, RemotingConnectError } from './channel.js';
import { splitHostPort } from './namesrv-addr.js';
import { ProcessorTable, type RequestProcessor } from './processor-table.js';

export interface RemotingClientOptions {
  /** Connect timeout in ms (Java default 3 s). */
  connectTimeoutMs?: number;
  /** Close idle connections after this long (ms); Java default 120 s. 0 disables. */
  idleMs?: number;
  logger?: Logger;
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
  private readonly channels = new Map<string, Promise<Channel>>();
  private readonly processors: ProcessorTable;
  private readonly connectTimeoutMs: number;
  private readonly idleMs: number;
  private closed = false;
  readonly log: Logger;

  constructor(opts: RemotingClientOptions = {}) {
    super();
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 3000;
    this.idleMs = opts.idleMs ?? 120_000;
    this.log = opts.logger ?? createLogger('remoting');
    this.processors = new ProcessorTable(this.log);
  }

  registerProcessor(code: number, processor: RequestProcessor): void {
    this.processors.register(code, processor);
  }

  registerDefaultProcessor(processor: RequestProcessor): void {
    this.processors.registerDefault(processor);
  }

  /** The (possibly new) channel to `addr`. */
  getChannel(addr: string): Promise<Channel> {
    if (this.closed) return Promise.reject(new RemotingConnectError(addr, 'client is closed'));
    const existing = this.channels.get(addr);
    if (existing) return existing;
    const p = this.open(addr);
    this.channels.set(addr, p);
    p.catch(() => {
      if (this.channels.get(addr) === p) this.channels.delete(addr);
    });
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
      const socket = connect({ host: hp.host, port: hp.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RemotingConnectError(addr, `timeout after ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(new RemotingConnectError(addr, err.message));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        const ch = new Channel(
          socket,
          {
            onRequest: (cmd, c) => this.processors.dispatch(cmd, c),
            onFrameError: (err, c) =>
              this.log.warn({ remote: c.remoteAddress, err: err.message }, 'bad frame from server, closing'),
            onClose: () => {
              const cur = this.channels.get(addr);
              if (cur) {
                cur.then(
                  (c) => {
                    if (c === ch) this.channels.delete(addr);
                  },
                  () => {},
                );
              }
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
    return ch.invoke(cmd, Math.max(1, left));
  }

  /** Sends `cmd` marked oneway. Resolves once it is written to the socket buffer. */
  async invokeOneway(addr: string, cmd: RemotingCommand): Promise<void> {
    const ch = await this.getChannel(addr);
    if (!ch.invokeOneway(cmd)) throw new RemotingConnectError(addr, 'channel is closed');
  }

  /** Closes the connection to one address (a later call reconnects). */
  async closeChannel(addr: string): Promise<void> {
    const p = this.channels.get(addr);
    if (!p) return;
    this.channels.delete(addr);
    try {
      (await p).destroy();
    } catch {
      /* never connected */
    }
  }

  /** Closes every connection; further calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.channels.values()];
    this.channels.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (c) => c.destroy(),
          () => {},
        ),
      ),
    );
  }
}
