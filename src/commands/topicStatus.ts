import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { front } from '../cli/format/printf.js';
import { renderTable } from '../cli/format/table.js';
import { humanTime } from '../cli/format/time.js';
import { topicStatus } from '../engine/admin/topic-ops.js';

export default class TopicStatus extends AdminCommand<typeof TopicStatus> {
  static override summary = 'Print each queue of a topic with its min/max offset and last update time.';
  static override description =
    'Every queue of a topic with its min and max offset and the time of its last message.';
  static override examples = [
    '<%= config.bin %> topicStatus -t TopicTest',
    '<%= config.bin %> topicStatus -t TopicTest --json',
  ];
  static override flags = { topic: Flags.string({ char: 't', description: 'topic name', required: true }) };

  async run() {
    const res = await this.withAdmin((a) => topicStatus(a, this.flags.topic.trim()));
    this.out(
      renderTable({
        head: ['#Broker Name', '#QID', '#Min Offset', '#Max Offset', '#Last Updated'],
        rows: res.queues.map((q) => [
          front(q.brokerName, 32),
          q.queueId,
          q.minOffset,
          q.maxOffset,
          q.lastUpdateTimestamp > 0 ? humanTime(q.lastUpdateTimestamp) : '',
        ]),
        headFormat: '%-32s  %-4s  %-20s  %-20s    %s%n',
        rowFormat: '%-32s  %-4d  %-20d  %-20d    %s%n',
        numeric: [1, 2, 3],
      }),
    );
    return res;
  }
}
