import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand, serverBaseFlags } from '../../cli/base-command.js';
import { applyLogFlags, logFlags } from '../../cli/log-flags.js';
import { runServer } from '../../cli/server-runner.js';
import { summaryLines } from '../../cli/server-summary.js';
import { setLogServer } from '../../engine/common/logger.js';
import { defaultPidFile } from '../../engine/common/pid-file.js';
import {
  applyNamesrvProperties,
  defaultNamesrvConfig,
  NamesrvController,
  namesrvConfigToProperties,
} from '../../engine/namesrv/index.js';
import { parsePropertiesText } from '../../engine/protocol/requests/namesrv-config.js';

export default class NamesrvStart extends BaseCommand<typeof NamesrvStart> {
  static override baseFlags: typeof BaseCommand.baseFlags = serverBaseFlags;
  static override summary = 'Start a name server (mqnamesrv).';
  static override description =
    'Serves broker registration and topic routes on the RocketMQ 4.9 remoting protocol. Runs in the ' +
    'foreground until SIGTERM/SIGINT, or in the background with --daemon.';
  static override examples = [
    '<%= config.bin %> namesrv start',
    '<%= config.bin %> namesrv start -c conf/namesrv.properties --daemon',
    '<%= config.bin %> namesrv start --port 9877 -p',
  ];
  static override enableJsonFlag = false;

  static override flags = {
    configFile: Flags.string({ char: 'c', description: 'name server properties file (key=value lines)' }),
    port: Flags.integer({
      description: 'listen port (overrides listenPort; 0 = any free port)',
      min: 0,
      max: 65535,
    }),
    printConfigItem: Flags.boolean({ char: 'p', description: 'print the effective configuration and exit' }),
    daemon: Flags.boolean({ char: 'd', description: 'run in the background' }),
    'pid-file': Flags.string({ description: 'pid file (default ~/.mq/namesrv-<port>.pid)' }),
    ...logFlags,
  };

  async run(): Promise<void> {
    const config = defaultNamesrvConfig();
    if (this.flags.configFile) {
      let text: string;
      try {
        text = readFileSync(this.flags.configFile, 'utf8');
      } catch (err) {
        throw new Error(`cannot read config file ${this.flags.configFile}: ${(err as Error).message}`);
      }
      const unknown = applyNamesrvProperties(config, parsePropertiesText(text));
      for (const k of unknown) process.stderr.write(`namesrv: ignoring unknown config key ${k}\n`);
    }
    if (this.flags.port !== undefined) config.listenPort = this.flags.port;
    if (this.flags.printConfigItem) {
      this.log(namesrvConfigToProperties(config));
      return;
    }
    const logs = applyLogFlags(this.flags);
    await runServer({
      role: 'namesrv',
      daemon: this.flags.daemon,
      pidFile: this.flags['pid-file'] ?? defaultPidFile('namesrv', config.listenPort),
      log: (line) => this.log(line),
      start: async () => {
        setLogServer(`namesrv@${config.listenPort}`);
        const ns = new NamesrvController(config);
        const { port, host } = await ns.start();
        setLogServer(`namesrv@${port}`);
        return {
          bootLine: `The Name Server boot success. serializeType=JSON, listening on ${host}:${port}`,
          details: summaryLines({
            role: 'name server',
            address: `${host}:${port} (brokers and clients use -n <this host>:${port})`,
            ports: String(port),
            store: config.kvConfigPath ? `${config.kvConfigPath} (kvConfig)` : 'none (kvConfig in memory)',
            logs,
          }),
          stop: () => ns.shutdown(),
        };
      },
    });
  }
}
