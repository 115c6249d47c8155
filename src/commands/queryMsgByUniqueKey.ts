import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { messageBlock, tracksText, writeBodyFile } from '../cli/format/message-text.js';
import { queryMsgByUniqueKey } from '../engine/admin/message-ops.js';

export default class QueryMsgByUniqueKey extends AdminCommand<typeof QueryMsgByUniqueKey> {
  static override summary = 'Find a message by its unique key (the msgId a producer gets back).';
  static override description =
    "Looks a message up by the client's unique id (UNIQ_KEY, the msgId a producer gets back). -a shows every copy (e.g. re-sends), oldest first.";
  static override examples = [
    '<%= config.bin %> queryMsgByUniqueKey -t TopicTest -i 0A0000053C1418B4AAC20F2B6E1C0000',
    '<%= config.bin %> queryMsgByUniqueKey -t TopicTest -i ID -a --json',
  ];
  static override flags = {
    msgId: Flags.string({ char: 'i', description: 'Message Id', required: true }),
    topic: Flags.string({ char: 't', description: 'The topic of msg', required: true }),
    showAll: Flags.boolean({ char: 'a', description: 'Print all message, the limit is 32' }),
  };

  async run() {
    const res = await this.withAdmin((a) =>
      queryMsgByUniqueKey(a, this.flags.topic.trim(), this.flags.msgId.trim(), this.flags.showAll),
    );
    for (const [i, m] of res.messages.entries())
      this.out(messageBlock(m, writeBodyFile(m, i), false) + tracksText(m.tracks));
    return res;
  }
}
