import { createServer, type Server, type Socket } from 'node:net';
import { createLogger, type Logger } from '../../common/logger.js';
import { GroupTransferWaiters } from './group-transfer.js';
import { HAConnection, type HAConnectionOwner } from './ha-connection.js';
import type { HAConfig, HAStore, SlaveWaitStatus } from './ha-store.js';

/** How often connections check heartbeats/housekeeping and poll for data nobody announced (Java: 100 ms). */
const TICK_MS = 100;

export interface HAConnectionInfo {
  slaveAddr: string;
  slaveAckOffset: number;
  behindBytes: number;
  connectedAt: number;
}

/**
 * Master side of replication (Java HAService): accepts slaves on haListenPort, streams the commit log to
 * each, and lets SYNC_MASTER puts wait until a slave holds their bytes.
 */
export class HAService implements HAConnectionOwner {
  readonly log: Logger;
  private server: Server | undefined;
  private readonly conns = new Set<HAConnection>();
  private readonly waiters = new GroupTransferWaiters();
  private ticker: NodeJS.Timeout | undefined;
  private boundPort = 0;
  private wakeScheduled = false;

  constructor(
    readonly store: HAStore,
    readonly config: HAConfig,
    log?: Logger,
  ) {
    this.log = log ?? createLogger('store');
  }

  /** Starts listening on `config.haListenPort` (0 = any free port); resolves with the bound port. */
  async start(host = '0.0.0.0'): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.haListenPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error({ err }, 'HA server error'));
    this.server = server;
    const addr = server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : this.config.haListenPort;
    this.ticker = setInterval(() => {
      const now = Date.now();
      for (const c of this.conns) c.tick(now);
    }, TICK_MS);
    this.ticker.unref();
    this.store.onMessageArrive?.(() => this.notifyDataArrived());
    this.log.info({ port: this.boundPort }, 'HA service listening');
    return this.boundPort;
  }

  get listenPort(): number {
    return this.boundPort;
  }

  private accept(socket: Socket): void {
    const conn = new HAConnection(socket, this);
    this.conns.add(conn);
    this.log.info({ slave: conn.clientAddr }, 'HA service accepted a slave');
  }

  /** Slaves that have reported at least once (the ones SYNC_MASTER can count on). */
  get connectionCount(): number {
    let n = 0;
    for (const c of this.conns) if (c.slaveRequestOffset >= 0) n++;
    return n;
  }

  /** Highest offset any connected slave acknowledged (Java push2SlaveMaxOffset, over live slaves only). */
  get push2SlaveMaxOffset(): number {
    let max = 0;
    for (const c of this.conns) if (c.slaveAckOffset > max) max = c.slaveAckOffset;
    return max;
  }

  /** A slave is connected and less than haSlaveFallbehindMax behind `masterPutWhere` (Java isSlaveOK). */
  isSlaveOK(masterPutWhere: number): boolean {
    return (
      this.connectionCount > 0 && masterPutWhere - this.push2SlaveMaxOffset < this.config.haSlaveFallbehindMax
    );
  }

  /**
   * SYNC_MASTER acknowledgement for a put ending at `endOffset` (wroteOffset + wroteBytes): PUT_OK once a
   * slave holds it, FLUSH_SLAVE_TIMEOUT after `timeoutMs` (syncFlushTimeout), SLAVE_NOT_AVAILABLE at once
   * when no slave is connected or the best one is haSlaveFallbehindMax behind.
   */
  waitForSlave(endOffset: number, timeoutMs = this.config.syncFlushTimeout): Promise<SlaveWaitStatus> {
    if (!this.isSlaveOK(endOffset)) return Promise.resolve('SLAVE_NOT_AVAILABLE');
    if (this.push2SlaveMaxOffset >= endOffset) return Promise.resolve('PUT_OK');
    const p = this.waiters.wait(endOffset, timeoutMs);
    this.notifyDataArrived();
    return p;
  }

  /**
   * New commit-log data: stream it now instead of at the next poll. Puts of one event-loop turn share one
   * wake-up, so a burst leaves as a few large chunks rather than one chunk per message.
   */
  notifyDataArrived(): void {
    if (this.wakeScheduled || this.conns.size === 0) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      for (const c of this.conns) c.wake();
    });
  }

  /** Bytes the best slave lacks (Java slaveFallBehindMuch); the whole log when no slave is connected. */
  slaveFallBehindMuch(): number {
    return Math.max(0, this.store.getMaxPhyOffset() - this.push2SlaveMaxOffset);
  }

  connections(): HAConnectionInfo[] {
    const max = this.store.getMaxPhyOffset();
    return [...this.conns].map((c) => ({
      slaveAddr: c.clientAddr,
      slaveAckOffset: c.slaveAckOffset,
      behindBytes: c.behindBytes(max),
      connectedAt: c.connectedAt,
    }));
  }

  onSlaveAck(_conn: HAConnection, _offset: number): void {
    this.waiters.acknowledge(this.push2SlaveMaxOffset);
  }

  onConnectionClosed(conn: HAConnection): void {
    this.conns.delete(conn);
    // With no slave left nothing can acknowledge the waiting puts: answer them now rather than after
    // syncFlushTimeout (Java keeps them waiting and then says FLUSH_SLAVE_TIMEOUT).
    if (this.connectionCount === 0) this.waiters.releaseAll('SLAVE_NOT_AVAILABLE');
  }

  async shutdown(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    for (const c of [...this.conns]) c.close('shutdown');
    this.waiters.releaseAll('FLUSH_SLAVE_TIMEOUT');
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
