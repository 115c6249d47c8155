import { Flags } from '@oclif/core';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { messageBlock, writeBodyFile } from '../cli/format/message-text.js';
import { queryMsgByOffset } from '../engine/admin/message-ops.js';

export default class QueryMsgByOffset extends AdminCommand<typeof QueryMsgByOffset> {
  static override summary = 'Print the message at one offset of one queue.';
  static override description =
    'The message at one offset of one queue (topic, broker name, queue id). An offset with no message is an error.';
  static override examples = ['<%= config.bin %> queryMsgByOffset -t TopicTest -b broker-a -i 0 -o 12'];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    brokerName: Flags.string({ char: 'b', description: 'Broker Name', required: true }),
    queueId: Flags.string({ char: 'i', description: 'Queue Id', required: true }),
    offset: Flags.string({ char: 'o', description: 'Queue Offset', required: true }),
  };

  async run() {
    const f = this.flags;
    const mq = {
      topic: f.topic.trim(),
      brokerName: f.brokerName.trim(),
      queueId: parseIntOpt(f.queueId, 'i')!,
    };
    const res = await this.withAdmin((a) => queryMsgByOffset(a, mq, parseIntOpt(f.offset, 'o')!));
    this.out(messageBlock(res.message, writeBodyFile(res.message)));
    return res;
  }
}
