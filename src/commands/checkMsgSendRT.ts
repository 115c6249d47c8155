import { Flags } from '@oclif/core';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { jformat } from '../cli/format/printf.js';
import { checkMsgSendRT } from '../engine/admin/send-rt.js';

const FMT = '%-32s  %-4s  %-20s    %s%n';

export default class CheckMsgSendRT extends AdminCommand<typeof CheckMsgSendRT> {
  static override summary = "Send test messages to a topic's queues and print each send's response time.";
  static override description =
    "Sends -a messages of -s bytes to the topic, the i-th to its publish queue i mod n, and prints each send's " +
    'broker, queue, outcome and time, then the mean time without the first send.';
  static override examples = ['<%= config.bin %> checkMsgSendRT -t TopicTest -a 20 -s 256'];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    amount: Flags.string({ char: 'a', description: 'message amount | default 100' }),
    size: Flags.string({ char: 's', description: 'message size | default 128 Byte' }),
  };

  async run() {
    const f = this.flags;
    const o = {
      topic: f.topic.trim(),
      amount: parseIntOpt(f.amount, 'a') ?? 100,
      size: parseIntOpt(f.size, 's') ?? 128,
    };
    this.out(jformat(FMT, '#Broker Name', '#QID', '#Send Result', '#RT'));
    const res = await checkMsgSendRT(this.namesrv, o, (s) =>
      this.out(jformat(FMT, s.brokerName, s.queueId, s.success, s.rt)),
    );
    this.out(jformat('Avg RT: %s%n', jformat('%.2f', res.avgRt)));
    return res;
  }
}
