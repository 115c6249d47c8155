import { Flags } from '@oclif/core';
import { AdminCommand, parseBool, parseIntOpt } from '../cli/format/admin-command.js';
import { front, jformat } from '../cli/format/printf.js';
import { renderTable } from '../cli/format/table.js';
import { formatDate } from '../cli/format/time.js';
import { brokerConsumeStats, type BrokerConsumeStats as Stats } from '../engine/admin/broker-housekeeping.js';

export default class BrokerConsumeStats extends AdminCommand<typeof BrokerConsumeStats> {
  static override summary = "Print every consumer group's offsets and lag on one broker.";
  static override description =
    "Every consumer group's offsets on one broker (GET_BROKER_CONSUME_STATS): per queue the broker offset, " +
    'the committed consumer offset and their difference, then the total difference. Queues whose diff is ' +
    'below -l are left out; like mqadmin, the text lists only queues with a last consume time (--json lists all).';
  static override examples = [
    '<%= config.bin %> brokerConsumeStats -b 127.0.0.1:10911',
    '<%= config.bin %> brokerConsumeStats -b 127.0.0.1:10911 -l 100 -o true --json',
  ];
  static override flags = {
    brokerAddr: Flags.string({ char: 'b', description: 'Broker address', required: true }),
    timeoutMillis: Flags.string({ char: 't', description: 'request timeout Millis' }),
    level: Flags.string({ char: 'l', description: 'threshold of print diff' }),
    order: Flags.string({ char: 'o', description: 'order topic' }),
  };

  async run(): Promise<Stats> {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      brokerConsumeStats(a, {
        brokerAddr: f.brokerAddr.trim(),
        isOrder: parseBool(f.order, false),
        timeoutMs: parseIntOpt(f.timeoutMillis, 't') ?? 50_000,
        diffLevel: parseIntOpt(f.level, 'l') ?? 0,
      }),
    );
    const table = renderTable({
      head: [
        '#Topic',
        '#Group',
        '#Broker Name',
        '#QID',
        '#Broker Offset',
        '#Consumer Offset',
        '#Diff',
        '#LastTime',
      ],
      rows: res.rows
        .filter((r) => r.lastTimestamp > 0)
        .map((r) => [
          front(r.topic, 64),
          r.group,
          front(r.brokerName, 32),
          r.queueId,
          r.brokerOffset,
          r.consumerOffset,
          r.diff,
          formatDate(r.lastTimestamp),
        ]),
      headFormat: '%-64s  %-64s  %-32s  %-4s  %-20s  %-20s  %-20s  %s%n',
      rowFormat: '%-64s  %-64s  %-32s  %-4d  %-20d  %-20d  %-20d  %s%n',
      numeric: [3, 4, 5, 6],
    });
    this.out(table + jformat('%nDiff Total: %d%n', res.totalDiff));
    return res;
  }
}
