import { Flags } from '@oclif/core';
import { brokerHousekeeping, type HousekeepingResult } from '../../engine/admin/broker-housekeeping.js';
import { AdminCommand } from './admin-command.js';
import { bareLine } from './java-print.js';

/**
 * The three broker clean-ups of mqadmin (cleanExpiredCQ, cleanUnusedTopic, deleteExpiredCommitLog): one
 * request to -b one broker, -c every broker of a cluster, or every cluster's; `success` or `false` with
 * one stderr line per failed broker. Subclasses name the request.
 */
export abstract class HousekeepingCommand extends AdminCommand<typeof HousekeepingCommand> {
  static override flags = {
    brokerAddr: Flags.string({ char: 'b', description: 'Broker address' }),
    cluster: Flags.string({ char: 'c', description: 'cluster name' }),
  };

  protected abstract readonly request: Parameters<typeof brokerHousekeeping>[1];

  async run(): Promise<HousekeepingResult> {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      brokerHousekeeping(a, this.request, {
        brokerAddr: f.brokerAddr?.trim() || undefined,
        clusterName: f.cluster?.trim() || undefined,
      }),
    );
    this.out(bareLine(res.result ? 'success' : 'false'));
    this.partialFailure(
      res.brokers.filter((b) => !b.ok).map((b) => ({ addr: b.addr, error: b.error ?? 'failed' })),
    );
    return res;
  }
}
