import type { Socket } from 'node:net';
import type { Logger } from '../../common/logger.js';
import { encodeTransferHeader, OffsetReportReader } from './ha-codec.js';
import { type HAConfig, type HAStore, isThenable } from './ha-store.js';

/** What a connection needs from its HAService. */
export interface HAConnectionOwner {
  readonly store: HAStore;
  readonly config: HAConfig;
  readonly log: Logger;
  /** A slave acknowledged everything below `offset`. */
  onSlaveAck(conn: HAConnection, offset: number): void;
  onConnectionClosed(conn: HAConnection): void;
}

/** Bytes queued in the socket above which the pump waits for 'drain' (keeps memory bounded). */
const MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * Master side of one slave connection (Java HAConnection): reads the slave's offset reports and streams
 * commit-log chunks from where the slave asked, with size-0 heartbeats when idle.
 */
export class HAConnection {
  readonly clientAddr: string;
  /** First offset the slave reported (where streaming started from); -1 until its first report. */
  slaveRequestOffset = -1;
  /** Latest offset the slave reported: it holds every byte below this. */
  slaveAckOffset = -1;
  /** Next commit-log offset to send; -1 until the first report arrived. */
  nextTransferFromWhere = -1;
  lastReadTimestamp = Date.now();
  lastWriteTimestamp = Date.now();
  readonly connectedAt = Date.now();
  private readonly reports = new OffsetReportReader();
  private pumping = false;
  private wakeAgain = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly owner: HAConnectionOwner,
  ) {
    this.clientAddr = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.owner.log.warn({ err, slave: this.clientAddr }, 'HA connection error'));
    socket.on('close', () => this.close('socket closed'));
    socket.on('drain', () => this.wake());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes the slave still lacks compared with the master's commit log (0 before its first report). */
  behindBytes(masterMax: number): number {
    return this.slaveAckOffset < 0 ? 0 : Math.max(0, masterMax - this.slaveAckOffset);
  }

  private onData(chunk: Buffer): void {
    this.lastReadTimestamp = Date.now();
    const offset = this.reports.push(chunk);
    if (offset === undefined) return;
    const masterMax = this.owner.store.getMaxPhyOffset();
    if (offset > masterMax) {
      // A slave ahead of its master holds bytes this master never wrote (diverged logs): its reports must
      // not acknowledge SYNC puts. Java only checks after the first report; we refuse from the start.
      this.owner.log.error(
        { slave: this.clientAddr, slaveOffset: offset, masterMax },
        'HA slave is ahead of the master: its commit log diverged and must be truncated or rebuilt',
      );
      this.close(`slave offset ${offset} is beyond the master's max ${masterMax}`);
      return;
    }
    if (this.slaveRequestOffset < 0) {
      this.slaveRequestOffset = offset;
      this.owner.log.info({ slave: this.clientAddr, offset }, 'HA slave request offset');
    }
    this.slaveAckOffset = offset;
    this.owner.onSlaveAck(this, offset);
    this.wake();
  }

  /** New data may be available (or the socket drained): stream what the slave lacks. */
  wake(): void {
    if (this.closed || this.slaveRequestOffset < 0) return;
    if (this.pumping) {
      this.wakeAgain = true;
      return;
    }
    this.pumping = true;
    this.pump()
      .catch((err) => this.close(`transfer failed: ${(err as Error).message}`))
      .finally(() => {
        this.pumping = false;
      });
  }

  /** Periodic duties: read-silence housekeeping, heartbeats, and a poll for data nobody announced. */
  tick(now: number): void {
    if (this.closed) return;
    if (now - this.lastReadTimestamp > this.owner.config.haHousekeepingInterval) {
      this.close(`housekeeping: nothing read for ${now - this.lastReadTimestamp} ms`);
      return;
    }
    if (this.slaveRequestOffset < 0) return;
    if (
      !this.pumping &&
      now - this.lastWriteTimestamp > this.owner.config.haSendHeartbeatInterval &&
      this.socket.writableLength === 0
    ) {
      this.write(encodeTransferHeader(this.nextTransferFromWhere, 0), undefined);
    }
    this.wake();
  }

  private async pump(): Promise<void> {
    const { store, config } = this.owner;
    if (this.nextTransferFromWhere < 0) {
      if (this.slaveRequestOffset === 0) {
        // An empty slave starts at the head of the master's last commit-log file, as Java does.
        const max = store.getMaxPhyOffset();
        this.nextTransferFromWhere = Math.max(0, max - (max % config.mappedFileSizeCommitLog));
      } else {
        this.nextTransferFromWhere = this.slaveRequestOffset;
      }
      this.owner.log.info(
        { slave: this.clientAddr, from: this.nextTransferFromWhere },
        'HA master starts transferring',
      );
    }
    for (;;) {
      if (this.closed) return;
      if (this.socket.writableLength >= MAX_QUEUED_BYTES) return; // 'drain' wakes us
      this.wakeAgain = false;
      const got = store.getCommitLogData(this.nextTransferFromWhere, config.haTransferBatchSize);
      let data = isThenable(got) ? await got : got;
      if (this.closed) return;
      if (!data || data.length === 0) {
        if (this.wakeAgain) continue;
        return;
      }
      if (data.length > config.haTransferBatchSize) data = data.subarray(0, config.haTransferBatchSize);
      const offset = this.nextTransferFromWhere;
      this.nextTransferFromWhere += data.length;
      this.write(encodeTransferHeader(offset, data.length), data);
    }
  }

  private write(header: Buffer, body: Buffer | undefined): void {
    this.socket.cork();
    this.socket.write(header);
    if (body) this.socket.write(body);
    this.socket.uncork();
    this.lastWriteTimestamp = Date.now();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.log.info({ slave: this.clientAddr, reason }, 'HA connection closed');
    this.socket.destroy();
    this.owner.onConnectionClosed(this);
  }
}
