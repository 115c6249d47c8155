import { Flags } from '@oclif/core';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { javaBool } from '../cli/format/java-print.js';
import { messageLine } from '../cli/format/message-text.js';
import { jformat } from '../cli/format/printf.js';
import { parseTimestamp } from '../cli/format/time.js';
import { type PrintedQueueRange, printMsgByQueue } from '../engine/admin/queue-ops.js';

export default class PrintMsgByQueue extends AdminCommand<typeof PrintMsgByQueue> {
  static override summary = 'Print or count by tag the messages of one queue between two store times.';
  static override description =
    "One queue's messages between two store times (epoch ms or yyyy-MM-dd#HH:mm:ss:SSS; default the whole " +
    'queue): -p true prints each message (-d true with its body), -f true counts them per tag, most ' +
    'frequent first. --json has the range, the count, the tag counts and, with -p true, the messages.';
  static override examples = [
    '<%= config.bin %> printMsgByQueue -t TopicTest -a broker-a -i 0 -f true',
    '<%= config.bin %> printMsgByQueue -t TopicTest -a broker-a -i 1 -p true -d true -s TagA',
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    brokerName: Flags.string({ char: 'a', description: 'broker name', required: true }),
    queueId: Flags.string({ char: 'i', description: 'queue id', required: true }),
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
    printMsg: Flags.string({ char: 'p', description: 'print msg. eg: true | false(default)' }),
    printBody: Flags.string({ char: 'd', description: 'print body. eg: true | false(default)' }),
    calculate: Flags.string({ char: 'f', description: 'calculate by tag. eg: true | false(default)' }),
  };

  async run(): Promise<PrintedQueueRange> {
    const f = this.flags;
    const printMsg = javaBool(f.printMsg);
    const printBody = javaBool(f.printBody);
    const calByTag = javaBool(f.calculate);
    const enc =
      f.charsetName.toLowerCase().replace('-', '') === 'utf8'
        ? 'utf8'
        : (f.charsetName.toLowerCase() as BufferEncoding);
    if (!Buffer.isEncoding(enc)) throw new Error(`unsupported charset ${f.charsetName}`);
    const queueId = parseIntOpt(f.queueId, 'i')!;
    const res = await this.withAdmin((a) =>
      printMsgByQueue(a, {
        mq: { topic: f.topic.trim(), brokerName: f.brokerName.trim(), queueId },
        subExpression: f.subExpression?.trim(),
        begin: f.beginTimestamp ? parseTimestamp(f.beginTimestamp) : undefined,
        end: f.endTimestamp ? parseTimestamp(f.endTimestamp) : undefined,
        keepMessages: printMsg,
      }),
    );
    for (const m of res.messages ?? []) {
      const body = printBody ? Buffer.from(m.bodyBase64, 'base64').toString(enc) : 'NOT PRINT BODY';
      this.out(`MSGID: ${m.msgId} ${messageLine(m)} BODY: ${body}\n`);
    }
    if (calByTag)
      this.out(res.tagCounts.map((t) => jformat('Tag: %-30s Count: %s%n', t.tag, t.count)).join(''));
    return res;
  }
}
