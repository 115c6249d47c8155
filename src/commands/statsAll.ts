import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { front, jformat } from '../cli/format/printf.js';
import { statsAll } from '../engine/admin/topic-ops.js';

export default class StatsAll extends AdminCommand<typeof StatsAll> {
  static override summary = 'Print in/out TPS and 24-hour message counts per topic and consumer group.';
  static override description =
    'For every topic (or -t one) and each group consuming it: the accumulation, in/out TPS of the last minute and messages in/out over 24 hours.';
  static override examples = [
    '<%= config.bin %> statsAll',
    '<%= config.bin %> statsAll -a -t TopicTest --json',
  ];
  static override flags = {
    activeTopic: Flags.boolean({ char: 'a', description: 'print active topic only' }),
    topic: Flags.string({ char: 't', description: 'print select topic only' }),
  };

  async run() {
    const res = await this.withAdmin((a) =>
      statsAll(a, { activeTopic: this.flags.activeTopic, topic: this.flags.topic?.trim() }),
    );
    const head = [
      '#Topic',
      '#Consumer Group',
      '#Accumulation',
      '#InTPS',
      '#OutTPS',
      '#InMsg24Hour',
      '#OutMsg24Hour',
    ];
    // Java's columns on a terminal and in a pipe alike (mqadmin output is parsed by ops scripts).
    let text = jformat('%-64s  %-64s %12s %11s %11s %14s %14s%n', ...head);
    for (const r of res.rows) {
      text +=
        r.outMsg24Hour === null
          ? jformat(
              '%-64s  %-64s %12d %11.2f %11s %14d %14s%n',
              front(r.topic, 64),
              '',
              0,
              r.inTps,
              '',
              r.inMsg24Hour,
              'NO_CONSUMER',
            )
          : jformat(
              '%-64s  %-64s %12d %11.2f %11.2f %14d %14d%n',
              front(r.topic, 64),
              front(r.consumerGroup, 64),
              r.accumulation,
              r.inTps,
              r.outTps,
              r.inMsg24Hour,
              r.outMsg24Hour,
            );
    }
    this.out(text);
    return res;
  }
}
