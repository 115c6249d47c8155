import type { Socket } from 'node:net';
import { isResponse, type RemotingCommand } from '../protocol/remoting-command.js';
import { Channel, RemotingTimeoutError } from '../remoting/channel.js';
import type { RequestProcessor } from '../remoting/processor-table.js';
import { RemotingClient, type RemotingClientOptions } from '../remoting/remoting-client.js';

/** What local mode needs of the broker it lives in: its address and a way into its processors. */
export interface LocalBroker {
  readonly brokerAddr: string;
  dispatchLocal(cmd: RemotingCommand, ch: Channel): void;
}

/** Just enough of a socket for Channel's constructor: this channel never touches the network. */
function noSocket(): Socket {
  return {
    remoteAddress: '127.0.0.1',
    remotePort: 0,
    localAddress: '127.0.0.1',
    localPort: 0,
    destroyed: false,
    setNoDelay() {},
    setTimeout() {},
    on() {},
  } as unknown as Socket;
}

interface Pending {
  resolve: (cmd: RemotingCommand) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The proxy's end of an in-process "connection" to its broker: requests go straight to the broker's
 * processor table as objects (no frames, no socket), replies come back through `send`, and requests the
 * broker pushes (CHECK_TRANSACTION_STATE) reach the proxy's own processors.
 */
class LocalChannel extends Channel {
  private readonly waiting = new Map<number, Pending>();

  constructor(
    private readonly broker: LocalBroker,
    private readonly onPush: (cmd: RemotingCommand, ch: Channel) => void,
  ) {
    super(noSocket(), { onRequest() {}, onFrameError() {}, onClose() {} }, 0);
  }

  override get closed(): boolean {
    return false;
  }

  override get needsDrain(): boolean {
    return false;
  }

  /** Called by the broker side: a reply to one of our invokes, or a request of its own. */
  override send(cmd: RemotingCommand): boolean {
    if (cmd.bodyParts) {
      cmd.body = Buffer.concat(cmd.bodyParts as Buffer[]);
      cmd.bodyParts = null;
    }
    if (isResponse(cmd)) {
      const p = this.waiting.get(cmd.opaque);
      if (p) {
        this.waiting.delete(cmd.opaque);
        clearTimeout(p.timer);
        p.resolve(cmd);
      }
    } else {
      queueMicrotask(() => this.onPush(cmd, this));
    }
    return true;
  }

  override invoke(cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(cmd.opaque);
        reject(new RemotingTimeoutError(this.broker.brokerAddr, timeoutMs, cmd.code));
      }, timeoutMs);
      this.waiting.set(cmd.opaque, { resolve, reject, timer });
      this.broker.dispatchLocal(cmd, this);
    });
  }

  override invokeOneway(cmd: RemotingCommand): boolean {
    // From the broker: a pushed request. From us (the client side) it is sent below, not here.
    return this.send({ ...cmd, flag: cmd.flag & ~1 });
  }

  sendOneway(cmd: RemotingCommand): void {
    this.broker.dispatchLocal(cmd, this);
  }

  override close(): void {}
  override destroy(): void {
    for (const p of this.waiting.values()) clearTimeout(p.timer);
    this.waiting.clear();
  }
}

/**
 * A RemotingClient whose calls to the local broker's address run in-process; other addresses (the name
 * server) go over the network as usual.
 */
export class LocalRemotingClient extends RemotingClient {
  private readonly channel: LocalChannel;
  private readonly pushed = new Map<number, RequestProcessor>();

  constructor(
    private readonly broker: LocalBroker,
    opts: RemotingClientOptions = {},
  ) {
    super(opts);
    this.channel = new LocalChannel(broker, (cmd, ch) => {
      const p = this.pushed.get(cmd.code);
      if (p) void Promise.resolve(p(cmd, ch)).catch(() => {});
    });
  }

  override registerProcessor(code: number, processor: RequestProcessor): void {
    this.pushed.set(code, processor);
    super.registerProcessor(code, processor);
  }

  override invoke(addr: string, cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (addr !== this.broker.brokerAddr) return super.invoke(addr, cmd, timeoutMs);
    return this.channel.invoke(cmd, timeoutMs);
  }

  override async invokeOneway(addr: string, cmd: RemotingCommand): Promise<void> {
    if (addr !== this.broker.brokerAddr) return super.invokeOneway(addr, cmd);
    this.channel.sendOneway({ ...cmd, flag: cmd.flag | 2 });
  }

  override async close(): Promise<void> {
    this.channel.destroy();
    await super.close();
  }
}
