import { Flags } from '@oclif/core';
import { BaseCommand, serverBaseFlags } from '../../cli/base-command.js';
import { applyLogFlags, logFlags } from '../../cli/log-flags.js';
import { runServer } from '../../cli/server-runner.js';
import { summaryLines } from '../../cli/server-summary.js';
import { PlainAccessValidator, readToolsCredentials } from '../../engine/acl/index.js';
import { setLogServer } from '../../engine/common/logger.js';
import { defaultPidFile } from '../../engine/common/pid-file.js';
import { ProxyServer } from '../../engine/proxy/index.js';
import { checkCredentials } from '../../engine/remoting/acl-client-hook.js';
import { parseNamesrvAddr } from '../../engine/remoting/namesrv-addr.js';

export default class ProxyStart extends BaseCommand<typeof ProxyStart> {
  static override baseFlags: typeof BaseCommand.baseFlags = serverBaseFlags;
  static override summary = 'Start a RocketMQ 5 gRPC proxy in cluster mode (mqproxy).';
  static override description =
    'Serves the apache/rocketmq-apis v2 MessagingService over gRPC, so RocketMQ 5 SDKs (Java, Go, C++, ' +
    'C#, Python, Rust, Node.js) can use the cluster; it reaches the brokers through the classic protocol ' +
    'and keeps no state of its own. Runs until SIGTERM/SIGINT, or in the background with --daemon.';
  static override examples = [
    '<%= config.bin %> proxy start -n 127.0.0.1:9876',
    '<%= config.bin %> proxy start -n 127.0.0.1:9876 --grpc-port 8081 --daemon',
    '<%= config.bin %> proxy start -n 127.0.0.1:9876 --acl-file $ROCKETMQ_HOME/conf/plain_acl.yml --access-key rocketmq2 --secret-key 12345678',
  ];
  static override enableJsonFlag = false;

  static override flags = {
    'grpc-port': Flags.integer({
      description: 'gRPC listen port (0 = any free port)',
      default: 8081,
      min: 0,
      max: 65535,
    }),
    host: Flags.string({ description: 'listen host', default: '0.0.0.0' }),
    'acl-file': Flags.string({
      description:
        "check RocketMQ 5 clients' signatures and permissions against this plain_acl.yml (the brokers' ACL file)",
    }),
    'access-key': Flags.string({
      description:
        'accessKey the proxy signs its calls to ACL brokers with (default: $ROCKETMQ_HOME/conf/tools.yml)',
    }),
    'secret-key': Flags.string({ description: 'secretKey for --access-key' }),
    daemon: Flags.boolean({ char: 'd', description: 'run in the background' }),
    'pid-file': Flags.string({ description: 'pid file (default ~/.mq/proxy-<port>.pid)' }),
    ...logFlags,
  };

  async run(): Promise<void> {
    const namesrv = (this.flags.namesrvAddr as string | undefined) ?? process.env.NAMESRV_ADDR;
    if (parseNamesrvAddr(namesrv).length === 0)
      throw new Error('no name server address: pass -n host:port (or set NAMESRV_ADDR)');
    const logs = applyLogFlags(this.flags);
    const brokerCredentials =
      checkCredentials(this.flags['access-key'], this.flags['secret-key']) ??
      readToolsCredentials(process.env.ROCKETMQ_HOME);
    const aclFile = this.flags['acl-file'];
    const port = this.flags['grpc-port'];
    await runServer({
      role: 'proxy',
      daemon: this.flags.daemon,
      pidFile: this.flags['pid-file'] ?? defaultPidFile('proxy', port),
      log: (line) => this.log(line),
      start: async () => {
        setLogServer(`proxy@${port}`);
        const proxy = new ProxyServer({
          mode: 'cluster',
          namesrvAddr: namesrv!,
          grpcPort: port,
          host: this.flags.host,
          acl: aclFile ? new PlainAccessValidator({ file: aclFile }) : undefined,
          brokerCredentials,
        });
        const bound = await proxy.start();
        setLogServer(`proxy@${bound}`);
        return {
          bootLine: `The proxy boot success. mode=cluster, gRPC listening on ${this.flags.host}:${bound}`,
          details: summaryLines({
            role: 'proxy (cluster mode)',
            address: `${this.flags.host}:${bound} (RocketMQ 5 clients use endpoints <this host>:${bound})`,
            ports: String(bound),
            store: `none (stateless; name server ${namesrv})`,
            logs,
          }),
          stop: () => proxy.shutdown(),
        };
      },
    });
  }
}
