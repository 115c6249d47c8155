import { readFileSync } from 'node:fs';
import {
  createBroker,
  formatBrokerConfig,
  IMPORTANT_KEYS,
  parseBrokerConfig,
} from '../engine/broker/index.js';
import { setLogServer } from '../engine/common/logger.js';
import { defaultPidFile } from '../engine/common/pid-file.js';
import { preloadCrc32 } from '../engine/protocol/message/crc32.js';
import { applyLogFlags } from './log-settings.js';
import { runServer } from './server-runner.js';
import { summaryLines } from './server-summary.js';
import { limitYoungGeneration } from './young-generation.js';

/** The parsed flags of `broker start`. */
export interface BrokerStartFlags {
  configFile?: string;
  namesrvAddr?: string;
  printConfigItem?: boolean;
  printImportantConfig?: boolean;
  daemon?: boolean;
  'pid-file'?: string;
  'log-dir'?: string;
  'log-format'?: string;
  /** Serve RocketMQ 5 gRPC clients from this process (the proxy in local mode). */
  'enable-proxy'?: boolean;
  'grpc-port'?: number;
}

/**
 * What `broker start` does once its flags are parsed: shared by the oclif command and the fast start path
 * (server-start.ts), which skips oclif. Free of oclif itself so that path stays fast.
 */
export async function brokerStart(flags: BrokerStartFlags, log: (line: string) => void): Promise<void> {
  let text = '';
  const source = flags.configFile ?? 'broker.conf';
  if (flags.configFile) {
    try {
      text = readFileSync(flags.configFile, 'utf8');
    } catch (err) {
      throw new Error(`cannot read config file ${flags.configFile}: ${(err as Error).message}`);
    }
  }
  const overrides: Record<string, string> = {};
  const n = flags.namesrvAddr ?? (text ? undefined : process.env.NAMESRV_ADDR);
  if (n) overrides.namesrvAddr = n;
  const { config, warnings, explicit } = parseBrokerConfig(text, source, overrides);
  if (!config.namesrvAddr && process.env.NAMESRV_ADDR) config.namesrvAddr = process.env.NAMESRV_ADDR;
  // One write for all of them: a conf with thousands of unknown keys gets the first few and a count.
  if (warnings.length) process.stderr.write(warnings.map((w) => `broker: ${w}\n`).join(''));
  if (flags.printConfigItem || flags.printImportantConfig) {
    log(formatBrokerConfig(config, flags.printImportantConfig ? IMPORTANT_KEYS : undefined));
    return;
  }
  const logs = applyLogFlags(flags);
  await runServer({
    role: 'broker',
    daemon: Boolean(flags.daemon),
    pidFile: flags['pid-file'] ?? defaultPidFile('broker', config.listenPort),
    log,
    start: async () => {
      limitYoungGeneration();
      // Every log line names this broker, so two on one host stay apart in a shared log dir.
      setLogServer(`${config.brokerName}@${config.listenPort}`);
      const broker = createBroker({ config, explicit, configFile: flags.configFile });
      try {
        await broker.start();
      } catch (e) {
        await broker.shutdown().catch(() => {});
        throw e;
      }
      // Loaded only when asked for: gRPC and protobuf would add to every broker's start time.
      const proxy = flags['enable-proxy']
        ? await import('../engine/proxy/index.js')
            .then((m) => m.startLocalProxy(broker, flags['grpc-port'] ?? 8081))
            .catch(async (e) => {
              await broker.shutdown().catch(() => {});
              throw e;
            })
        : undefined;
      // Registered and serving: what the first put needs is loaded now, not on a client's time.
      setImmediate(preloadCrc32);
      const recovery = broker.store.recoveryReport;
      if (recovery) log(recovery.summary());
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

/** listenPort, the HA port (listenPort + 1) and the VIP channel (listenPort - 2), as the broker binds them. */
function brokerPorts(configured: number, listen: number, ha: number): string {
  const vip = configured >= 3 ? `, ${listen - 2} VIP channel` : '';
  return `${listen} clients${ha ? `, ${ha} HA` : ''}${vip}`;
}
