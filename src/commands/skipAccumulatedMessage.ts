import { Flags } from '@oclif/core';
import { AdminCommand, parseBool } from '../cli/format/admin-command.js';
import { confirmDestructive } from '../cli/format/confirm.js';
import { resetOffsetByTime } from '../engine/admin/group-ops.js';
import { renderReset } from './resetOffsetByTime.js';

export default class SkipAccumulatedMessage extends AdminCommand<typeof SkipAccumulatedMessage> {
  static override summary = "Move a group's offsets on a topic to the end, skipping its backlog.";
  static override description =
    "Moves a group's offsets on a topic to the end of every queue, so everything not yet consumed is skipped. Run as mq, it asks for confirmation on a terminal and needs --yes in a script; run as mqadmin, it never asks (as Java's mqadmin).";
  static override examples = ['<%= config.bin %> skipAccumulatedMessage -g dawnGroup -t TopicTest --yes'];
  static override flags = {
    group: Flags.string({ char: 'g', description: 'set the consumer group', required: true }),
    topic: Flags.string({ char: 't', description: 'set the topic', required: true }),
    force: Flags.string({ char: 'f', description: 'set the force rollback by timestamp switch[true|false]' }),
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation (mqadmin never asks)' }),
  };

  async run() {
    const f = this.flags;
    const group = f.group.trim();
    const topic = f.topic.trim();
    await confirmDestructive(
      `Skip every accumulated message of group ${group} on topic ${topic}?`,
      f.yes,
      this.invokedAs,
    );
    const res = await this.withAdmin((a) =>
      resetOffsetByTime(a, { group, topic, timestamp: -1, force: parseBool(f.force, true) }),
    );
    this.out(renderReset(res));
    return res;
  }
}
