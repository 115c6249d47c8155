import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { jformat } from '../cli/format/printf.js';
import { renderTable } from '../cli/format/table.js';
import { consumerConnection } from '../engine/admin/group-ops.js';

export default class ConsumerConnection extends AdminCommand<typeof ConsumerConnection> {
  static override summary = "List a consumer group's connected clients, versions and subscriptions.";
  static override description =
    'The clients connected in a consumer group, their subscriptions and how the group consumes.';
  static override examples = [
    '<%= config.bin %> consumerConnection -g dawnGroup',
    '<%= config.bin %> consumerConnection -g dawnGroup -b 127.0.0.1:10911 --json',
  ];
  static override flags = {
    consumerGroup: Flags.string({ char: 'g', description: 'consumer group name', required: true }),
    brokerAddr: Flags.string({ char: 'b', description: 'broker address' }),
  };

  async run() {
    const res = await this.withAdmin((a) =>
      consumerConnection(a, this.flags.consumerGroup.trim(), this.flags.brokerAddr?.trim()),
    );
    const conns = renderTable({
      head: ['#ClientId', '#ClientAddr', '#Language', '#Version'],
      rows: res.connections.map((c) => [c.clientId, c.clientAddr, c.language, c.versionDesc]),
      headFormat: '%-36s %-22s %-10s %s%n',
    });
    const subs = renderTable({
      head: ['#Topic', '#SubExpression'],
      rows: res.subscriptions.map((s) => [s.topic, s.subExpression]),
      headFormat: '%-20s %s%n',
    });
    this.out(
      `${conns}\nBelow is subscription:\n${subs}\n` +
        jformat(
          'ConsumeType: %s%nMessageModel: %s%nConsumeFromWhere: %s%n',
          res.consumeType,
          res.messageModel,
          res.consumeFromWhere,
        ),
    );
    return res;
  }
}
