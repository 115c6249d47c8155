import type { Logger } from '../../common/logger.js';
import { type TopicConfigWrapperOut, topicTableSize } from '../../protocol/bodies/topic-config.js';
import {
  buildRegisterBrokerRequestWithBody,
  parseRegisterBrokerResponse,
  type RegisterBrokerResult,
} from '../../protocol/requests/register-broker.js';
import { buildUnregisterBrokerRequest } from '../../protocol/requests/unregister-broker.js';
import { parseNamesrvAddr, type RemotingClient } from '../../remoting/index.js';
import { type RegistrationParts, registrationParts, type SplitOptions } from './registration-parts.js';
import { unreachableReason } from './unreachable-reason.js';

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
  /**
   * Name servers the broker could not register with, and why (until one answers again). A broker keeps
   * running without them, as RocketMQ's does; its start reports them and the log says when it changes.
   */
  readonly unreachable = new Map<string, string>();

  constructor(
    private readonly client: RemotingClient,
    private readonly log: Logger,
    public namesrvAddr: string,
    /** The periodic registration's period (registerNameServerPeriod), for the log line. */
    public retryPeriodMs = 30_000,
  ) {}

  get namesrvList(): string[] {
    return parseNamesrvAddr(this.namesrvAddr);
  }

  /** Why the last registration went in parts (logged when it changes), undefined when it went whole. */
  private lastSplit: RegistrationParts['split'];

  /**
   * Resolves with one result per name server that answered (failures are logged, not thrown). The body is
   * encoded once for all name servers; a table split in parts goes part after part to each.
   */
  async registerBrokerAll(
    id: BrokerIdentity,
    wrapper: TopicConfigWrapperOut,
    opts: { oneway: boolean; timeoutMs: number } & SplitOptions,
  ): Promise<RegisterBrokerResult[]> {
    const parts = await registrationParts(wrapper, opts);
    this.logSplit(parts, topicTableSize(wrapper.topicConfigTable));
    const results = await Promise.all(
      this.namesrvList.map(async (addr) => {
        try {
          let r: RegisterBrokerResult | undefined;
          for (const body of parts.bodies) {
            const cmd = buildRegisterBrokerRequestWithBody(
              { ...id, oneway: opts.oneway },
              body,
              opts.compressed,
            );
            if (opts.oneway) {
              await this.client.invokeOneway(addr, cmd);
              continue;
            }
            r = parseRegisterBrokerResponse(await this.client.invoke(addr, cmd, opts.timeoutMs));
          }
          if (!opts.oneway) this.log.debug({ namesrv: addr }, 'register broker to name server OK');
          this.reachable(addr);
          return r;
        } catch (e) {
          this.unreachableNow(addr, unreachableReason(e));
          return undefined;
        }
      }),
    );
    return results.filter((r): r is RegisterBrokerResult => r !== undefined);
  }

  private logSplit(parts: RegistrationParts, topics: number): void {
    if (parts.split === this.lastSplit) return;
    this.lastSplit = parts.split;
    if (parts.split === 'too big')
      this.log.warn(
        { topics, bytes: parts.wholeBytes, parts: parts.bodies.length },
        `the topic table (${topics} topics, ${(parts.wholeBytes! / 1048576).toFixed(1)} MB) exceeds one frame: registering in ${parts.bodies.length} parts (compressedRegister=true makes it ~50× smaller)`,
      );
    else if (parts.split === 'configured')
      this.log.info({ topics, parts: parts.bodies.length }, 'registering the topic table in parts');
  }

  /** Logs a failed registration once per change of reason, not at every retry. */
  private unreachableNow(addr: string, reason: string): void {
    if (this.unreachable.get(addr) !== reason)
      this.log.warn(
        { namesrv: addr },
        `cannot register with ${addr}: ${reason}; retrying every ${Math.round(this.retryPeriodMs / 1000)} s`,
      );
    this.unreachable.set(addr, reason);
  }

  private reachable(addr: string): void {
    if (this.unreachable.delete(addr)) this.log.info({ namesrv: addr }, `registered with ${addr} again`);
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
