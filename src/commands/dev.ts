import { Flags } from '@oclif/core';
import { Chalk } from 'chalk';
import ora from 'ora';
import { BaseCommand, serverBaseFlags } from '../cli/base-command.js';
import { consoleFlags, startConsoleBeside, untilStopped } from '../cli/embedded-console.js';
import { applyLogFlags, logFlags } from '../cli/log-flags.js';
import { summaryLines } from '../cli/server-summary.js';
import type { RunningConsole } from '../console/server.js';
import { setLogServer } from '../engine/common/logger.js';
import { defaultStoreDir, type EmbeddedPair, startEmbeddedPair } from '../engine/embedded.js';

export default class Dev extends BaseCommand<typeof Dev> {
  static override baseFlags: typeof BaseCommand.baseFlags = serverBaseFlags;
  static override summary =
    'Run a name server and a broker (with its gRPC proxy for RocketMQ 5 clients) in one process for local development.';
  static override description =
    'Uses ports 9876 (name server), 10911 (broker) and 8081 (gRPC) when free, otherwise any free ports, and a store under ' +
    '~/.mq/dev/store. Prints the name server address to use; Ctrl-C stops both cleanly.';
  static override examples = ['<%= config.bin %> dev', '<%= config.bin %> dev --store /tmp/mq-dev'];
  static override enableJsonFlag = false;

  static override flags = {
    'namesrv-port': Flags.integer({
      default: 9876,
      min: 0,
      max: 65535,
      description: 'name server port (0 = any)',
    }),
    'broker-port': Flags.integer({
      default: 10911,
      min: 0,
      max: 65535,
      description: 'broker port (0 = any)',
    }),
    'grpc-port': Flags.integer({
      default: 8081,
      min: 0,
      max: 65535,
      description: 'gRPC port for RocketMQ 5 clients (the proxy in local mode; 0 = any)',
    }),
    store: Flags.string({ description: 'store directory (default ~/.mq/dev/store)' }),
    ...logFlags,
    ...consoleFlags,
  };

  async run(): Promise<void> {
    const c = new Chalk({ level: process.env.NO_COLOR || !process.stdout.isTTY ? 0 : 1 });
    const logs = applyLogFlags(this.flags);
    const spinner = process.stderr.isTTY
      ? ora({ text: 'starting name server and broker…', stream: process.stderr }).start()
      : null;
    let pair: EmbeddedPair;
    try {
      pair = await startEmbeddedPair({
        namesrvPort: this.flags['namesrv-port'],
        brokerPort: this.flags['broker-port'],
        storeDir: this.flags.store ?? defaultStoreDir('dev'),
        grpcPort: this.flags['grpc-port'],
      });
    } catch (err) {
      spinner?.fail();
      throw err;
    }
    spinner?.stop();
    setLogServer(`dev@${pair.brokerAddr.split(':')[1]}`);
    let web: RunningConsole | undefined;
    if (this.flags.console) {
      web = await startConsoleBeside(pair.namesrvAddr, this.flags['console-port']).catch(async (err) => {
        await pair.stop();
        throw err;
      });
    }
    // Handlers before the first line: a SIGTERM sent as soon as a script reads it is a clean stop.
    const stopped = untilStopped(
      (line) => this.log(line),
      async () => {
        await web?.close();
        await pair.stop();
      },
    );
    this.log(
      `${c.green('mq dev is running')}: name server ${c.bold(pair.namesrvAddr)}, broker ${pair.brokerAddr}, store ${pair.storeDir}`,
    );
    for (const line of summaryLines(pair.summary(logs))) this.log(line);
    this.log(`  export NAMESRV_ADDR=${pair.namesrvAddr}`);
    this.log(`  mq producer send -n ${pair.namesrvAddr} -t TopicTest --body hello`);
    this.log(`  mq consumer tail -n ${pair.namesrvAddr} -t TopicTest --from first`);
    if (pair.grpcEndpoint) this.log(`  RocketMQ 5 SDKs (gRPC): endpoints ${pair.grpcEndpoint}`);
    if (web) this.log(`mq console listening on ${web.url} (name server ${pair.namesrvAddr})`);
    this.log(c.dim('Ctrl-C to stop'));
    await stopped;
  }
}
