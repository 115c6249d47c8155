import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import { ConfigFile } from '../config-file.js';

/** An orderly (FIFO) queue's current lease (ConsumerOrderInfoManager.OrderInfo). */
export interface OrderInfo {
  /** When the lease was handed out: receipts of this lease carry it (or a later one, after a change). */
  leasedAt?: number;
  /** Start of the current invisible time (moved by CHANGE_MESSAGE_INVISIBLETIME). */
  popTime: number;
  invisibleTime: number;
  /** Queue offsets handed out by the last pop, in order. */
  offsets: number[];
  /** Offsets of `offsets` acked (or dead-lettered) since. */
  acked: number[];
  /** How often each offset was handed out before (absent: never). */
  counts: Record<string, number>;
  /** nextBeginOffset of that pop. */
  next: number;
}

/**
 * `config/popState.json`: where each group's pops go on (`group@topic@queueId` → next queue offset), how
 * far the revive topic's queues have been replayed, and the FIFO leases. Written in one file so one
 * snapshot is always consistent: every check point before a revive offset is settled and lies below the
 * pop offsets of the same snapshot, so replaying the revive topic from there after a kill -9 rebuilds
 * every unsettled lease and hands out nothing already settled.
 */
export class PopStateFile extends ConfigFile {
  popOffsets = new Map<string, number>();
  reviveOffsets = new Map<number, number>();
  orderInfos = new Map<string, OrderInfo>();

  constructor(
    private readonly rootDir: string,
    log: Logger,
  ) {
    super(log);
  }

  configFilePath(): string {
    return join(this.rootDir, 'config', 'popState.json');
  }

  encode(): string {
    return JSON.stringify(
      {
        popOffsets: Object.fromEntries(this.popOffsets),
        reviveOffsets: Object.fromEntries(this.reviveOffsets),
        orderInfos: Object.fromEntries(this.orderInfos),
      },
      null,
      1,
    );
  }

  decode(text: string): void {
    const o = JSON.parse(text) as {
      popOffsets?: Record<string, number>;
      reviveOffsets?: Record<string, number>;
      orderInfos?: Record<string, OrderInfo>;
    };
    this.popOffsets = new Map(Object.entries(o.popOffsets ?? {}));
    this.reviveOffsets = new Map(Object.entries(o.reviveOffsets ?? {}).map(([k, v]) => [Number(k), v]));
    this.orderInfos = new Map(Object.entries(o.orderInfos ?? {}));
  }
}
