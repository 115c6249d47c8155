import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand } from '../cli/format/admin-command.js';
import { renderProperties } from '../cli/format/table.js';
import { getBrokerConfig } from '../engine/admin/cluster-ops.js';

export default class GetBrokerConfig extends AdminCommand<typeof GetBrokerConfig> {
  static override summary =
    "Print a broker's running configuration (one broker, or every broker of a cluster).";
  static override description =
    'The running configuration of one broker (-b), or of every master and slave of a cluster (-c), keys sorted.';
  static override examples = [
    '<%= config.bin %> getBrokerConfig -b 127.0.0.1:10911',
    '<%= config.bin %> getBrokerConfig -c DefaultCluster --json',
  ];
  static override flags = {
    ...brokerOrClusterFlags('get which broker', 'get which cluster'),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      getBrokerConfig(a, { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() }),
    );
    for (const b of res.brokers) {
      const title =
        b.role === 'broker'
          ? b.addr
          : b.role === 'master'
            ? `Master: ${b.addr}`
            : `My Master: ${b.master}=====Slave: ${b.addr}`;
      this.out(`============${title}============\n${renderProperties(b.config)}\n`);
    }
    return res;
  }
}
