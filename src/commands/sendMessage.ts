import { Flags } from '@oclif/core';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { renderTable } from '../cli/format/table.js';
import { sendMessage } from '../engine/admin/message-ops.js';

export default class SendMessage extends AdminCommand<typeof SendMessage> {
  static override summary = 'Send one message and print where it was stored.';
  static override description =
    'Sends one message (UTF-8 body) and prints where it was stored. -b with -i sends to that exact queue.';
  static override examples = [
    "<%= config.bin %> sendMessage -t TopicTest -p 'hello'",
    "<%= config.bin %> sendMessage -t TopicTest -p 'hello' -k order-1 -c TagA -b broker-a -i 0 --json",
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'Topic name', required: true }),
    body: Flags.string({ char: 'p', description: 'UTF-8 string format of the message body', required: true }),
    key: Flags.string({ char: 'k', description: 'Message keys' }),
    tags: Flags.string({ char: 'c', description: 'Message tags' }),
    broker: Flags.string({ char: 'b', description: 'Send message to target broker' }),
    qid: Flags.string({ char: 'i', description: 'Send message to target queue' }),
    msgTraceEnable: Flags.string({ char: 'm', description: 'Message Trace Enable, Default: false' }),
  };

  async run() {
    const f = this.flags;
    const res = await sendMessage(this.namesrv, {
      topic: f.topic.trim(),
      body: f.body,
      keys: f.key?.trim(),
      tags: f.tags?.trim(),
      brokerName: f.broker?.trim(),
      queueId: parseIntOpt(f.qid, 'i'),
    });
    this.out(
      renderTable({
        head: ['#Broker Name', '#QID', '#Send Result', '#MsgId'],
        rows: [[res.brokerName, res.queueId, res.sendStatus, res.msgId]],
        headFormat: '%-32s  %-4s  %-20s    %s%n',
      }),
    );
    return res;
  }
}
