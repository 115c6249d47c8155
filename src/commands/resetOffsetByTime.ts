import { Flags } from '@oclif/core';
import { AdminCommand, parseBool } from '../cli/format/admin-command.js';
import { confirmDestructive } from '../cli/format/confirm.js';
import { front, jformat } from '../cli/format/printf.js';
import { renderTable } from '../cli/format/table.js';
import { parseTimestamp } from '../cli/format/time.js';
import { type ResetOffsetResult, resetOffsetByTime } from '../engine/admin/group-ops.js';

/** The two tables mqadmin prints: online (broker reset) or offline (rollback stats). */
export function renderReset(res: ResetOffsetResult): string {
  if (res.mode === 'online') {
    return renderTable({
      head: ['#brokerName', '#queueId', '#offset'],
      rows: res.queues.map((q) => [front(q.brokerName, 32), q.queueId, q.offset]),
      headFormat: '%-40s  %-40s  %-40s%n',
      rowFormat: '%-40s  %-40d  %-40d%n',
      numeric: [1, 2],
    });
  }
  return renderTable({
    head: [
      '#brokerName',
      '#queueId',
      '#brokerOffset',
      '#consumerOffset',
      '#timestampOffset',
      '#rollbackOffset',
    ],
    rows: res.queues.map((q) => [
      front(q.brokerName, 32),
      q.queueId,
      q.brokerOffset,
      q.consumerOffset,
      q.timestampOffset,
      q.offset,
    ]),
    headFormat: '%-20s  %-20s  %-20s  %-20s  %-20s  %-20s%n',
    rowFormat: '%-20s  %-20d  %-20d  %-20d  %-20d  %-20d%n',
    numeric: [1, 2, 3, 4, 5],
  });
}

export default class ResetOffsetByTime extends AdminCommand<typeof ResetOffsetByTime> {
  static override summary = "Move a group's offsets on a topic to a point in time (consumers keep running).";
  static override description =
    "Moves a group's offsets on a topic to the first message stored at or after a time (or to the end with `now`). Online consumers are told by the broker; with none online the offsets are committed directly. -f false only moves offsets backwards. Run as mq, it asks for confirmation on a terminal and needs --yes in a script; run as mqadmin, it never asks (as Java's mqadmin).";
  static override examples = [
    '<%= config.bin %> resetOffsetByTime -g dawnGroup -t TopicTest -s 2024-01-01#00:00:00:000 --yes',
    '<%= config.bin %> resetOffsetByTime -g dawnGroup -t TopicTest -s 1700000000000 -f false',
    '<%= config.bin %> resetOffsetByTime -g dawnGroup -t TopicTest -s now --yes --json',
  ];
  static override flags = {
    group: Flags.string({ char: 'g', description: 'set the consumer group', required: true }),
    topic: Flags.string({ char: 't', description: 'set the topic', required: true }),
    timestamp: Flags.string({
      char: 's',
      description: 'set the timestamp[now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]',
      required: true,
    }),
    force: Flags.string({ char: 'f', description: 'set the force rollback by timestamp switch[true|false]' }),
    cplus: Flags.boolean({ char: 'c', description: 'reset c++ client offset' }),
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation (mqadmin never asks)' }),
  };

  async run() {
    const f = this.flags;
    const group = f.group.trim();
    const topic = f.topic.trim();
    const timestamp = parseTimestamp(f.timestamp, true);
    const force = parseBool(f.force, true);
    await confirmDestructive(
      `Reset the offsets of group ${group} on topic ${topic} to ${f.timestamp.trim()}?`,
      f.yes,
      this.invokedAs,
    );
    const res = await this.withAdmin((a) =>
      resetOffsetByTime(a, { group, topic, timestamp, force, cplus: f.cplus }),
    );
    this.out(
      jformat(
        'rollback consumer offset by specified group[%s], topic[%s], force[%s], timestamp(string)[%s], timestamp(long)[%s]%n',
        group,
        topic,
        force,
        f.timestamp.trim(),
        timestamp,
      ) + renderReset(res),
    );
    return res;
  }
}
