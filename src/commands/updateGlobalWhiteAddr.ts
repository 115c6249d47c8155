import { Flags } from '@oclif/core';
import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand } from '../cli/format/admin-command.js';
import { updateGlobalWhiteAddrOn } from '../engine/admin/acl-ops.js';

export default class UpdateGlobalWhiteAddr extends AdminCommand<typeof UpdateGlobalWhiteAddr> {
  static override summary = "Replace the plain ACL global white list on a broker or a cluster's masters.";
  static override description =
    "Replaces globalWhiteRemoteAddresses in the broker's plain_acl.yml on one broker (-b) or every master of a cluster (-c).";
  static override examples = [
    '<%= config.bin %> updateGlobalWhiteAddr -b 127.0.0.1:10911 -g 10.10.103.*,192.168.0.*',
  ];
  static override flags = {
    ...brokerOrClusterFlags(
      'update global white address to which broker',
      'update global white address to which cluster',
    ),
    globalWhiteRemoteAddresses: Flags.string({
      char: 'g',
      description: 'set globalWhiteRemoteAddress list,eg: 10.10.103.*,192.168.0.*',
      required: true,
    }),
    aclFileFullPath: Flags.string({
      char: 'p',
      description: 'update global white address of specified acl file,eg: /xxx/plain_test.yml',
    }),
  };

  async run() {
    const f = this.flags;
    const addrs = f.globalWhiteRemoteAddresses
      .trim()
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const res = await this.withAdmin((a) =>
      updateGlobalWhiteAddrOn(
        a,
        { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() },
        addrs,
        f.aclFileFullPath?.trim(),
      ),
    );
    for (const r of res.results) this.out(`update global white remote addresses to ${r.addr} success.\n`);
    this.partialFailure(res.failed);
    return { globalWhiteRemoteAddresses: addrs, updated: res.results.map((r) => r.addr), failed: res.failed };
  }
}
