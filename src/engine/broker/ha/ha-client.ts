import { connect, type Socket } from 'node:net';
import { createLogger, type Logger } from '../../common/logger.js';
import { encodeOffsetReport, type TransferChunk, TransferChunkReader } from './ha-codec.js';
import { type HAConfig, type HAStore, isThenable } from './ha-store.js';

/** Housekeeping/heartbeat resolution of the slave loop. */
const TICK_MS = 200;
/** Wait between connection attempts to an unreachable master. */
const RECONNECT_MS = 1000;
const CONNECT_TIMEOUT_MS = 3000;

export interface HAClientStatus {
  masterAddress: string | null;
  connected: boolean;
  /** Last offset reported to the master (everything below it is stored here). */
  currentReportedOffset: number;
  lastReadTimestamp: number;
  lastWriteTimestamp: number;
  /** Highest master offset announced by any header since connecting (data end or heartbeat position). */
  masterOffsetSeen: number;
  reconnects: number;
}

/**
 * Slave side of replication (Java HAService.HAClient): connects to the master's HA port, reports the
 * local max commit-log offset, appends every chunk byte for byte through the store, and reconnects after
 * any error. Unlike Java it reports at once on connect (not after haSendHeartbeatInterval) so catch-up
 * starts without a 5 s pause, and it also gives up on a master it has heard nothing from (not even a
 * heartbeat) for haHousekeepingInterval, which catches a silently dead link.
 */
export class HAClient {
  readonly log: Logger;
  private masterAddress: string | null = null;
  private socket: Socket | undefined;
  private session = 0;
  private reader = new TransferChunkReader();
  private queue: TransferChunk[] = [];
  private draining = false;
  private ticker: NodeJS.Timeout | undefined;
  private nextConnectAt = 0;
  private connected = false;
  currentReportedOffset = 0;
  lastReadTimestamp = 0;
  lastWriteTimestamp = 0;
  masterOffsetSeen = 0;
  reconnects = 0;

  constructor(
    readonly store: HAStore,
    readonly config: HAConfig,
    log?: Logger,
  ) {
    this.log = log ?? createLogger('store');
    if (config.haMasterAddress) this.masterAddress = config.haMasterAddress;
  }

  start(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
    this.tick();
  }

  /** Sets the master's HA address (`ip:port`); a change drops the current connection. */
  updateMasterAddress(addr: string | null): void {
    if (addr === this.masterAddress) return;
    this.log.info({ old: this.masterAddress, new: addr }, 'HA client master address updated');
    this.masterAddress = addr;
    this.closeMaster('master address changed');
    this.nextConnectAt = 0;
    if (this.ticker) this.tick();
  }

  getMasterAddress(): string | null {
    return this.masterAddress;
  }

  status(): HAClientStatus {
    return {
      masterAddress: this.masterAddress,
      connected: this.connected,
      currentReportedOffset: this.currentReportedOffset,
      lastReadTimestamp: this.lastReadTimestamp,
      lastWriteTimestamp: this.lastWriteTimestamp,
      masterOffsetSeen: this.masterOffsetSeen,
      reconnects: this.reconnects,
    };
  }

  private tick(): void {
    const now = Date.now();
    if (!this.socket) {
      if (this.masterAddress && now >= this.nextConnectAt) this.connectMaster(this.masterAddress);
      return;
    }
    if (!this.connected) return;
    const { haSendHeartbeatInterval, haHousekeepingInterval } = this.config;
    if (now - this.lastWriteTimestamp > haSendHeartbeatInterval) this.report(this.currentReportedOffset);
    const silent = now - this.lastReadTimestamp;
    if (silent > haHousekeepingInterval)
      this.closeMaster(`housekeeping: nothing from the master for ${silent} ms`);
  }

