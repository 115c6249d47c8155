import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand, serverBaseFlags } from '../../cli/base-command.js';
import { applyLogFlags, logFlags } from '../../cli/log-flags.js';
import { runServer } from '../../cli/server-runner.js';
import { summaryLines } from '../../cli/server-summary.js';
import {
  createBroker,
  formatBrokerConfig,
  IMPORTANT_KEYS,
  parseBrokerConfig,
} from '../../engine/broker/index.js';
import { setLogServer } from '../../engine/common/logger.js';
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
    // One write for all of them: a conf with thousands of unknown keys gets the first few and a count.
    if (warnings.length) process.stderr.write(warnings.map((w) => `broker: ${w}\n`).join(''));
    if (this.flags.printConfigItem || this.flags.printImportantConfig) {
      this.log(formatBrokerConfig(config, this.flags.printImportantConfig ? IMPORTANT_KEYS : undefined));
      return;
    }
    const logs = applyLogFlags(this.flags);
    await runServer({
      role: 'broker',
      daemon: this.flags.daemon,
      pidFile: this.flags['pid-file'] ?? defaultPidFile('broker', config.listenPort),
      log: (line) => this.log(line),
      start: async () => {
        // Every log line names this broker, so two on one host stay apart in a shared log dir.
        setLogServer(`${config.brokerName}@${config.listenPort}`);
        const broker = createBroker({ config, explicit, configFile: this.flags.configFile });
        try {
          await broker.start();
        } catch (e) {
          await broker.shutdown().catch(() => {});
          throw e;
        }
        // Loaded only when asked for: gRPC and protobuf would add to every broker's start time.
        const proxy = this.flags['enable-proxy']
          ? await import('../../engine/proxy/index.js')
              .then((m) => m.startLocalProxy(broker, this.flags['grpc-port']))
              .catch(async (e) => {
                await broker.shutdown().catch(() => {});
                throw e;
              })
          : undefined;
        const recovery = broker.store.recoveryReport;
        if (recovery) this.log(recovery.summary());
        setLogServer(`${config.brokerName}@${broker.listenPort}`);
        // Started without a name server, as RocketMQ does, but not with a plain success line.
        const warnings = [...broker.unreachableNamesrvs].map(
          ([addr, reason]) =>
            `cannot register with ${addr}: ${reason}; retrying every ${broker.registerPeriodMs / 1000} s`,
        );
        const registered = warnings.length === 0 ? 'boot success.' : 'boot success, NOT registered yet.';
        return {
          bootLine: `The broker[${config.brokerName}, ${broker.brokerAddr}] ${registered} serializeType=JSON${
            config.namesrvAddr ? ` and name server is ${config.namesrvAddr}` : ''
          }`,
          details: summaryLines({
            role: `${config.brokerRole} (brokerId ${config.brokerId}) of cluster ${config.brokerClusterName}`,
            address: `${broker.brokerAddr} (${
              explicit.has('brokerIP1') ? 'brokerIP1' : "brokerIP1 unset: this host's address"
            })`,
            ports: brokerPorts(config.listenPort, broker.listenPort, broker.haListenPort),
            store: config.storePathRootDir,
            logs,
          }).concat(proxy ? [`  gRPC proxy (local mode) listening on 0.0.0.0:${proxy.port}`] : []),
          warnings,
          stop: async () => {
            await proxy?.shutdown();
            await broker.shutdown();
          },
        };
      },
    });
  }
}

/** listenPort, the HA port (listenPort + 1) and the VIP channel (listenPort - 2), as the broker binds them. */
function brokerPorts(configured: number, listen: number, ha: number): string {
  const vip = configured >= 3 ? `, ${listen - 2} VIP channel` : '';
  return `${listen} clients${ha ? `, ${ha} HA` : ''}${vip}`;
}
