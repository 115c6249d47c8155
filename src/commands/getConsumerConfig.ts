import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { renderProperties } from '../cli/format/table.js';
import { getConsumerConfig } from '../engine/admin/group-ops.js';

export default class GetConsumerConfig extends AdminCommand<typeof GetConsumerConfig> {
  static override summary = "Print a consumer group's subscription config on each broker.";
  static override description = "The group's subscription config on every broker that has it.";
  static override examples = [
    '<%= config.bin %> getConsumerConfig -g dawnGroup',
    '<%= config.bin %> getConsumerConfig -g dawnGroup --json',
  ];
  static override flags = {
    groupName: Flags.string({ char: 'g', description: 'subscription group name', required: true }),
  };

  async run() {
    const res = await this.withAdmin((a) => getConsumerConfig(a, this.flags.groupName.trim()));
    for (const b of res.brokers) {
      const cfg: Record<string, string> = {};
      for (const [k, v] of Object.entries(b.config)) cfg[k] = String(v);
      this.out(
        `=============================${b.clusterName}:${b.brokerName}=============================\n${renderProperties(cfg, 40)}`,
      );
    }
    return res;
  }
}
