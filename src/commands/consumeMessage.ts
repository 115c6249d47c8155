import { Flags } from '@oclif/core';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { messageLine } from '../cli/format/message-text.js';
import { parseTimestamp } from '../cli/format/time.js';
import { type ConsumeStep, consumeMessage } from '../engine/admin/consume-message.js';
import type { MessageQueueData } from '../engine/protocol/bodies/message-queue-key.js';

const mqText = (m: MessageQueueData) =>
  `MessageQueue [topic=${m.topic}, brokerName=${m.brokerName}, queueId=${m.queueId}]`;

function stepText(s: ConsumeStep): string {
  switch (s.type) {
    case 'limit':
      return s.queueId === undefined
        ? `The oldler ${s.count} message will be provided\n`
        : `The older ${s.count} message of the ${s.queueId} queue will be provided\n`;
    case 'found':
      return `Consume ok\n${s.messages.map((m) => `MSGID: ${m.msgId} ${messageLine(m)} BODY: ${m.body}\n`).join('')}`;
    case 'noMatched':
      return `${mqText(s.mq)} no matched msg. status=${s.status}, offset=${s.offset}\n`;
    case 'finished':
      return `${mqText(s.mq)} print msg finished. status=${s.status}, offset=${s.offset}\n`;
    case 'offsetPastEnd':
      return `${mqText(s.mq)} no matched msg, offset=${s.offset}\n`;
  }
}

export default class ConsumeMessage extends AdminCommand<typeof ConsumeMessage> {
  static override summary = "Pull and print a topic's messages without committing offsets.";
  static override description =
    'Pulls and prints up to -c messages (default 128) without committing offsets: from every queue of the ' +
    'topic, or from one queue (-b and -i), from an offset (-o) or a begin time (-s) up to an end time (-e).';
  static override examples = [
    '<%= config.bin %> consumeMessage -t TopicTest -c 10',
    '<%= config.bin %> consumeMessage -t TopicTest -b broker-a -i 0 -o 100 -c 5',
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'Topic name', required: true }),
    brokerName: Flags.string({ char: 'b', description: 'Broker name' }),
    queueId: Flags.string({ char: 'i', description: 'Queue Id' }),
    offset: Flags.string({ char: 'o', description: 'Queue offset' }),
    consumerGroup: Flags.string({ char: 'g', description: 'Consumer group name' }),
    beginTimestamp: Flags.string({
      char: 's',
      description: 'Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]',
    }),
    endTimestamp: Flags.string({
      char: 'e',
      description: 'End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]',
    }),
    MessageNumber: Flags.string({ char: 'c', description: 'Number of message to be consumed' }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      consumeMessage(a, {
        topic: f.topic.trim(),
        brokerName: f.brokerName?.trim(),
        queueId: parseIntOpt(f.queueId, 'i'),
        offset: parseIntOpt(f.offset, 'o'),
        group: f.consumerGroup?.trim(),
        begin: f.beginTimestamp ? parseTimestamp(f.beginTimestamp) : undefined,
        end: f.endTimestamp ? parseTimestamp(f.endTimestamp) : undefined,
        count: parseIntOpt(f.MessageNumber, 'c') ?? 128,
      }),
    );
    this.out(res.steps.map(stepText).join(''));
    return res;
  }
}
