import { Flags } from '@oclif/core';
import { BaseCommand, serverBaseFlags } from '../../cli/base-command.js';
import { logFlags } from '../../cli/log-flags.js';
import { type NamesrvStartFlags, namesrvStart } from '../../cli/namesrv-server.js';

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
    await namesrvStart(this.flags as NamesrvStartFlags, (line) => this.log(line));
  }
}
