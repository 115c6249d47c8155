import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand, serverBaseFlags } from '../../cli/base-command.js';
import { runServer } from '../../cli/server-runner.js';
import {
  createBroker,
  formatBrokerConfig,
  IMPORTANT_KEYS,
  parseBrokerConfig,
} from '../../engine/broker/index.js';
import { defaultPidFile } from '../../engine/common/pid-file.js';

export default class BrokerStart extends BaseCommand<typeof BrokerStart> {
  static override baseFlags: typeof BaseCommand.baseFlags = serverBaseFlags;
  static override summary = 'Start a broker (mqbroker).';
  static override description =
    'Runs a RocketMQ 4.9-compatible broker from a broker.conf: commit-log store, send/pull/long polling, ' +
    'consumer groups and offsets, retry/DLQ/delay, admin requests, registration with the name servers and ' +
    'HA replication. Foreground until SIGTERM/SIGINT (graceful: flush, checkpoint, unregister), or --daemon.';
  static override examples = [
    '<%= config.bin %> broker start -n localhost:9876 -c conf/broker.conf',
    '<%= config.bin %> broker start -c conf/broker.conf --daemon',
    '<%= config.bin %> broker start -c conf/broker.conf -p',
  ];
  static override enableJsonFlag = false;

  static override flags = {
    configFile: Flags.string({ char: 'c', description: 'broker.conf (Java properties)' }),
    printConfigItem: Flags.boolean({ char: 'p', description: 'print every effective config item and exit' }),
    printImportantConfig: Flags.boolean({
      char: 'm',
      description: 'print the important config items and exit',
    }),
    daemon: Flags.boolean({ char: 'd', description: 'run in the background' }),
    'pid-file': Flags.string({ description: 'pid file (default ~/.mq/broker-<listenPort>.pid)' }),
  };

  async run(): Promise<void> {
    let text = '';
    const source = this.flags.configFile ?? 'broker.conf';
    if (this.flags.configFile) {
      try {
        text = readFileSync(this.flags.configFile, 'utf8');
      } catch (err) {
        throw new Error(`cannot read config file ${this.flags.configFile}: ${(err as Error).message}`);
      }
    }
    const overrides: Record<string, string> = {};
    const n = (this.flags.namesrvAddr as string | undefined) ?? (text ? undefined : process.env.NAMESRV_ADDR);
    if (n) overrides.namesrvAddr = n;
    const { config, warnings, explicit } = parseBrokerConfig(text, source, overrides);
    if (!config.namesrvAddr && process.env.NAMESRV_ADDR) config.namesrvAddr = process.env.NAMESRV_ADDR;
    for (const w of warnings) process.stderr.write(`broker: ${w}\n`);
    if (this.flags.printConfigItem || this.flags.printImportantConfig) {
      this.log(formatBrokerConfig(config, this.flags.printImportantConfig ? IMPORTANT_KEYS : undefined));
      return;
    }
    await runServer({
      role: 'broker',
      daemon: this.flags.daemon,
      pidFile: this.flags['pid-file'] ?? defaultPidFile('broker', config.listenPort),
      log: (line) => this.log(line),
      start: async () => {
        const broker = createBroker({ config, explicit, configFile: this.flags.configFile });
        try {
          await broker.start();
        } catch (e) {
          await broker.shutdown().catch(() => {});
          throw e;
        }
        const recovery = broker.store.recoveryReport;
        if (recovery) this.log(recovery.summary());
        return {
          bootLine: `The broker[${config.brokerName}, ${broker.brokerAddr}] boot success. serializeType=JSON${
            config.namesrvAddr ? ` and name server is ${config.namesrvAddr}` : ''
          }`,
          stop: () => broker.shutdown(),
        };
      },
    });
  }
}
