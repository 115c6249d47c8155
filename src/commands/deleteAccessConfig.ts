import { Flags } from '@oclif/core';
import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand } from '../cli/format/admin-command.js';
import { deleteAccessConfigOn } from '../engine/admin/acl-ops.js';

export default class DeleteAccessConfig extends AdminCommand<typeof DeleteAccessConfig> {
  static override summary = "Delete a plain ACL account from a broker or a cluster's masters.";
  static override description =
    "Removes one account from the broker's plain_acl.yml on one broker (-b) or every master of a cluster (-c).";
  static override aliases = ['deleteAclConfig'];
  static override examples = ['<%= config.bin %> deleteAccessConfig -b 127.0.0.1:10911 -a RocketMQ'];
  static override flags = {
    ...brokerOrClusterFlags(
      'delete acl config account from which broker',
      'delete acl config account from which cluster',
    ),
    accountAccessKey: Flags.string({
      char: 'a',
      description: 'set accessKey in acl config file for deleting which account',
      required: true,
    }),
  };

  async run() {
    const f = this.flags;
    const accessKey = f.accountAccessKey.trim();
    const res = await this.withAdmin((a) =>
      deleteAccessConfigOn(
        a,
        { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() },
        accessKey,
      ),
    );
    for (const r of res.results) this.out(`delete plain access config account from ${r.addr} success.\n`);
    this.out(`account's accesskey is:${accessKey}\n`);
    this.partialFailure(res.failed);
    return { accessKey, deleted: res.results.map((r) => r.addr), failed: res.failed };
  }
}
