import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { allocateMQ } from '../engine/admin/queue-ops.js';
import { quoteFastjson, toFastjson } from '../engine/protocol/fastjson.js';

export default class AllocateMQ extends AdminCommand<typeof AllocateMQ> {
  static override summary = "Show which of a topic's queues each client id would get (average allocation).";
  static override description =
    "Which of the topic's readable queues AllocateMessageQueueAveragely gives each client id of -i, computed " +
    'here from the route (nothing is changed). Printed as RebalanceResult JSON, as mqadmin does.';
  static override examples = ['<%= config.bin %> allocateMQ -t TopicTest -i 10.0.0.1@1,10.0.0.2@1'];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    ipList: Flags.string({ char: 'i', description: 'ipList', required: true }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) => allocateMQ(a, f.topic.trim(), f.ipList.trim().split(',')));
    // The map's order is Java's HashMap order, which toFastjson would re-sort: write it by hand.
    const entries = Object.entries(res.result).map(([ip, mqs]) => `${quoteFastjson(ip)}:${toFastjson(mqs)}`);
    this.out(`{"result":{${entries.join(',')}}}\n`);
    return res;
  }
}
