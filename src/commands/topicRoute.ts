import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { jformat } from '../cli/format/printf.js';
import { renderTable } from '../cli/format/table.js';
import { routeRows, topicRoute } from '../engine/admin/topic-ops.js';
import type { TopicRouteData } from '../engine/protocol/bodies/topic-route-data.js';

export default class TopicRoute extends AdminCommand<typeof TopicRoute> {
  static override summary = 'Print the route the name server gives clients for a topic.';
  static override description =
    'The route the name server gives clients for a topic: its brokers with their addresses and its queue layout. ' +
    'Printed as JSON, or with -l as one line per broker plus totals.';
  static override examples = [
    '<%= config.bin %> topicRoute -t TopicTest',
    '<%= config.bin %> topicRoute -t TopicTest -l',
  ];
  static override flags = {
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    list: Flags.boolean({ char: 'l', description: 'Use list format to print data' }),
  };

  async run(): Promise<TopicRouteData> {
    const route = await this.withAdmin((a) => topicRoute(a, this.flags.topic.trim()));
    if (!this.flags.list) {
      this.out(`${JSON.stringify(route, null, '\t')}\n`);
      return route;
    }
    const { rows, brokers, readQueues, writeQueues } = routeRows(route);
    const fmt = '%-45s %-32s %-50s %-10s %-11s %-5s%n';
    const addrs = (a: Record<string, string>) =>
      `{${Object.entries(a)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}}`;
    this.out(
      renderTable({
        head: ['#ClusterName', '#BrokerName', '#BrokerAddrs', '#ReadQueue', '#WriteQueue', '#Perm'],
        rows: rows.map((r) => [
          r.clusterName,
          r.brokerName,
          addrs(r.brokerAddrs),
          r.readQueueNums,
          r.writeQueueNums,
          r.perm,
        ]),
        headFormat: fmt,
        numeric: [3, 4, 5],
      }) + `${'-'.repeat(158)}\n${jformat(fmt, 'Total:', brokers, '', readQueues, writeQueues, '')}`,
    );
    return route;
  }
}
