import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';

import { changeWritePerm } from '../engine/admin/cluster-ops.js';

export default class AddWritePerm extends AdminCommand<typeof AddWritePerm> {
  static override summary =
    'Give a broker back its write permission on the name servers (undoes wipeWritePerm).';
  static override description =
    'Gives the broker back its write permission on the name servers (undoes wipeWritePerm).';
  static override examples = ['<%= config.bin %> addWritePerm -b broker-a -n 127.0.0.1:9876'];
  static override flags = {
    brokerName: Flags.string({ char: 'b', description: 'broker name', required: true }),
  };

  async run() {
    const name = this.flags.brokerName.trim();

    const res = await this.withAdmin((a) => changeWritePerm(a, name, true));
    for (const n of res.nameServers) {
      this.out(
        n.ok
          ? `add write perm of broker[${name}] in name server[${n.addr}] OK, ${n.topicCount}\n`
          : `add write perm of broker[${name}] in name server[${n.addr}] Failed\n`,
      );
    }
    this.partialFailure(
      res.nameServers.filter((n) => !n.ok).map((n) => ({ addr: n.addr, error: n.error ?? 'failed' })),
    );
    return res;
  }
}
