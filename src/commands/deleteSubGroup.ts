import { Flags } from '@oclif/core';
import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand, parseBool } from '../cli/format/admin-command.js';
import { confirmDestructive } from '../cli/format/confirm.js';
import { deleteSubGroup } from '../engine/admin/group-ops.js';

export default class DeleteSubGroup extends AdminCommand<typeof DeleteSubGroup> {
  static override summary = "Delete a consumer group from a broker or a cluster's masters.";
  static override description =
    "Deletes a consumer group from one broker (-b) or every master of a cluster (-c; also deletes the group's %RETRY% and %DLQ% topics). -r true also drops its offsets. Run as mq, it asks for confirmation on a terminal and needs --yes in a script; run as mqadmin, it never asks (as Java's mqadmin).";
  static override examples = [
    '<%= config.bin %> deleteSubGroup -c DefaultCluster -g dawnGroup --yes',
    '<%= config.bin %> deleteSubGroup -b 127.0.0.1:10911 -g dawnGroup -r true',
  ];
  static override flags = {
    ...brokerOrClusterFlags(
      'delete subscription group from which broker',
      'delete subscription group from which cluster',
    ),
    groupName: Flags.string({ char: 'g', description: 'subscription group name', required: true }),
    removeOffset: Flags.string({ char: 'r', description: 'remove offset' }),
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation (mqadmin never asks)' }),
  };

  async run() {
    const f = this.flags;
    const group = f.groupName.trim();
    const where = f.brokerAddr ? `broker ${f.brokerAddr}` : `cluster ${f.clusterName}`;
    await confirmDestructive(`Delete subscription group ${group} from ${where}?`, f.yes, this.invokedAs);
    const res = await this.withAdmin((a) =>
      deleteSubGroup(
        a,
        { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() },
        group,
        parseBool(f.removeOffset, false),
      ),
    );
    for (const b of res.brokers) {
      this.out(
        f.clusterName
          ? `delete subscription group [${group}] from broker [${b}] in cluster [${f.clusterName}] success.\n`
          : `delete subscription group [${group}] from broker [${b}] success.\n`,
      );
    }
    for (const t of res.deletedTopics)
      this.out(`delete topic [${t}] from cluster [${f.clusterName}] success.\n`);
    return res;
  }
}
