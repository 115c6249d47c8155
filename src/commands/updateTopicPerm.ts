import { Flags } from '@oclif/core';
import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { updateTopicPerm } from '../engine/admin/topic-ops.js';

export default class UpdateTopicPerm extends AdminCommand<typeof UpdateTopicPerm> {
  static override summary = "Change a topic's read/write permission (one broker, or a cluster's masters).";
  static override description =
    "Changes a topic's permission on one master broker (-b) or on every master of a cluster (-c).";
  static override examples = [
    '<%= config.bin %> updateTopicPerm -c DefaultCluster -t TopicTest -p 4',
    '<%= config.bin %> updateTopicPerm -b 127.0.0.1:10911 -t TopicTest -p 6',
  ];
  static override flags = {
    ...brokerOrClusterFlags('create topic to which broker', 'create topic to which cluster'),
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    perm: Flags.string({
      char: 'p',
      description: "set topic's permission(2|4|6), intro[2:W; 4:R; 6:RW]",
      required: true,
    }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      updateTopicPerm(a, {
        topic: f.topic.trim(),
        perm: parseIntOpt(f.perm, 'p')!,
        brokerAddr: f.brokerAddr?.trim(),
        clusterName: f.clusterName?.trim(),
      }),
    );
    if (res.unchanged) this.out('new perm equals to the old one!\n');
    for (const u of res.updated)
      this.out(`update topic perm from ${u.oldPerm} to ${res.perm} in ${u.addr} success.\n`);
    return res;
  }
}
