import type { Socket } from 'node:net';
import { encodeFrame, encodeFrameParts, FrameDecoder, FrameError } from '../protocol/frame-codec.js';
import { isResponse, markOneway, type RemotingCommand } from '../protocol/remoting-command.js';
import { requestCodeName } from '../protocol/request-code.js';
import { formatAddr } from './namesrv-addr.js';

/** An invoke that got no reply in time. */
export class RemotingTimeoutError extends Error {
  constructor(
    readonly addr: string,
    readonly timeoutMs: number,
    code: number,
  ) {
    super(
      `wait response on the channel <${addr}> timeout, ${timeoutMs}(ms) (request ${requestCodeName(code)})`,
    );
    this.name = 'RemotingTimeoutError';
  }
}

/** The connection went away (or could not be used) before the reply arrived. */
export class RemotingConnectError extends Error {
  constructor(
    readonly addr: string,
    reason: string,
  ) {
    super(`connect to <${addr}> failed: ${reason}`);
    this.name = 'RemotingConnectError';
  }
}

interface Pending {
  resolve: (cmd: RemotingCommand) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Bodies at least this large are written without copying them into the frame buffer (so are `bodyParts`,
 * whatever their size: the cork turns the parts into one writev).
 */
const ZERO_COPY_BODY = 32 * 1024;

let nextChannelId = 1;

export interface ChannelEvents {
  /** A request (or oneway) from the peer. */
  onRequest(cmd: RemotingCommand, ch: Channel): void;
  /** Bad bytes: the channel is about to be destroyed. */
  onFrameError(err: FrameError, ch: Channel): void;
  onClose(ch: Channel): void;
}

/**
 * One TCP connection carrying frames both ways: matches replies to invokes by opaque (any int32),
 * hands requests to its owner, batches writes made in the same tick into one writev (cork/uncork).
 */
export class Channel {
  readonly id = nextChannelId++;
  readonly remoteAddress: string;
  readonly localAddress: string;
  private readonly decoder = new FrameDecoder();
  private readonly pending = new Map<number, Pending>();
  private corked = false;
  private closedFlag = false;
  /** Free for owners: e.g. the client id or broker address bound to this channel. */
  attachment: unknown;

  constructor(
    readonly socket: Socket,
    private readonly events: ChannelEvents,
    idleMs: number,
  ) {
    this.remoteAddress = formatAddr(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddr(socket.localAddress, socket.localPort);
    socket.setNoDelay(true);
    if (idleMs > 0) {
      socket.setTimeout(idleMs);
      socket.on('timeout', () => this.close());
    }
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {
      /* 'close' follows and does the cleanup */
    });
    socket.on('close', () => this.onClosed());
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Bytes of an incomplete frame received so far (non-zero at close = the peer died mid-frame). */
  get bufferedBytes(): number {
    return this.decoder.buffered;
  }

  /** Requests sent on this channel still waiting for a reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  private onData(chunk: Buffer): void {
    let cmds: RemotingCommand[];
    try {
      cmds = this.decoder.push(chunk);
    } catch (err) {
      const fe = err instanceof FrameError ? err : new FrameError(String(err));
      this.events.onFrameError(fe, this);
      this.socket.destroy();
      return;
    }
    for (const cmd of cmds) {
      if (isResponse(cmd)) {
        const p = this.pending.get(cmd.opaque);
        if (p) {
          this.pending.delete(cmd.opaque);
          clearTimeout(p.timer);
          p.resolve(cmd);
        }
        // An unmatched reply (late, after a timeout) is dropped, as Java does.
      } else {
        this.events.onRequest(cmd, this);
      }
    }
  }

  private onClosed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const [opaque, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(opaque);
      p.reject(new RemotingConnectError(this.remoteAddress, 'connection closed before the reply arrived'));
    }
    this.events.onClose(this);
  }

  /** Writes one frame; writes made in the same tick are flushed together. */
  send(cmd: RemotingCommand): boolean {
    if (this.closedFlag || this.socket.destroyed) return false;
    const s = this.socket;
    if (!this.corked) {
      this.corked = true;
      s.cork();
      process.nextTick(() => {
        this.corked = false;
        s.uncork();
      });
    }
    if (cmd.bodyParts || (cmd.body && cmd.body.length >= ZERO_COPY_BODY)) {
      for (const part of encodeFrameParts(cmd)) s.write(part);
    } else {
      s.write(encodeFrame(cmd));
    }
    return true;
  }

  /** True when the socket's write buffer is over its high-water mark: producers of big replies should wait. */
  get needsDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  /** Resolves once buffered writes are flushed to the kernel (or at once; also on close). */
  waitDrain(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  /** Sends a request and resolves with the matching reply; rejects on timeout or close. */
  invoke(cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    return new Promise<RemotingCommand>((resolve, reject) => {
      if (this.closedFlag || this.socket.destroyed) {
        reject(new RemotingConnectError(this.remoteAddress, 'channel is closed'));
        return;
      }
      const opaque = cmd.opaque;
      const timer = setTimeout(() => {
        if (this.pending.get(opaque)?.timer === timer) this.pending.delete(opaque);
        reject(new RemotingTimeoutError(this.remoteAddress, timeoutMs, cmd.code));
      }, timeoutMs);
      const prev = this.pending.get(opaque);
      if (prev) {
        clearTimeout(prev.timer);
        prev.reject(new Error(`opaque ${opaque} reused before its reply arrived`));
      }
      this.pending.set(opaque, { resolve, reject, timer });
      this.send(cmd);
    });
  }

  /** Sends a request marked oneway: no reply is expected. */
  invokeOneway(cmd: RemotingCommand): boolean {
    return this.send(markOneway(cmd));
  }

  /** Ends the connection after pending writes are flushed. */
  close(): void {
    if (this.socket.destroyed) return;
    this.socket.end();
    // Don't wait for a half-closed peer: destroy shortly after.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** Drops the connection immediately. */
  destroy(): void {
    this.socket.destroy();
  }
}
