import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand } from '../cli/format/admin-command.js';
import { jformat } from '../cli/format/printf.js';
import { brokerStatus, type BrokerStatus as Status } from '../engine/admin/cluster-ops.js';

export default class BrokerStatus extends AdminCommand<typeof BrokerStatus> {
  static override summary = "Print a broker's runtime figures (one broker, or every broker of a cluster).";
  static override description =
    "A broker's runtime figures (GET_BROKER_RUNTIME_INFO), keys sorted; with -c, those of every master and slave of the cluster, each line prefixed by the broker address.";
  static override examples = [
    '<%= config.bin %> brokerStatus -b 127.0.0.1:10911',
    '<%= config.bin %> brokerStatus -c DefaultCluster --json',
  ];
  static override flags = {
    ...brokerOrClusterFlags('Broker address', 'which cluster'),
  };

  async run(): Promise<{ brokers: Status[] }> {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      brokerStatus(a, { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() }),
    );
    const many = !f.brokerAddr;
    for (const b of res.brokers) {
      this.out(
        Object.entries(b.stats)
          .map(([k, v]) => (many ? jformat('%-24s %-32s: %s%n', b.addr, k, v) : jformat('%-32s: %s%n', k, v)))
          .join(''),
      );
    }
    this.partialFailure(res.brokers.filter((b) => b.error).map((b) => ({ addr: b.addr, error: b.error! })));
    return res;
  }
}
