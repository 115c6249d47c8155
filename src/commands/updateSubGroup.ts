import { Flags } from '@oclif/core';
import { brokerOrClusterFlags } from '../cli/flags.js';
import { AdminCommand, parseBool, parseIntOpt } from '../cli/format/admin-command.js';
import { updateSubGroup } from '../engine/admin/group-ops.js';
import type { SubscriptionGroupConfig } from '../engine/protocol/bodies/subscription-group-config.js';

export function subGroupText(c: SubscriptionGroupConfig): string {
  return (
    `SubscriptionGroupConfig [groupName=${c.groupName}, consumeEnable=${c.consumeEnable}, consumeFromMinEnable=${c.consumeFromMinEnable}, ` +
    `consumeBroadcastEnable=${c.consumeBroadcastEnable}, retryQueueNums=${c.retryQueueNums}, retryMaxTimes=${c.retryMaxTimes}, ` +
    `brokerId=${c.brokerId}, whichBrokerWhenConsumeSlowly=${c.whichBrokerWhenConsumeSlowly}, notifyConsumerIdsChangedEnable=${c.notifyConsumerIdsChangedEnable}` +
    `${c.consumeMessageOrderly === undefined ? '' : `, consumeMessageOrderly=${c.consumeMessageOrderly}`}]`
  );
}

export default class UpdateSubGroup extends AdminCommand<typeof UpdateSubGroup> {
  static override summary = "Create or update a consumer group (one broker, or a cluster's masters).";
  static override description =
    'Creates or updates a consumer group on one broker (-b) or every master of a cluster (-c).';
  static override examples = [
    '<%= config.bin %> updateSubGroup -c DefaultCluster -g dawnGroup',
    '<%= config.bin %> updateSubGroup -b 127.0.0.1:10911 -g dawnGroup -r 3 -q 1',
  ];
  static override flags = {
    ...brokerOrClusterFlags(
      'create subscription group to which broker',
      'create subscription group to which cluster',
    ),
    groupName: Flags.string({ char: 'g', description: 'consumer group name', required: true }),
    consumeEnable: Flags.string({ char: 's', description: 'consume enable' }),
    consumeFromMinEnable: Flags.string({ char: 'm', description: 'from min offset' }),
    consumeBroadcastEnable: Flags.string({ char: 'd', description: 'broadcast' }),
    retryQueueNums: Flags.string({ char: 'q', description: 'retry queue nums' }),
    retryMaxTimes: Flags.string({ char: 'r', description: 'retry max times' }),
    brokerId: Flags.string({ char: 'i', description: 'consumer from which broker id' }),
    whichBrokerWhenConsumeSlowly: Flags.string({
      char: 'w',
      description: 'which broker id when consume slowly',
    }),
    notifyConsumerIdsChanged: Flags.string({ char: 'a', description: 'notify consumerId changed' }),
    consumeMessageOrderly: Flags.string({
      char: 'o',
      description: 'consume message orderly (5.x: a FIFO group for POP and gRPC consumers)',
    }),
  };

  async run() {
    const f = this.flags;
    const init: Partial<SubscriptionGroupConfig> = {};
    if (f.consumeEnable !== undefined) init.consumeEnable = parseBool(f.consumeEnable, true);
    if (f.consumeFromMinEnable !== undefined)
      init.consumeFromMinEnable = parseBool(f.consumeFromMinEnable, false);
    if (f.consumeBroadcastEnable !== undefined)
      init.consumeBroadcastEnable = parseBool(f.consumeBroadcastEnable, false);
    if (f.retryQueueNums !== undefined) init.retryQueueNums = parseIntOpt(f.retryQueueNums, 'q');
    if (f.retryMaxTimes !== undefined) init.retryMaxTimes = parseIntOpt(f.retryMaxTimes, 'r');
    if (f.brokerId !== undefined) init.brokerId = parseIntOpt(f.brokerId, 'i');
    if (f.whichBrokerWhenConsumeSlowly !== undefined)
      init.whichBrokerWhenConsumeSlowly = parseIntOpt(f.whichBrokerWhenConsumeSlowly, 'w');
    if (f.notifyConsumerIdsChanged !== undefined)
      init.notifyConsumerIdsChangedEnable = parseBool(f.notifyConsumerIdsChanged, true);
    if (f.consumeMessageOrderly !== undefined)
      init.consumeMessageOrderly = parseBool(f.consumeMessageOrderly, false);
    const res = await this.withAdmin((a) =>
      updateSubGroup(
        a,
        { brokerAddr: f.brokerAddr?.trim(), clusterName: f.clusterName?.trim() },
        f.groupName.trim(),
        init,
      ),
    );
    for (const b of res.updated) this.out(`create subscription group to ${b} success.\n`);
    this.out(`${subGroupText(res.config)}\n`);
    this.partialFailure(res.failed);
    return res;
  }
}
