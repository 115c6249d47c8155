import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand } from '../cli/format/admin-command.js';
import { formatDate } from '../cli/format/time.js';
import { type AclVersionInfo, clusterAclConfigVersionOn } from '../engine/admin/acl-ops.js';

const row = (cols: string[]) =>
  `${[16, 22, 22, 20, 22, 22].map((w, i) => (cols[i] ?? '').padEnd(w)).join('  ')}\n`;

function rows(info: AclVersionInfo): string {
  return Object.entries(info.allAclFileVersion)
    .map(([file, v]) =>
      row([
        info.clusterName,
        info.brokerName,
        info.brokerAddr,
        file,
        String(v.counter),
        formatDate(v.timestamp),
      ]),
    )
    .join('');
}

export default class ClusterAclConfigVersion extends AdminCommand<typeof ClusterAclConfigVersion> {
  static override summary = "Print the plain ACL file's version on a broker or a cluster's masters.";
  static override description =
    'The data version (counter and last update time) of the plain ACL file of one broker (-b) or of every master of a cluster (-c).';
  static override examples = [
    '<%= config.bin %> clusterAclConfigVersion -c DefaultCluster',
    '<%= config.bin %> clusterAclConfigVersion -b 127.0.0.1:10911',
  ];
  static override flags = {
    ...brokerOrClusterFlags(
      'query acl config version for which broker',
      'query acl config version for specified cluster',
    ),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      clusterAclConfigVersionOn(a, { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() }),
    );
    if (f.clusterName) {
      this.out(
        row([
          '#Cluster Name',
          '#Broker Name',
          '#Broker Addr',
          '#AclFilePath',
          '#AclConfigVersionNum',
          '#AclLastUpdateTime',
        ]),
      );
    }
    for (const r of res.results) this.out(rows(r.result));
    this.out(
      f.clusterName
        ? "get cluster's plain access config version success.\n"
        : "get broker's plain access config version success.\n",
    );
    this.partialFailure(res.failed);
    return { brokers: res.results.map((r) => r.result), failed: res.failed };
  }
}
