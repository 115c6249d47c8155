import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { messageBlock, tracksText, writeBodyFile } from '../cli/format/message-text.js';
import { queryMsgById } from '../engine/admin/message-ops.js';

export default class QueryMsgById extends AdminCommand<typeof QueryMsgById> {
  static override summary = 'Query Message by Id';
  static override description =
    'Looks messages up by id, as Java mqadmin does: each id is tried as an offset message id (offsetMsgId: the ' +
    'broker and the commit-log offset), else as the unique key that producers print as msgId (searched in the ' +
    "brokers' indexes, in -t TOPIC or in every topic). Several ids may be given, comma-separated. The body is " +
    'saved to <tmp>/rocketmq/msgbodys/<msgId>.';
  static override examples = [
    '<%= config.bin %> queryMsgById -i 7F00000100002A9F00000000075BCD15',
    '<%= config.bin %> queryMsgById -i ID1,ID2 --json',
  ];
  static override flags = {
    msgId: Flags.string({ char: 'i', description: 'Message Id', required: true }),
    topic: Flags.string({ char: 't', description: 'topic of a unique-key id (default: search every topic)' }),
  };

  async run() {
    const ids = this.flags.msgId
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const res = await this.withAdmin((a) => queryMsgById(a, ids, { topic: this.flags.topic?.trim() }));
    for (const m of res.messages) this.out(messageBlock(m, writeBodyFile(m)) + tracksText(m.tracks));
    return res;
  }
}
