import { Flags } from '@oclif/core';
import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand, parseBool, parseIntOpt } from '../cli/format/admin-command.js';
import { updateTopic } from '../engine/admin/topic-ops.js';
import type { TopicConfig } from '../engine/protocol/bodies/topic-config.js';

/** TopicConfig.toString, as mqadmin prints it after a create. */
export function topicConfigText(t: TopicConfig): string {
  // 5.x adds `, attributes={k=v}`; printed only when the topic has attributes, so 4.9's line is unchanged.
  const attrs = Object.entries(t.attributes ?? {});
  const tail = attrs.length > 0 ? `, attributes={${attrs.map(([k, v]) => `${k}=${v}`).join(', ')}}` : '';
  return `TopicConfig [topicName=${t.topicName}, readQueueNums=${t.readQueueNums}, writeQueueNums=${t.writeQueueNums}, perm=${permText(t.perm)}, topicFilterType=${t.topicFilterType}, topicSysFlag=${t.topicSysFlag}, order=${t.order}${tail}]`;
}

/** PermName.perm2String: R, W, X (inherit) or '-'. */
export function permText(perm: number): string {
  return `${perm & 4 ? 'R' : '-'}${perm & 2 ? 'W' : '-'}${perm & 1 ? 'X' : '-'}`;
}

export default class UpdateTopic extends AdminCommand<typeof UpdateTopic> {
  static override summary = "Create or update a topic (one broker, or a cluster's masters).";
  static override description =
    'Creates the topic, or updates it, on one broker (-b) or on every master of a cluster (-c). Defaults: 8 read and 8 write queues, perm 6 (read+write).';
  static override examples = [
    '<%= config.bin %> updateTopic -c DefaultCluster -t TopicTest',
    '<%= config.bin %> updateTopic -b 127.0.0.1:10911 -t TopicTest -r 4 -w 4 -p 6',
    '<%= config.bin %> updateTopic -c DefaultCluster -t OrderTopic -o true',
    '<%= config.bin %> updateTopic -c DefaultCluster -t FifoTopic -a +message.type=FIFO',
  ];
  static override flags = {
    ...brokerOrClusterFlags('create topic to which broker', 'create topic to which cluster'),
    topic: Flags.string({ char: 't', description: 'topic name', required: true }),
    readQueueNums: Flags.string({ char: 'r', description: 'set read queue nums' }),
    writeQueueNums: Flags.string({ char: 'w', description: 'set write queue nums' }),
    perm: Flags.string({ char: 'p', description: "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]" }),
    order: Flags.string({ char: 'o', description: "set topic's order(true|false)" }),
    unit: Flags.string({ char: 'u', description: 'is unit topic (true|false)' }),
    hasUnitSub: Flags.string({ char: 's', description: 'has unit sub (true|false)' }),
    attributes: Flags.string({
      char: 'a',
      description: 'attribute(+a=b,+c=d,-e), e.g. +message.type=FIFO (NORMAL, FIFO, DELAY, TRANSACTION)',
    }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      updateTopic(a, {
        topic: f.topic.trim(),
        brokerAddr: f.brokerAddr?.trim(),
        clusterName: f.clusterName?.trim(),
        readQueueNums: parseIntOpt(f.readQueueNums, 'r'),
        writeQueueNums: parseIntOpt(f.writeQueueNums, 'w'),
        perm: parseIntOpt(f.perm, 'p'),
        order: parseBool(f.order, false),
        unit: parseBool(f.unit, false),
        hasUnitSub: parseBool(f.hasUnitSub, false),
        attributes: f.attributes?.trim(),
      }),
    );
    for (const b of res.brokers) this.out(`create topic to ${b} success.\n`);
    if (res.orderConf)
      this.out(
        `set ${f.brokerAddr ? 'broker' : 'cluster'} orderConf. isOrder=true, orderConf=[${res.orderConf}]\n`,
      );
    this.out(`${topicConfigText(res.topicConfig)}\n`);
    return res;
  }
}
