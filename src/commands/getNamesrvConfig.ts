import { AdminCommand } from '../cli/format/admin-command.js';
import { renderProperties } from '../cli/format/table.js';
import { getNamesrvConfig } from '../engine/admin/cluster-ops.js';

export default class GetNamesrvConfig extends AdminCommand<typeof GetNamesrvConfig> {
  static override summary = 'Print the running configuration of the name servers.';
  static override description = 'The running configuration of every name server given with -n, keys sorted.';
  static override examples = [
    '<%= config.bin %> getNamesrvConfig -n 127.0.0.1:9876',
    '<%= config.bin %> getNamesrvConfig --json',
  ];

  async run() {
    const res = await this.withAdmin((a) => getNamesrvConfig(a));
    this.out(
      res.nameServers.map((n) => `============${n.addr}============\n${renderProperties(n.config)}`).join(''),
    );
    return res;
  }
}
