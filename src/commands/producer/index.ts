import { Flags } from '@oclif/core';
import { AdminCommand } from '../../cli/format/admin-command.js';
import type { ProducerTableInfo } from '../../engine/protocol/bodies/producer-table-info.js';

export default class Producer extends AdminCommand<typeof Producer> {
  static override summary = "List every producer group's connections on one broker.";
  static override description =
    "Every producer group's live connections on one broker (GET_ALL_PRODUCER_INFO): client id, remote " +
    'address, language, version and last heartbeat. (`mq producer send` sends messages.)';
  static override examples = ['<%= config.bin %> producer -b 127.0.0.1:10911'];
  static override flags = {
    broker: Flags.string({ char: 'b', description: 'broker address', required: true }),
  };

  async run(): Promise<ProducerTableInfo> {
    const addr = this.flags.broker.trim();
    const res = await this.withAdmin((a) => a.getAllProducerInfo(addr));
    for (const [group, list] of Object.entries(res.data)) {
      if (list.length === 0) {
        this.out(`producer group (${group}) instances are empty\n`);
        continue;
      }
      for (const p of list) {
        this.out(
          `producer group (${group}) instance : clientId=${p.clientId},remoteIP=${p.remoteIP}, language=${p.language}, version=${p.version}, lastUpdateTimestamp=${p.lastUpdateTimestamp}\n`,
        );
      }
    }
    return res;
  }
}
