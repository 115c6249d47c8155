import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { updateNamesrvConfig } from '../engine/admin/cluster-ops.js';

export default class UpdateNamesrvConfig extends AdminCommand<typeof UpdateNamesrvConfig> {
  static override summary = "Set a key in the name servers' running configuration.";
  static override description =
    'Sets key=value in the running configuration of every name server given with -n.';
  static override examples = ['<%= config.bin %> updateNamesrvConfig -k orderMessageEnable -v true'];
  static override flags = {
    key: Flags.string({ char: 'k', description: 'config key', required: true }),
    value: Flags.string({ char: 'v', description: 'config value', required: true }),
  };

  async run() {
    const res = await this.withAdmin((a) =>
      updateNamesrvConfig(a, this.flags.key.trim(), this.flags.value.trim()),
    );
    this.out(
      `update name server config success![${res.nameServers.join(', ')}]\n${res.key} : ${res.value}\n`,
    );
    return res;
  }
}
