import { Flags } from '@oclif/core';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { type StatusSend, sendMsgStatus } from '../engine/admin/send-rt.js';

/** SendResult.toString() as Java prints it. */
export function sendResultText(s: StatusSend['result']): string {
  const q = s.messageQueue;
  return (
    `SendResult [sendStatus=${s.sendStatus}, msgId=${s.msgId}, offsetMsgId=${s.offsetMsgId}, ` +
    `messageQueue=MessageQueue [topic=${q.topic}, brokerName=${q.brokerName}, queueId=${q.queueId}], queueOffset=${s.queueOffset}]`
  );
}

export default class SendMsgStatus extends AdminCommand<typeof SendMsgStatus> {
  static override summary = 'Send test messages to a broker and print each round-trip time.';
  static override description =
    'Sends -c messages of -s bytes to the topic named after the broker (after one warm-up message) and ' +
    'prints the round-trip time and the SendResult of each.';
  static override examples = ['<%= config.bin %> sendMsgStatus -b broker-a -s 128 -c 10'];
  static override flags = {
    brokerName: Flags.string({ char: 'b', description: 'Broker Name', required: true }),
    messageSize: Flags.string({ char: 's', description: 'Message Size, Default: 128' }),
    count: Flags.string({ char: 'c', description: 'send message count, Default: 50' }),
  };

  async run() {
    const f = this.flags;
    return sendMsgStatus(
      this.namesrv,
      {
        brokerName: f.brokerName.trim(),
        messageSize: parseIntOpt(f.messageSize, 's') ?? 128,
        count: parseIntOpt(f.count, 'c') ?? 50,
      },
      (s) => this.out(`rt=${s.rt}ms, SendResult=${sendResultText(s.result)}\n`),
    );
  }
}
