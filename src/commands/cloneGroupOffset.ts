import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { bareLine } from '../cli/format/java-print.js';
import { cloneGroupOffset } from '../engine/admin/queue-ops.js';

export default class CloneGroupOffset extends AdminCommand<typeof CloneGroupOffset> {
  static override summary = "Copy one group's committed offsets on a topic to another group.";
  static override description =
    "Writes the source group's committed offsets on the topic's queues as the destination group's " +
    '(UPDATE_CONSUMER_OFFSET per queue). A source group without offsets on the topic is an error.';
  static override examples = ['<%= config.bin %> cloneGroupOffset -s oldGroup -d newGroup -t TopicTest'];
  static override flags = {
    srcGroup: Flags.string({ char: 's', description: 'set source consumer group', required: true }),
    destGroup: Flags.string({ char: 'd', description: 'set destination consumer group', required: true }),
    topic: Flags.string({ char: 't', description: 'set the topic', required: true }),
    offline: Flags.string({ char: 'o', description: 'the group or the topic is offline' }),
  };

  async run() {
    const f = this.flags;
    const o = { srcGroup: f.srcGroup.trim(), destGroup: f.destGroup.trim(), topic: f.topic.trim() };
    const res = await this.withAdmin((a) => cloneGroupOffset(a, o));
    this.out(
      bareLine(
        `clone group offset success. srcGroup[${o.srcGroup}], destGroup=[${o.destGroup}], topic[${o.topic}]`,
      ),
    );
    return res;
  }
}
