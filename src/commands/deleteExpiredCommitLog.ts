import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { bareLine } from '../cli/format/java-print.js';
import { brokerHousekeeping, type HousekeepingResult } from '../engine/admin/broker-housekeeping.js';

export default class DeleteExpiredCommitLog extends AdminCommand<typeof DeleteExpiredCommitLog> {
  static override summary = 'Delete expired CommitLog files';
  static override description =
    "Runs the broker's commit-log retention now, whatever deleteWhen says: files older than fileReservedTime hours go (more only if the disk itself is nearly full); the file being written never does. With -b one broker, with -c every broker (masters and slaves) of the cluster, with neither every cluster's. Prints success, or false with one line per failed broker on stderr.";
  static override examples = [
    '<%= config.bin %> deleteExpiredCommitLog -b 127.0.0.1:10911',
    '<%= config.bin %> deleteExpiredCommitLog -c DefaultCluster --json',
  ];
  static override flags = {
    brokerAddr: Flags.string({ char: 'b', description: 'Broker address' }),
    cluster: Flags.string({ char: 'c', description: 'clustername' }),
  };

  async run(): Promise<HousekeepingResult> {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      brokerHousekeeping(a, 'DELETE_EXPIRED_COMMITLOG', {
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
