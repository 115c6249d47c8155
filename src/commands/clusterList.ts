import { setTimeout as sleep } from 'node:timers/promises';
import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { jformat } from '../cli/format/printf.js';
import { renderTable } from '../cli/format/table.js';
import {
  type ClusterBrokerRow,
  type ClusterMoreStatsRow,
  clusterList,
  clusterMoreStats,
} from '../engine/admin/cluster-ops.js';

export default class ClusterList extends AdminCommand<typeof ClusterList> {
  static override summary = 'List clusters and their brokers with TPS, queues and disk usage.';
  static override description =
    'One line per broker (master and slaves) of every cluster on the name server, with its version, put/get TPS, ' +
    'thread-pool queues, page-cache lock time, hours of data kept and disk usage (GET_BROKER_RUNTIME_INFO). ' +
    'A broker that does not answer is listed with empty figures and makes the command exit non-zero.';
  static override examples = [
    '<%= config.bin %> clusterList -n 127.0.0.1:9876',
    '<%= config.bin %> clusterList -m',
    '<%= config.bin %> clusterList -i 5',
    '<%= config.bin %> clusterList --json',
  ];
  static override flags = {
    moreStats: Flags.boolean({ char: 'm', description: 'Print more stats' }),
    interval: Flags.integer({ char: 'i', description: 'specify intervals numbers, it is in seconds' }),
  };

  async run(): Promise<{ brokers: ClusterBrokerRow[] | ClusterMoreStatsRow[] }> {
    return this.withAdmin(async (admin) => {
      for (;;) {
        const res = this.flags.moreStats ? await clusterMoreStats(admin) : await clusterList(admin);
        this.out(
          this.flags.moreStats
            ? renderMore(res.brokers as ClusterMoreStatsRow[])
            : renderBase(res.brokers as ClusterBrokerRow[]),
        );
        if (!this.flags.interval) {
          this.partialFailure(
            res.brokers.filter((b) => b.error).map((b) => ({ addr: b.addr, error: b.error! })),
          );
          return res;
        }
        await sleep(this.flags.interval * 1000);
      }
    });
  }
}

function renderBase(rows: ClusterBrokerRow[]): string {
  const fmt = '%-16s  %-22s  %-4s  %-22s %-16s %19s %19s %10s %5s %6s%n';
  return renderTable({
    head: [
      '#Cluster Name',
      '#Broker Name',
      '#BID',
      '#Addr',
      '#Version',
      '#InTPS(LOAD)',
      '#OutTPS(LOAD)',
      '#PCWait(ms)',
      '#Hour',
      '#SPACE',
    ],
    rows: rows.map((r) => [
      r.clusterName,
      r.brokerName,
      r.brokerId,
      r.addr,
      r.version,
      jformat('%9.2f(%s,%sms)', r.inTps, r.sendThreadPoolQueueSize, r.sendThreadPoolQueueHeadWaitTimeMills),
      jformat('%9.2f(%s,%sms)', r.outTps, r.pullThreadPoolQueueSize, r.pullThreadPoolQueueHeadWaitTimeMills),
      r.pageCacheLockTimeMills,
      jformat('%2.2f', r.hours),
      jformat('%.4f', r.space),
    ]),
    headFormat: fmt,
    numeric: [2, 7, 8, 9],
  });
}

function renderMore(rows: ClusterMoreStatsRow[]): string {
  return renderTable({
    head: [
      '#Cluster Name',
      '#Broker Name',
      '#InTotalYest',
      '#OutTotalYest',
      '#InTotalToday',
      '#OutTotalToday',
    ],
    rows: rows.map((r) => [
      r.clusterName,
      r.brokerName,
      r.inTotalYest,
      r.outTotalYest,
      r.inTotalToday,
      r.outTotalToday,
    ]),
    headFormat: '%-16s  %-32s %14s %14s %14s %14s%n',
    rowFormat: '%-16s  %-32s %14d %14d %14d %14d%n',
    numeric: [2, 3, 4, 5],
  });
}
