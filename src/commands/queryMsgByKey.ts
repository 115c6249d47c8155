import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { renderTable } from '../cli/format/table.js';
import { queryMsgByKey } from '../engine/admin/message-ops.js';

export default class QueryMsgByKey extends AdminCommand<typeof QueryMsgByKey> {
  static override summary = "Find a topic's messages by key (through the brokers' index).";
  static override description =
    "Finds the messages of a topic carrying a key (KEYS property), through every broker's index (up to 64 each).";
  static override examples = [
    '<%= config.bin %> queryMsgByKey -t TopicTest -k order-1001',
    '<%= config.bin %> queryMsgByKey -t TopicTest -k order-1001 --json',
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    msgKey: Flags.string({ char: 'k', description: 'Message Key', required: true }),
  };

  async run() {
    const res = await this.withAdmin((a) =>
      queryMsgByKey(a, this.flags.topic.trim(), this.flags.msgKey.trim()),
    );
    this.out(
      renderTable({
        head: ['#Message ID', '#QID', '#Offset'],
        rows: res.messages.map((m) => [m.offsetMsgId, m.queueId, m.queueOffset]),
        headFormat: '%-50s %4s %40s%n',
        rowFormat: '%-50s %4d %40d%n',
        numeric: [1, 2],
      }),
    );
    return res;
  }
}
