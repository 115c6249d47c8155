import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { bareLine } from '../cli/format/java-print.js';
import { brokerHousekeeping, type HousekeepingResult } from '../engine/admin/broker-housekeeping.js';

export default class CleanExpiredCQ extends AdminCommand<typeof CleanExpiredCQ> {
  static override summary = 'Clean expired ConsumeQueue on broker.';
  static override description =
    "Destroys consume queues whose every entry points below the commit log's min offset (their messages are gone); the queues' next offsets are kept. With -b one broker, with -c every broker (masters and slaves) of the cluster, with neither every cluster's. Prints success, or false with one line per failed broker on stderr.";
  static override examples = [
    '<%= config.bin %> cleanExpiredCQ -b 127.0.0.1:10911',
    '<%= config.bin %> cleanExpiredCQ -c DefaultCluster --json',
  ];
  static override flags = {
    brokerAddr: Flags.string({ char: 'b', description: 'Broker address' }),
    cluster: Flags.string({ char: 'c', description: 'clustername' }),
  };

  async run(): Promise<HousekeepingResult> {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      brokerHousekeeping(a, 'CLEAN_EXPIRED_CONSUMEQUEUE', {
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