  private connectMaster(addr: string): void {
    const colon = addr.lastIndexOf(':');
    const host = addr.slice(0, colon);
    const port = Number(addr.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
      this.log.error({ addr }, 'HA client: bad master address');
      this.nextConnectAt = Date.now() + RECONNECT_MS * 5;
      return;
    }
    const session = ++this.session;
    this.nextConnectAt = Date.now() + RECONNECT_MS;
    const socket = connect({ host, port, noDelay: true });
    this.socket = socket;
    socket.setTimeout(CONNECT_TIMEOUT_MS);
    socket.once('timeout', () => {
      if (!this.connected) this.closeMaster('connect timeout');
    });
    socket.once('connect', () => {
      if (session !== this.session) return;
      socket.setTimeout(0);
      socket.setKeepAlive(true, 10_000);
      this.connected = true;
      this.reader = new TransferChunkReader();
      this.queue = [];
      this.masterOffsetSeen = 0;
      this.lastReadTimestamp = Date.now();
      this.currentReportedOffset = this.store.getMaxPhyOffset();
      this.log.info({ master: addr, offset: this.currentReportedOffset }, 'HA client connected to master');
      this.report(this.currentReportedOffset);
    });
    socket.on('data', (chunk: Buffer) => this.onData(session, chunk));
    socket.on('error', (err) => {
      if (session === this.session) this.log.warn({ err, master: addr }, 'HA client socket error');
    });
    socket.on('close', () => {
      if (session === this.session) this.closeMaster('socket closed');
    });
  }

  private onData(session: number, chunk: Buffer): void {
    if (session !== this.session) return;
    this.lastReadTimestamp = Date.now();
    let chunks: TransferChunk[];
    try {
      chunks = this.reader.push(chunk);
    } catch (err) {
      this.closeMaster((err as Error).message);
      return;
    }
    if (chunks.length === 0) return;
    for (const c of chunks) this.queue.push(c);
    if (!this.draining) void this.drain(session);
  }

  /** Applies queued chunks in order; a store that appends asynchronously pauses the socket meanwhile. */
  private async drain(session: number): Promise<void> {
    this.draining = true;
    try {
      let i = 0;
      while (i < this.queue.length) {
        if (session !== this.session) return;
        const c = this.queue[i++]!;
        const end = c.masterPhyOffset + c.data.length;
        if (end > this.masterOffsetSeen) this.masterOffsetSeen = end;
        const slaveMax = this.store.getMaxPhyOffset();
        if (slaveMax !== 0 && slaveMax !== c.masterPhyOffset) {
          this.closeMaster(`master pushed offset ${c.masterPhyOffset} but the slave's max is ${slaveMax}`);
          return;
        }
        if (c.data.length === 0) continue;
        const r = this.store.appendToCommitLog(c.masterPhyOffset, c.data);
        let ok: boolean;
        if (isThenable(r)) {
          this.socket?.pause();
          ok = await r;
          if (session !== this.session) return;
          this.socket?.resume();
        } else {
          ok = r;
        }
        if (!ok) {
          this.closeMaster(`store refused ${c.data.length} bytes at ${c.masterPhyOffset}`);
          return;
        }
        this.reportPlus();
        if (i >= this.queue.length) {
          this.queue = [];
          i = 0;
        }
      }
      this.queue = [];
    } catch (err) {
      this.closeMaster(`append failed: ${(err as Error).message}`);
    } finally {
      // A newer session resets the flag itself in closeMaster and may be draining already.
      if (session === this.session) this.draining = false;
    }
  }

  /** Reports when the local log grew (Java reportSlaveMaxOffsetPlus). */
  private reportPlus(): void {
    const max = this.store.getMaxPhyOffset();
    if (max > this.currentReportedOffset) {
      this.currentReportedOffset = max;
      this.report(max);
    }
  }

  private report(offset: number): void {
    const s = this.socket;
    if (!s || !this.connected || s.destroyed) return;
    s.write(encodeOffsetReport(offset));
    this.lastWriteTimestamp = Date.now();
  }

  private closeMaster(reason: string): void {
    const s = this.socket;
    if (!s) return;
    this.session++;
    if (this.connected) this.reconnects++;
    this.log.info({ master: this.masterAddress, reason }, 'HA client closed the master connection');
    this.socket = undefined;
    this.connected = false;
    this.queue = [];
    this.draining = false;
    this.reader.reset();
    s.destroy();
  }

  shutdown(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.closeMaster('shutdown');
  }
}
