import { setTimeout as sleep } from 'node:timers/promises';
import { Flags } from '@oclif/core';
import { AdminCommand, parseIntOpt } from '../cli/format/admin-command.js';
import { javaBool } from '../cli/format/java-print.js';
import { jformat } from '../cli/format/printf.js';
import { UsageError } from '../cli/usage-error.js';
import { type ClusterRtRow, clusterRtRound, startRtProducer } from '../engine/admin/send-rt.js';

/** "yyyy-MM-dd HH:mm:ss" in GMT+8, the time mqadmin's tlog lines carry. */
function gmt8(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export default class ClusterRT extends AdminCommand<typeof ClusterRT> {
  static override summary = 'Measure send response time to every broker of a cluster, every interval.';
  static override description =
    'Every -i seconds, sends -a messages of -s bytes to each broker of the cluster (or of every cluster) ' +
    'through the topic named after it and prints the mean RT and the success and failure counts. Runs ' +
    'until interrupted, as mqadmin does, or for --count rounds. -p true prints tlog lines instead.';
  static override examples = [
    '<%= config.bin %> clusterRT -c DefaultCluster -a 10 --count 1',
    '<%= config.bin %> clusterRT -p true -m room1 -i 30',
  ];
  static override flags = {
    amount: Flags.string({ char: 'a', description: 'message amount | default 100' }),
    size: Flags.string({ char: 's', description: 'message size | default 128 Byte' }),
    cluster: Flags.string({ char: 'c', description: 'cluster name | default display all cluster' }),
    printLog: Flags.string({ char: 'p', description: 'print as tlog | default false' }),
    machineRoom: Flags.string({ char: 'm', description: 'machine room name | default noname' }),
    interval: Flags.string({ char: 'i', description: 'print interval | default 10 seconds' }),
    count: Flags.integer({ description: 'stop after this many rounds (default: run until interrupted)' }),
  };

  async run(): Promise<{ rounds: ClusterRtRow[][] }> {
    const f = this.flags;
    const amount = parseIntOpt(f.amount, 'a') ?? 100;
    const size = parseIntOpt(f.size, 's') ?? 128;
    const interval = parseIntOpt(f.interval, 'i') ?? 10;
    const tlog = javaBool(f.printLog);
    const room = f.machineRoom?.trim() || 'noname';
    if (amount < 1) throw new UsageError('-a must be at least 1');
    if (!tlog)
      this.out(
        jformat(
          '%-24s  %-24s  %-4s  %-8s  %-8s%n',
          '#Cluster Name',
          '#Broker Name',
          '#RT',
          '#successCount',
          '#failCount',
        ),
      );
    const print = (r: ClusterRtRow) =>
      this.out(
        tlog
          ? `${gmt8(Date.now())}|${room}|${r.clusterName}|${r.brokerName}|${Math.round(r.rt)}\n`
          : jformat(
              '%-24s  %-24s  %-8s  %-16s  %-16s%n',
              r.clusterName,
              r.brokerName,
              jformat('%.2f', r.rt),
              r.successCount,
              r.failCount,
            ),
      );
    const rounds: ClusterRtRow[][] = [];
    const producer = await startRtProducer(this.namesrv);
    try {
      await this.withAdmin(async (admin) => {
        for (let n = 1; ; n++) {
          rounds.push(
            await clusterRtRound(admin, producer, { clusterName: f.cluster?.trim(), amount, size }, print),
          );
          if (f.count !== undefined && n >= f.count) break;
          await sleep(interval * 1000);
        }
      });
    } finally {
      await producer.shutdown();
    }
    return { rounds };
  }
}
