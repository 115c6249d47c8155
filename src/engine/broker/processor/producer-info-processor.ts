import { encodeProducerTableInfo, type ProducerInfo } from '../../protocol/bodies/producer-table-info.js';
import type { RemotingCommand } from '../../protocol/remoting-command.js';
import type { BrokerController } from '../broker-controller.js';
import { ok } from './responses.js';

/** GET_ALL_PRODUCER_INFO (328, `mqadmin producer`): every producer group's live connections. */
export function getAllProducerInfo(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  const data: Record<string, ProducerInfo[]> = {};
  for (const [group, channels] of ctl.producerManager.groups) {
    data[group] = [...channels.values()].map((c) => ({
      clientId: c.clientId,
      remoteIP: `/${c.channel.remoteAddress}`,
      language: c.language,
      version: c.version,
      lastUpdateTimestamp: c.lastUpdateTimestamp,
    }));
  }
  return ok(req, undefined, encodeProducerTableInfo({ data }));
}
