import type { Logger } from '../../common/logger.js';
import type { TopicConfigSerializeWrapper } from '../../protocol/bodies/topic-config.js';
import {
  buildRegisterBrokerRequest,
  parseRegisterBrokerResponse,
  type RegisterBrokerResult,
} from '../../protocol/requests/register-broker.js';
import { buildUnregisterBrokerRequest } from '../../protocol/requests/unregister-broker.js';
import { parseNamesrvAddr, type RemotingClient } from '../../remoting/index.js';

export interface BrokerIdentity {
  clusterName: string;
  brokerName: string;
  brokerAddr: string;
  haServerAddr: string;
  brokerId: number;
}

/**
 * The broker's calls to name servers (BrokerOuterAPI): REGISTER_BROKER to every name server in parallel,
 * each on its own connection; UNREGISTER_BROKER at shutdown.
 */
export class BrokerOuterAPI {
  constructor(
    private readonly client: RemotingClient,
    private readonly log: Logger,
    public namesrvAddr: string,
  ) {}

  get namesrvList(): string[] {
    return parseNamesrvAddr(this.namesrvAddr);
  }

  /** Resolves with one result per name server that answered (failures are logged, not thrown). */
  async registerBrokerAll(
    id: BrokerIdentity,
    wrapper: TopicConfigSerializeWrapper,
    opts: { oneway: boolean; timeoutMs: number; compressed: boolean },
  ): Promise<RegisterBrokerResult[]> {
    const results = await Promise.all(
      this.namesrvList.map(async (addr) => {
        const cmd = buildRegisterBrokerRequest({
          ...id,
          body: { topicConfigSerializeWrapper: wrapper, filterServerList: [] },
          compressed: opts.compressed,
          oneway: opts.oneway,
        });
        try {
          if (opts.oneway) {
            await this.client.invokeOneway(addr, cmd);
            return undefined;
          }
          const resp = await this.client.invoke(addr, cmd, opts.timeoutMs);
          const r = parseRegisterBrokerResponse(resp);
          this.log.debug({ namesrv: addr }, 'register broker to name server OK');
          return r;
        } catch (e) {
          this.log.warn(
            { namesrv: addr, err: (e as Error).message },
            'register broker to name server failed',
          );
          return undefined;
        }
      }),
    );
    return results.filter((r): r is RegisterBrokerResult => r !== undefined);
  }

  async unregisterBrokerAll(id: BrokerIdentity, timeoutMs = 3000): Promise<void> {
    await Promise.all(
      this.namesrvList.map(async (addr) => {
        try {
          await this.client.invoke(
            addr,
            buildUnregisterBrokerRequest({
              brokerName: id.brokerName,
              brokerAddr: id.brokerAddr,
              clusterName: id.clusterName,
              brokerId: id.brokerId,
            }),
            timeoutMs,
          );
          this.log.info({ namesrv: addr }, 'unregister broker from name server OK');
        } catch (e) {
          this.log.warn({ namesrv: addr, err: (e as Error).message }, 'unregister broker failed');
        }
      }),
    );
  }
}
