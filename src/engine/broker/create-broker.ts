import { createLogger, type Logger } from '../common/logger.js';
import { MessageStore } from '../store/index.js';
import { BrokerController, type ReplicationHook } from './broker-controller.js';
import type { BrokerStore } from './broker-store.js';
import type { BrokerConfig } from './config/broker-config.js';
import { BrokerHA } from './ha/index.js';
import { commitLogFileSizeProblem } from './slave/master-compat.js';
import { SlaveSynchronize } from './slave/slave-synchronize.js';
import { SlaveTopicLearner } from './slave/slave-topic-learner.js';

export interface CreateBrokerOptions {
  config: BrokerConfig;
  explicit?: ReadonlySet<string>;
  logger?: Logger;
  host?: string;
  configFile?: string;
}

/**
 * A broker wired with the commit-log MessageStore, HA replication (master: HA server on listenPort+1 and
 * the SYNC_MASTER wait; slave: HA client) and, on slaves, the metadata sync from the master.
 */
export function createBroker(opts: CreateBrokerOptions): BrokerController {
  let slaveSync: SlaveSynchronize | undefined;
  const ctl: BrokerController = new BrokerController({
    config: opts.config,
    explicit: opts.explicit,
    logger: opts.logger,
    host: opts.host,
    configFile: opts.configFile,
    // Store warnings (recovery repairs, damaged reads) go to the broker log; the recovery summary is info.
    createStore: (storeConfig, _brokerConfig, log) =>
      new MessageStore(storeConfig, {
        log: (m) => (m.startsWith('store recovery') ? log.info(m) : log.warn(m)),
      }) as unknown as BrokerStore,
    createReplication: (ctl): ReplicationHook => {
      const store = ctl.store as unknown as MessageStore;
      // Java's BrokerStartup always puts the HA port at listenPort + 1 (0 = any port when listenPort is 0).
      const haListenPort =
        ctl.config.haListenPort || (ctl.config.listenPort === 0 ? 0 : ctl.config.listenPort + 1);
      // Replication logs to store.log, as RocketMQ's HAService does (unless the broker was given a logger).
      const ha = new BrokerHA(
        store,
        { ...ctl.storeConfig, haListenPort },
        opts.logger ?? createLogger('store'),
      );
      if (ctl.config.brokerRole === 'SLAVE') {
        ha.setMasterCheck((master) =>
          commitLogFileSizeProblem(ctl.remotingClient, master, ctl.storeConfig.mappedFileSizeCommitLog),
        );
        ctl.consumerOffsetManager.trackHandBack();
        const learner = new SlaveTopicLearner(ctl.topicConfigManager, ctl.log);
        learner.seenAll(store.queueTopics());
        store.onMessageArrive((topic, queueId) => learner.seen(topic, queueId));
        slaveSync = new SlaveSynchronize(
          ctl.remotingClient,
          {
            topicConfigManager: ctl.topicConfigManager,
            consumerOffsetManager: ctl.consumerOffsetManager,
            subscriptionGroupManager: ctl.subscriptionGroupManager,
            storePathRootDir: ctl.config.storePathRootDir,
            get brokerAddr() {
              return ctl.brokerAddr;
            },
          },
          ctl.log,
        );
      }
      return {
        afterPut: (end, wait) => ha.afterPut(end, wait),
        onRegisterResult: (r) => {
          ha.onRegisterResult(r);
          if (slaveSync && r?.masterAddr) slaveSync.masterAddr = r.masterAddr;
        },
        start: async (host) => {
          const port = await ha.start(host);
          slaveSync?.start();
          return port;
        },
        shutdown: async () => {
          slaveSync?.stop();
          await ha.shutdown();
        },
        runtimeInfo: () => ha.runtimeInfo(),
      };
    },
  });
  return ctl;
}
