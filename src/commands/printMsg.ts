import { Flags } from '@oclif/core';
import { AdminCommand, parseBool } from '../cli/format/admin-command.js';
import { messageLine } from '../cli/format/message-text.js';
import { parseTimestamp } from '../cli/format/time.js';
import { printMsg } from '../engine/admin/message-ops.js';

export default class PrintMsg extends AdminCommand<typeof PrintMsg> {
  static override summary = 'Print every message of a topic (optionally by tag and store-time range).';
  static override description =
    'Prints every message of a topic, queue by queue, optionally only those with given tags and between two store times (epoch ms or yyyy-MM-dd#HH:mm:ss:SSS).';
  static override examples = [
    '<%= config.bin %> printMsg -t TopicTest',
    "<%= config.bin %> printMsg -t TopicTest -s 'TagA || TagB' -b 2024-01-01#00:00:00:000 -d false",
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    charsetName: Flags.string({ char: 'c', description: 'CharsetName(eg: UTF-8,GBK)', default: 'UTF-8' }),
    subExpression: Flags.string({ char: 's', description: 'Subscribe Expression(eg: TagA || TagB)' }),
    beginTimestamp: Flags.string({
      char: 'b',
      description: 'Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]',
    }),
    endTimestamp: Flags.string({
      char: 'e',
      description: 'End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]',
    }),
    printBody: Flags.string({ char: 'd', description: 'print body' }),
  };

  async run() {
    const f = this.flags;
    const printBody = parseBool(f.printBody, true);
    const enc =
      f.charsetName.toLowerCase().replace('-', '') === 'utf8'
        ? 'utf8'
        : (f.charsetName.toLowerCase() as BufferEncoding);
    if (!Buffer.isEncoding(enc)) throw new Error(`unsupported charset ${f.charsetName}`);
    const res = await this.withAdmin((a) =>
      printMsg(a, {
        topic: f.topic.trim(),
        subExpression: f.subExpression?.trim(),
        begin: f.beginTimestamp ? parseTimestamp(f.beginTimestamp) : undefined,
        end: f.endTimestamp ? parseTimestamp(f.endTimestamp) : undefined,
      }),
    );
    for (const q of res.queues) {
      this.out(
        `minOffset=${q.minOffset}, maxOffset=${q.maxOffset}, MessageQueue [topic=${q.topic}, brokerName=${q.brokerName}, queueId=${q.queueId}]\n`,
      );
      for (const m of q.messages) {
        const body = printBody ? Buffer.from(m.bodyBase64, 'base64').toString(enc) : 'NOT PRINT BODY';
        this.out(`MSGID: ${m.msgId} ${messageLine(m)} BODY: ${body}\n`);
      }
      this.out('--------------------------------------------------------\n');
    }
    return res;
  }
}
