import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { topicClusterList } from '../engine/admin/topic-ops.js';

export default class TopicClusterList extends AdminCommand<typeof TopicClusterList> {
  static override summary = 'List the clusters whose brokers serve a topic.';
  static override description = 'The clusters whose brokers serve the topic, one per line.';
  static override examples = ['<%= config.bin %> topicClusterList -t TopicTest'];
  static override flags = { topic: Flags.string({ char: 't', description: 'topic name', required: true }) };

  async run(): Promise<{ topic: string; clusters: string[] }> {
    const res = await this.withAdmin((a) => topicClusterList(a, this.flags.topic.trim()));
    this.out(res.clusters.map((c) => `${c}\n`).join(''));
    return res;
  }
}
