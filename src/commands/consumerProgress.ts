import { setTimeout as sleep } from 'node:timers/promises';
import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { front, jformat } from '../cli/format/printf.js';
import { renderTable } from '../cli/format/table.js';
import { formatDate, shortDuration } from '../cli/format/time.js';
import type { AdminClient } from '../engine/admin/admin-client.js';
import {
  consumerProgress,
  type GroupSummary,
  groupSummaries,
  type ConsumerProgress as Progress,
  unreachableText,
} from '../engine/admin/consumer-progress.js';
import { type LagSnapshot, LagTracker } from '../engine/admin/lag-trend.js';

export default class ConsumerProgress extends AdminCommand<typeof ConsumerProgress> {
  static override summary = "Print consumer groups' lag, or one group's offsets and lag per queue.";
  static override description =
    'With -g: every queue of the group with the broker offset, the committed consumer offset and the ' +
    'difference (the lag), then the consume TPS and the total lag. Without -g: one line per consumer group ' +
    "(groups found from every master broker's subscription groups and from the %RETRY% topics). " +
    "--watch refreshes every few seconds and shows how each queue's lag moves and when it will be caught up.";
  static override examples = [
    '<%= config.bin %> consumerProgress -n 127.0.0.1:9876 -g dawnGroup',
    '<%= config.bin %> consumerProgress -g dawnGroup -s',
    '<%= config.bin %> consumerProgress -g dawnGroup --watch 5',
    '<%= config.bin %> consumerProgress --json',
  ];
  // `-s true` (mqadmin's form) leaves a stray "true"/"false"; `--watch 5` leaves its seconds.
  static override strict = false;

  static override flags = {
    groupName: Flags.string({ char: 'g', description: 'consumer group name' }),
    showClientIP: Flags.boolean({ char: 's', description: 'Show Client IP per Queue' }),
    watch: Flags.boolean({ description: 'refresh every N seconds (default 5): --watch [seconds]; needs -g' }),
    count: Flags.integer({ description: 'with --watch: stop after this many refreshes' }),
  };

  async run(): Promise<Progress | GroupSummary[] | LagSnapshot[]> {
    const group = this.flags.groupName?.trim();
    const extra = this.argv.filter((a) => !a.startsWith('-'));
    const showIp = this.flags.showClientIP && !(extra.includes('false') && this.argv.includes('-s'));
    if (this.flags.watch) {
      if (!group) throw new Error('--watch needs -g groupName');
      return this.withAdmin((admin) => this.watch(admin, group, showIp));
    }
    if (group) {
      const p = await this.withAdmin((admin) => consumerProgress(admin, group, showIp));
      this.out(renderProgress(p, showIp));
      if (p.unreachable) {
        // What could be read is printed (and is the --json object); stderr and the exit status say it is
        // partial.
        process.stderr.write(
          `consumerProgress: could not reach ${unreachableText(p.unreachable)}: their queues are missing. ` +
            'Check the broker is running (mqadmin clusterList) and reachable from here, then retry\n',
        );
        process.exitCode = 1;
      }
      return p;
    }
    const rows = await this.withAdmin((admin) => groupSummaries(admin));
    this.out(renderSummary(rows));
    return rows;
  }

  private watchSeconds(): number {
    const i = this.argv.indexOf('--watch');
    const next = i >= 0 ? this.argv[i + 1] : undefined;
    if (next && /^\d+(\.\d+)?$/.test(next)) return Math.max(0.2, Number(next));
    return 5;
  }

  private async watch(admin: AdminClient, group: string, showIp: boolean): Promise<LagSnapshot[]> {
    const seconds = this.watchSeconds();
    const tracker = new LagTracker();
    const snaps: LagSnapshot[] = [];
    let stop = false;
    const onSig = () => {
      stop = true;
    };
    process.once('SIGINT', onSig);
    try {
      for (let n = 1; !stop; n++) {
        const snap = tracker.update(await consumerProgress(admin, group, showIp));
        snaps.push(snap);
        if (this.jsonEnabled()) {
          // NDJSON while watching: one object per refresh; oclif prints the final array at the end.
          if (this.flags.count === undefined) process.stdout.write(`${JSON.stringify(snap)}\n`);
        } else {
          if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
          this.out(renderWatch(snap, seconds));
        }
        if (this.flags.count !== undefined && n >= this.flags.count) break;
        await sleep(seconds * 1000);
      }
    } finally {
      process.off('SIGINT', onSig);
    }
    return snaps;
  }
}

