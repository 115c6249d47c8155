import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { bareLine } from '../cli/format/java-print.js';
import { updateOrderConf } from '../engine/admin/metadata-ops.js';

export default class UpdateOrderConf extends AdminCommand<typeof UpdateOrderConf> {
  static override summary = "Put, get or delete an order topic's queue layout on the name servers.";
  static override description =
    "An order topic's queue layout (brokerName:queueNum;…) in the name servers' ORDER_TOPIC_CONFIG " +
    'namespace: -m put writes it on every name server, get reads it, delete removes it.';
  static override examples = [
    "<%= config.bin %> updateOrderConf -t OrderTopic -m put -v 'broker-a:4;broker-b:4'",
    '<%= config.bin %> updateOrderConf -t OrderTopic -m get',
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    orderConf: Flags.string({
      char: 'v',
      description: 'set order conf [eg. brokerName1:num;brokerName2:num]',
    }),
    method: Flags.string({ char: 'm', description: 'option type [eg. put|get|delete', required: true }),
  };

  async run() {
    const f = this.flags;
    const topic = f.topic.trim();
    const res = await this.withAdmin((a) =>
      updateOrderConf(a, { topic, method: f.method.trim(), orderConf: f.orderConf }),
    );
    if (res.method === 'get')
      this.out(bareLine(`get orderConf success. topic=[${topic}], orderConf=[${res.orderConf}] `));
    else if (res.method === 'put')
      this.out(bareLine(`update orderConf success. topic=[${topic}], orderConf=[${res.orderConf}]`));
    else this.out(bareLine(`delete orderConf success. topic=[${topic}]`));
    return res;
  }
}
