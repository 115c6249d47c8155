import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { jformat } from '../cli/format/printf.js';
import { producerConnection } from '../engine/admin/group-ops.js';

export default class ProducerConnection extends AdminCommand<typeof ProducerConnection> {
  static override summary = "List a producer group's connected clients and their versions.";
  static override description = 'The clients of a producer group connected to a broker of the topic.';
  static override examples = ['<%= config.bin %> producerConnection -g dawnProducer -t TopicTest'];
  static override flags = {
    producerGroup: Flags.string({ char: 'g', description: 'producer group name', required: true }),
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
  };

  async run() {
    const res = await this.withAdmin((a) =>
      producerConnection(a, this.flags.producerGroup.trim(), this.flags.topic.trim()),
    );
    this.out(
      res.connections
        .map((c, i) =>
          jformat('%04d  %-32s %-22s %-8s %s%n', i + 1, c.clientId, c.clientAddr, c.language, c.versionDesc),
        )
        .join(''),
    );
    return res;
  }
}
