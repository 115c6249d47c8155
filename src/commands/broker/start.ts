import { Flags } from '@oclif/core';
import { BaseCommand, serverBaseFlags } from '../../cli/base-command.js';
import { type BrokerStartFlags, brokerStart } from '../../cli/broker-server.js';
import { logFlags } from '../../cli/log-flags.js';

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
    'enable-proxy': Flags.boolean({
      description: 'also serve RocketMQ 5 gRPC clients from this process (the proxy in local mode)',
    }),
    'grpc-port': Flags.integer({
      description: 'gRPC port of --enable-proxy (0 = any free port)',
      default: 8081,
      min: 0,
      max: 65535,
    }),
    ...logFlags,
  };

  async run(): Promise<void> {
    await brokerStart(this.flags as BrokerStartFlags, (line) => this.log(line));
  }
}
