import { Flags } from '@oclif/core';
import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand } from '../cli/format/admin-command.js';
import { updateBrokerConfig } from '../engine/admin/cluster-ops.js';

export default class UpdateBrokerConfig extends AdminCommand<typeof UpdateBrokerConfig> {
  static override summary =
    "Set a key in a broker's running configuration (one broker, or a cluster's masters).";
  static override description =
    'Sets key=value in the running configuration of one broker (-b) or every master of a cluster (-c).';
  static override examples = [
    '<%= config.bin %> updateBrokerConfig -b 127.0.0.1:10911 -k flushDiskType -v ASYNC_FLUSH',
    '<%= config.bin %> updateBrokerConfig -c DefaultCluster -k brokerPermission -v 6',
  ];
  static override flags = {
    ...brokerOrClusterFlags('update which broker', 'update which cluster'),
    key: Flags.string({ char: 'k', description: 'config key', required: true }),
    value: Flags.string({ char: 'v', description: 'config value', required: true }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      updateBrokerConfig(
        a,
        { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() },
        f.key.trim(),
        f.value.trim(),
      ),
    );
    for (const b of res.updated) this.out(`update broker config success, ${b}\n`);
    this.partialFailure(res.failed);
    return res;
  }
}
