import { Flags } from '@oclif/core';
import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand, parseBool } from '../cli/format/admin-command.js';
import { updateAclConfigOn } from '../engine/admin/acl-ops.js';
import type { PlainAccessConfig } from '../engine/protocol/bodies/acl-config.js';

/** One line per account field, secrets left out. */
export function accountText(a: PlainAccessConfig): string {
  return (
    `PlainAccessConfig [accessKey=${a.accessKey}, whiteRemoteAddress=${a.whiteRemoteAddress ?? ''}, admin=${a.admin === true}, ` +
    `defaultTopicPerm=${a.defaultTopicPerm ?? ''}, defaultGroupPerm=${a.defaultGroupPerm ?? ''}, ` +
    `topicPerms=[${(a.topicPerms ?? []).join(', ')}], groupPerms=[${(a.groupPerms ?? []).join(', ')}]]`
  );
}

const permList = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .trim()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

export default class UpdateAclConfig extends AdminCommand<typeof UpdateAclConfig> {
  static override summary = "Create or update a plain ACL account on a broker or a cluster's masters.";
  static override description =
    "Creates or updates one account of the broker's plain_acl.yml (RocketMQ plain ACL) on one broker (-b) or every master of a cluster (-c). -a/-s are the account's keys; the global --accessKey/--secretKey sign the request itself (an admin account is needed when the broker has ACL on).";
  static override examples = [
    '<%= config.bin %> updateAclConfig -b 127.0.0.1:10911 -a RocketMQ -s 12345678 -t TopicA=PUB,TopicB=SUB -g GroupA=SUB --accessKey rocketmq2 --secretKey 12345678',
    '<%= config.bin %> updateAclConfig -c DefaultCluster -a RocketMQ -s 12345678 -i DENY -u SUB',
  ];
  static override flags = {
    ...brokerOrClusterFlags(
      'update acl config file to which broker',
      'update acl config file to which cluster',
    ),
    accountAccessKey: Flags.string({
      char: 'a',
      description: 'set accessKey in acl config file',
      required: true,
    }),
    accountSecretKey: Flags.string({ char: 's', description: 'set secretKey in acl config file' }),
    whiteRemoteAddress: Flags.string({
      char: 'w',
      description: 'set white ip Address for account in acl config file',
    }),
    defaultTopicPerm: Flags.string({ char: 'i', description: 'set default topicPerm in acl config file' }),
    defaultGroupPerm: Flags.string({ char: 'u', description: 'set default GroupPerm in acl config file' }),
    topicPerms: Flags.string({ char: 't', description: 'set topicPerms list,eg: topicA=DENY,topicD=SUB' }),
    groupPerms: Flags.string({ char: 'g', description: 'set groupPerms list,eg: groupD=DENY,groupD=SUB' }),
    admin: Flags.string({ char: 'm', description: 'set admin flag in acl config file' }),
  };

  async run() {
    const f = this.flags;
    const cfg: PlainAccessConfig = {
      accessKey: f.accountAccessKey.trim(),
      secretKey: f.accountSecretKey?.trim() ?? '',
      admin: parseBool(f.admin, false),
    };
    if (f.whiteRemoteAddress !== undefined) cfg.whiteRemoteAddress = f.whiteRemoteAddress.trim();
    if (f.defaultTopicPerm !== undefined) cfg.defaultTopicPerm = f.defaultTopicPerm.trim();
    if (f.defaultGroupPerm !== undefined) cfg.defaultGroupPerm = f.defaultGroupPerm.trim();
    const tp = permList(f.topicPerms);
    if (tp) cfg.topicPerms = tp;
    const gp = permList(f.groupPerms);
    if (gp) cfg.groupPerms = gp;
    const res = await this.withAdmin((a) =>
      updateAclConfigOn(a, { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() }, cfg),
    );
    for (const r of res.results) this.out(`create or update plain access config to ${r.addr} success.\n`);
    this.out(`${accountText(cfg)}\n`);
    this.partialFailure(res.failed);
    return {
      updated: res.results.map((r) => r.addr),
      failed: res.failed,
      account: { ...cfg, secretKey: undefined },
    };
  }
}
