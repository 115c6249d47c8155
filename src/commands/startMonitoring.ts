import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { type MonitorRound, monitorRound } from '../engine/admin/monitor.js';

/** A round as DefaultMonitorListener logs it. */
export function monitorText(r: MonitorRound): string {
  const lines = ['=========================================beginRound'];
  for (const u of r.undone) {
    lines.push(
      `reportUndoneMsgs: UndoneMsgs [consumerGroup=${u.consumerGroup}, topic=${u.topic}, undoneMsgsTotal=${u.undoneMsgsTotal}, undoneMsgsSingleMQ=${u.undoneMsgsSingleMQ}, undoneMsgsDelayTimeMills=${u.undoneMsgsDelayTimeMills}]`,
    );
  }
  for (const p of r.runningInfo) {
    lines.push(
      `reportConsumerRunningInfo: ConsumerGroup: ${p.consumerGroup}${p.clientId ? `, ClientId: ${p.clientId}` : ''}, ${p.problem}`,
    );
  }
  lines.push(
    '=========================================endRound',
    `Execute one round monitor work, spent timemills: ${r.spentMs}`,
  );
  return `${lines.join('\n')}\n`;
}

export default class StartMonitoring extends AdminCommand<typeof StartMonitoring> {
  static override summary = "Report consumer groups' backlog and client problems every interval.";
  static override description =
    'Every --interval seconds (20, as RocketMQ), reports for each online consumer group its backlog per topic (total, largest single queue, how far its newest message is ahead of the last consumption) and problems in its clients (different subscriptions, a queue held twice, a client not answering). Runs until stopped, or for --rounds rounds; with --json one JSON line per round.';
  static override examples = [
    '<%= config.bin %> startMonitoring',
    '<%= config.bin %> startMonitoring --interval 5 --rounds 1 --json',
  ];
  static override flags = {
    interval: Flags.integer({ description: 'seconds between rounds', default: 20, min: 1 }),
    rounds: Flags.integer({
      description: 'stop after this many rounds (default: run until stopped)',
      min: 1,
    }),
  };

  async run(): Promise<unknown> {
    const f = this.flags;
    const json = this.jsonEnabled();
    await this.withAdmin(async (a) => {
      for (let round = 1; ; round++) {
        const r = await monitorRound(a);
        process.stdout.write(json ? `${JSON.stringify(r)}\n` : monitorText(r));
        if (f.rounds !== undefined && round >= f.rounds) return;
        await new Promise((res) => setTimeout(res, f.interval * 1000));
      }
    });
    // Rounds were printed as they came (JSON lines with --json).
    return undefined;
  }
}
