import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand } from '../cli/format/admin-command.js';
import { getAclConfigOn } from '../engine/admin/acl-ops.js';
import type { BrokerClusterAclConfig } from '../engine/protocol/bodies/acl-config.js';

const FIELDS = [
  'accessKey',
  'secretKey',
  'whiteRemoteAddress',
  'admin',
  'defaultTopicPerm',
  'defaultGroupPerm',
  'topicPerms',
  'groupPerms',
] as const;

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}

function text(addr: string, c: BrokerClusterAclConfig): string {
  let out = `\nbroker ${addr}\n${'globalWhiteRemoteAddresses'.padEnd(20)}: ${show(c.globalWhiteAddrs)}\n\naccounts:\n`;
  for (const a of c.plainAccessConfigs) {
    for (const k of FIELDS) out += ` ${k.padEnd(18)}: ${show(a[k])}\n`;
    out += '\n';
  }
  return out;
}

export default class GetAccessConfigSubCommand extends AdminCommand<typeof GetAccessConfigSubCommand> {
  static override summary = 'Print every plain ACL account and the global white list of a broker or cluster.';
  static override description =
    'Every account (secret keys included) and the global white list of the plain ACL file of one broker (-b) or every master of a cluster (-c). Uses GET_BROKER_CLUSTER_ACL_CONFIG, which Apache RocketMQ answers in 4.9.0–4.9.4 only.';
  static override aliases = ['getAclConfig'];
  static override examples = ['<%= config.bin %> getAccessConfigSubCommand -b 127.0.0.1:10911'];
  static override flags = {
    ...brokerOrClusterFlags(
      'query acl config version for which broker',
      'query acl config version for specified cluster',
    ),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      getAclConfigOn(a, { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() }),
    );
    for (const r of res.results) this.out(text(r.addr, r.result));
    this.partialFailure(res.failed);
    return { brokers: res.results.map((r) => ({ brokerAddr: r.addr, ...r.result })), failed: res.failed };
  }
}
