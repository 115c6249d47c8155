import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { confirmDestructive } from '../cli/format/confirm.js';
import { deleteTopic } from '../engine/admin/topic-ops.js';

export default class DeleteTopic extends AdminCommand<typeof DeleteTopic> {
  static override summary = "Delete a topic from a cluster's masters and the name servers.";
  static override description =
    'Deletes the topic from every master of the cluster, then from every name server. Run as mq, it asks for confirmation on a terminal and needs --yes in a script; run as mqadmin, it never asks (as Java mqadmin).';
  static override examples = [
    '<%= config.bin %> deleteTopic -c DefaultCluster -t TopicTest',
    '<%= config.bin %> deleteTopic -c DefaultCluster -t TopicTest --yes',
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    clusterName: Flags.string({ char: 'c', description: 'delete topic from which cluster', required: true }),
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation (mqadmin never asks)' }),
  };

  async run() {
    const topic = this.flags.topic.trim();
    const cluster = this.flags.clusterName.trim();
    await confirmDestructive(
      `Delete topic ${topic} from cluster ${cluster} and the name servers?`,
      this.flags.yes,
      this.invokedAs,
    );
    const res = await this.withAdmin((a) => deleteTopic(a, topic, cluster));
    this.out(
      `delete topic [${topic}] from cluster [${cluster}] success.\ndelete topic [${topic}] from NameServer success.\n`,
    );
    return res;
  }
}
