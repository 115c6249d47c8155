import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { confirmDestructive } from '../cli/format/confirm.js';
import { changeWritePerm } from '../engine/admin/cluster-ops.js';

export default class WipeWritePerm extends AdminCommand<typeof WipeWritePerm> {
  static override summary =
    'Make the name servers report a broker as read-only, so producers stop sending to it.';
  static override description =
    'Makes the name servers report the broker as read-only, so producers stop sending to it (used before taking a broker down). Run as mq, it asks for confirmation on a terminal and needs --yes in a script; run as mqadmin, it never asks (as Java mqadmin).';
  static override examples = [
    '<%= config.bin %> wipeWritePerm -b broker-a -n 127.0.0.1:9876',
    '<%= config.bin %> wipeWritePerm -b broker-a --yes --json',
  ];
  static override flags = {
    brokerName: Flags.string({ char: 'b', description: 'broker name', required: true }),
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation (mqadmin never asks)' }),
  };

  async run() {
    const name = this.flags.brokerName.trim();
    await confirmDestructive(
      `Remove the write permission of broker ${name} on every name server?`,
      this.flags.yes,
      this.invokedAs,
    );
    const res = await this.withAdmin((a) => changeWritePerm(a, name, false));
    for (const n of res.nameServers) {
      this.out(
        n.ok
          ? `wipe write perm of broker[${name}] in name server[${n.addr}] OK, ${n.topicCount}\n`
          : `wipe write perm of broker[${name}] in name server[${n.addr}] Failed\n`,
      );
    }
    this.partialFailure(
      res.nameServers.filter((n) => !n.ok).map((n) => ({ addr: n.addr, error: n.error ?? 'failed' })),
    );
    return res;
  }
}