export function renderProgress(p: Progress, showIp: boolean): string {
  const head = showIp
    ? [
        '#Topic',
        '#Broker Name',
        '#QID',
        '#Broker Offset',
        '#Consumer Offset',
        '#Client IP',
        '#Diff',
        '#LastTime',
      ]
    : ['#Topic', '#Broker Name', '#QID', '#Broker Offset', '#Consumer Offset', '#Diff', '#LastTime'];
  const rows = p.queues.map((q) => {
    const last = q.lastTimestamp === 0 ? 'N/A' : formatDate(q.lastTimestamp);
    const base = [front(q.topic, 64), front(q.brokerName, 32), q.queueId, q.brokerOffset, q.consumerOffset];
    return showIp ? [...base, q.clientIp ?? 'N/A', q.diff, last] : [...base, q.diff, last];
  });
  const table = renderTable({
    head,
    rows,
    headFormat: showIp
      ? '%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s  %s%n'
      : '%-64s  %-32s  %-4s  %-20s  %-20s  %-20s  %s%n',
    rowFormat: showIp
      ? '%-64s  %-32s  %-4d  %-20d  %-20d  %-20s %-20d  %s%n'
      : '%-64s  %-32s  %-4d  %-20d  %-20d  %-20d  %s%n',
    numeric: showIp ? [2, 3, 4, 6] : [2, 3, 4, 5],
  });
  return `${table}\n${jformat('Consume TPS: %.2f%n', p.consumeTps)}${jformat('Diff Total: %d%n', p.diffTotal)}`;
}

export function renderSummary(rows: GroupSummary[]): string {
  return renderTable({
    head: ['#Group', '#Count', '#Version', '#Type', '#Model', '#TPS', '#Diff Total'],
    rows: rows.map((r) => [
      front(r.group, 64),
      r.count,
      r.count > 0 ? r.versionDesc : 'OFFLINE',
      r.consumeType,
      r.messageModel,
      r.consumeTps,
      r.diffTotal,
    ]),
    headFormat: '%-64s  %-6s  %-24s %-5s  %-14s  %-7s  %s%n',
    rowFormat: '%-64s  %-6d  %-24s %-5s  %-14s  %-7d  %d%n',
    numeric: [1, 5, 6],
  });
}

const rate = (r: number | null) => (r === null ? '-' : r.toFixed(1));
const eta = (s: number | null) => (s === null ? '-' : s === 0 ? 'caught up' : shortDuration(s));
const trend = (d: number | null) => (d === null ? '-' : d > 0 ? `+${d} ↑` : d < 0 ? `${d} ↓` : '0 =');

export function renderWatch(s: LagSnapshot, seconds: number): string {
  const table = renderTable({
    head: ['#Topic', '#Broker Name', '#QID', '#Diff', '#Trend', '#Consume/s', '#Produce/s', '#Catch-up'],
    rows: s.queues.map((q) => [
      front(q.topic, 48),
      front(q.brokerName, 24),
      q.queueId,
      q.diff,
      trend(q.diffDelta),
      rate(q.consumeRate),
      rate(q.produceRate),
      eta(q.catchUpSeconds),
    ]),
    headFormat: '%-48s  %-24s  %-4s  %-12s  %-10s  %-11s  %-11s  %s%n',
    numeric: [2, 3, 5, 6],
  });
  return (
    `${s.group} at ${formatDate(s.at)} (every ${seconds}s, Ctrl-C to stop)\n${table}\n` +
    `Diff Total: ${s.diffTotal} (${trend(s.diffTotalDelta)})  consume ${rate(s.consumeRate)}/s  ` +
    `produce ${rate(s.produceRate)}/s  catch-up ${eta(s.catchUpSeconds)}\n`
  );
}
