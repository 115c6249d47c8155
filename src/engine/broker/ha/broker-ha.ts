import { createLogger, type Logger } from '../../common/logger.js';
import { HAClient } from './ha-client.js';
import { HAService } from './ha-service.js';
import type { HAConfig, HAStore, SlaveWaitStatus } from './ha-store.js';

/** What the name server's REGISTER_BROKER reply tells a slave (RegisterBrokerResult). */
export interface RegisterResultForHA {
  haServerAddr?: string | null;
  masterAddr?: string | null;
}

/**
 * The broker's single entry point to replication: a master runs the HA server, a slave runs the HA
 * client. The broker calls `start`, `afterPut` on the send path, `onRegisterResult` after each
 * registration, `runtimeInfo` for GET_BROKER_RUNTIME_INFO, and `shutdown`.
 */
export class BrokerHA {
  readonly service: HAService | undefined;
  readonly client: HAClient | undefined;
  private readonly log: Logger;
  /** True when the master HA address follows the name server's reply (no haMasterAddress configured). */
  private readonly followRegistration: boolean;

  constructor(
    readonly store: HAStore,
    readonly config: HAConfig,
    log?: Logger,
  ) {
    this.log = log ?? createLogger('store');
    if (config.brokerRole === 'SLAVE') {
      this.client = new HAClient(store, config, this.log);
      // Java treats anything shorter than "a:1234"-ish (6 chars) as unset.
      this.followRegistration = !config.haMasterAddress || config.haMasterAddress.length < 6;
    } else {
      this.service = new HAService(store, config, this.log);
      this.followRegistration = false;
    }
  }

  get isSlave(): boolean {
    return this.client !== undefined;
  }

  /** Master: listens on haListenPort (resolves with the bound port). Slave: starts the HA client. */
  async start(host?: string): Promise<number> {
    if (this.service) return this.service.start(host);
    this.client!.start();
    return 0;
  }

  /** The port the HA server listens on (0 on a slave). */
  get listenPort(): number {
    return this.service?.listenPort ?? 0;
  }

  /**
   * The send path's hook after a successful store put ending at `endOffset` (wroteOffset + wroteBytes):
   * on a SYNC_MASTER waits for a slave (unless the producer set WAIT=false); otherwise just lets the
   * slaves know data arrived. Returns the status the reply should carry.
   */
  async afterPut(endOffset: number, waitStoreMsgOK = true): Promise<SlaveWaitStatus> {
    if (!this.service) return 'PUT_OK';
    if (this.config.brokerRole === 'SYNC_MASTER' && waitStoreMsgOK) {
      return this.service.waitForSlave(endOffset, this.config.syncFlushTimeout);
    }
    this.service.notifyDataArrived();
    return 'PUT_OK';
  }

  /**
   * Slave: adopt the master's HA address from a REGISTER_BROKER reply unless haMasterAddress is set.
   * With a `checkMaster` (see setMasterCheck), a master is only followed once the check passed; a master
   * that fails it is never replicated from (the reason is logged and shown in runtimeInfo).
   */
  onRegisterResult(r: RegisterResultForHA | undefined): void {
    if (!this.client || !r) return;
    const master = r.masterAddr ?? undefined;
    if (this.checkMaster && master && this.checkedMaster !== master) {
      if (this.checking === master) return;
      this.checking = master;
      void this.checkMaster(master).then(
        (problem) => {
          this.checking = undefined;
          this.checkedMaster = master;
          this.incompatibleMaster = problem ?? undefined;
          if (problem) {
            this.log.error({ master }, problem);
            this.client!.updateMasterAddress(null);
          } else this.onRegisterResult(r);
        },
        (err) => {
          // Could not ask (the master is starting, say): the next registration asks again.
          this.checking = undefined;
          this.log.warn({ master, err: String(err) }, 'could not check the master before replicating');
        },
      );
      return;
    }
    if (this.incompatibleMaster) return;
    if (this.followRegistration && r.haServerAddr) this.client.updateMasterAddress(r.haServerAddr);
  }

  /** Slave: vet each new master (by its remoting address) before following it; resolves to a problem or null. */
  setMasterCheck(check: (masterAddr: string) => Promise<string | null>): void {
    this.checkMaster = check;
  }
  private checkMaster: ((masterAddr: string) => Promise<string | null>) | undefined;
  private checkedMaster: string | undefined;
  private checking: string | undefined;
  /** Why the current master is not replicated from. */
  private incompatibleMaster: string | undefined;

  /** Explicitly point the slave at a master HA address (`ip:port`). */
  updateMasterAddress(addr: string | null): void {
    this.client?.updateMasterAddress(addr);
  }

  /** Bytes the best slave lacks (master), or -1 on a slave. */
  slaveFallBehindMuch(): number {
    return this.service ? this.service.slaveFallBehindMuch() : -1;
  }

  /** HA keys for GET_BROKER_RUNTIME_INFO (all values strings, as the KVTable wants). */
  runtimeInfo(): Record<string, string> {
    if (this.service) {
      const conns = this.service.connections();
      return {
        haConnectionCount: String(this.service.connectionCount),
        haPush2SlaveMaxOffset: String(this.service.push2SlaveMaxOffset),
        haSlaveFallBehindBytes: String(this.service.slaveFallBehindMuch()),
        haSlaves: conns.map((c) => `${c.slaveAddr}/${c.slaveAckOffset}/${c.behindBytes}`).join(','),
      };
    }
    const s = this.client!.status();
    return {
      haMasterAddress: s.masterAddress ?? '',
      haMasterConnected: String(s.connected),
      haSlaveMaxOffset: String(this.store.getMaxPhyOffset()),
      haMasterOffsetSeen: String(s.masterOffsetSeen),
      haLastMasterReadTimestamp: String(s.lastReadTimestamp),
      ...(this.incompatibleMaster ? { haReplicationStopped: this.incompatibleMaster } : {}),
    };
  }

  async shutdown(): Promise<void> {
    this.client?.shutdown();
    await this.service?.shutdown();
  }
}
