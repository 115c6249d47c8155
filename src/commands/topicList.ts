import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { front } from '../cli/format/printf.js';
import { renderTable } from '../cli/format/table.js';
import { type TopicClusterRow, topicList, topicListWithClusters } from '../engine/admin/topic-ops.js';

export default class TopicList extends AdminCommand<typeof TopicList> {
  static override summary = 'List every topic the name server knows (with -c, their clusters and groups).';
  static override description =
    'Every topic the name server knows, one per line. With -c, user topics with their cluster and the consumer groups ' +
    'that consume them (one line per group).';
  static override examples = [
    '<%= config.bin %> topicList -n 127.0.0.1:9876',
    '<%= config.bin %> topicList -c',
    '<%= config.bin %> topicList --json',
  ];
  static override flags = {
    clusterModel: Flags.boolean({ char: 'c', description: 'clusterModel' }),
  };

  async run(): Promise<{ topics: string[] } | { rows: TopicClusterRow[] }> {
    if (this.flags.clusterModel) {
      const res = await this.withAdmin((a) => topicListWithClusters(a));
      this.out(
        renderTable({
          head: ['#Cluster Name', '#Topic', '#Consumer Group'],
          rows: res.rows.map((r) => [
            front(r.clusterName, 20),
            front(r.topic, 64),
            front(r.consumerGroup, 64),
          ]),
          headFormat: '%-20s  %-48s  %-48s%n',
          rowFormat: '%-20s  %-64s  %-64s%n',
        }),
      );
      return res;
    }
    const res = await this.withAdmin((a) => topicList(a));
    this.out(res.topics.map((t) => `${t}\n`).join(''));
    return res;
  }
}
