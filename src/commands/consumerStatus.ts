import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { renderTable } from '../cli/format/table.js';
import { consumerStatus } from '../engine/admin/group-ops.js';
import type { ConsumerRunningInfo } from '../engine/protocol/bodies/consumer-running-info.js';

/** A readable dump of one client's running info (ConsumerRunningInfo.formatString's sections). */
export function runningInfoText(i: ConsumerRunningInfo): string {
  const lines = ['#Consumer Properties#'];
  for (const k of Object.keys(i.properties).sort()) lines.push(`${k.padEnd(40)}: ${i.properties[k]}`);
  lines.push('', '#Consumer Subscription#');
  i.subscriptionSet.forEach((s, n) => {
    lines.push(
      `${String(n + 1).padStart(3, '0')} Topic: ${s.topic.padEnd(32)} ClassFilter: ${s.classFilterMode} SubExpression: ${s.subString}`,
    );
  });
  lines.push(
    '',
    '#Consumer Offset#',
    `${'#Topic'.padEnd(32)}  ${'#Broker Name'.padEnd(32)}  ${'#QID'.padEnd(4)}  #Consumer Offset`,
  );
  for (const [mq, pq] of i.mqTable)
    lines.push(
      `${mq.topic.padEnd(32)}  ${mq.brokerName.padEnd(32)}  ${String(mq.queueId).padEnd(4)}  ${pq.commitOffset ?? ''}`,
    );
  lines.push('', '#Consumer Status#');
  for (const [t, s] of Object.entries(i.statusTable)) lines.push(`${t.padEnd(32)}  ${JSON.stringify(s)}`);
  if (i.jstack) lines.push('', '#Consumer jstack#', i.jstack);
  return `${lines.join('\n')}\n`;
}

export default class ConsumerStatus extends AdminCommand<typeof ConsumerStatus> {
  static override summary = "Show a consumer group's clients' running info and check they agree.";
  static override description =
    'Asks every client of the group (or the one given with -i) for its running info through the broker, and checks that all clients subscribe alike and that no queue is held twice.';
  static override examples = [
    '<%= config.bin %> consumerStatus -g dawnGroup',
    '<%= config.bin %> consumerStatus -g dawnGroup -i 10.0.0.5@1234 --json',
  ];
  static override flags = {
    consumerGroup: Flags.string({ char: 'g', description: 'consumer group name', required: true }),
    clientId: Flags.string({ char: 'i', description: "The consumer's client id" }),
    brokerAddr: Flags.string({ char: 'b', description: 'broker address' }),
    jstack: Flags.boolean({ char: 's', description: 'Run jstack command in the consumer progress' }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      consumerStatus(a, {
        group: f.consumerGroup.trim(),
        clientId: f.clientId?.trim(),
        brokerAddr: f.brokerAddr?.trim(),
        jstack: f.jstack,
      }),
    );
    if (f.clientId) {
      const info = res.clients[0]?.runningInfo;
      if (info) this.out(runningInfoText(info));
      return res;
    }
    // Like mqadmin, each client's running info goes to a file (<tmp>/rocketmq/consumerStatus/<now>/<clientId>)
    // and the table lists the files; --json carries the running info itself.
    const dir = join(tmpdir(), 'rocketmq', 'consumerStatus', String(Date.now()));
    const files = res.clients.map((c) => {
      if (!c.runningInfo) return `ERROR: ${c.error ?? 'no running info'}`;
      mkdirSync(dir, { recursive: true });
      const file = join(dir, c.clientId.replace(/[/\\]/g, '_'));
      writeFileSync(file, runningInfoText(c.runningInfo));
      return file;
    });
    this.out(
      renderTable({
        head: ['#Index', '#ClientId', '#Version', '#ConsumerRunningInfoFile'],
        rows: res.clients.map((c, i) => [i + 1, c.clientId, c.versionDesc, files[i]!]),
        headFormat: '%-10s %-40s %-20s %s%n',
      }),
    );
    if (res.subscriptionSame === true) {
      this.out(
        `\n\nSame subscription in the same group of consumer\n\nRebalance ${res.rebalanceOk ? 'OK' : 'Failed'}\n`,
      );
      for (const q of res.duplicateQueues) this.out(`queue ${q} is held by more than one client\n`);
    } else if (res.subscriptionSame === false) {
      this.out('\n\nWARN: Different subscription in the same group of consumer!!!\n');
    }
    return res;
  }
}
