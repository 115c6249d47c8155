import { readFileSync } from 'node:fs';
import { setLogServer } from '../engine/common/logger.js';
import { defaultPidFile } from '../engine/common/pid-file.js';
import {
  applyNamesrvProperties,
  defaultNamesrvConfig,
  NamesrvController,
  namesrvConfigToProperties,
} from '../engine/namesrv/index.js';
import { parsePropertiesText } from '../engine/protocol/requests/namesrv-config.js';
import { applyLogFlags } from './log-settings.js';
import { runServer } from './server-runner.js';
import { summaryLines } from './server-summary.js';
import { limitYoungGeneration } from './young-generation.js';

/** The parsed flags of `namesrv start`. */
export interface NamesrvStartFlags {
  configFile?: string;
  port?: number;
  printConfigItem?: boolean;
  daemon?: boolean;
  'pid-file'?: string;
  'log-dir'?: string;
  'log-format'?: string;
}

/** What `namesrv start` does once its flags are parsed (oclif command and fast start path, see broker-server.ts). */
export async function namesrvStart(flags: NamesrvStartFlags, log: (line: string) => void): Promise<void> {
  const config = defaultNamesrvConfig();
  if (flags.configFile) {
    let text: string;
    try {
      text = readFileSync(flags.configFile, 'utf8');
    } catch (err) {
      throw new Error(`cannot read config file ${flags.configFile}: ${(err as Error).message}`);
    }
    const unknown = applyNamesrvProperties(config, parsePropertiesText(text));
    for (const k of unknown) process.stderr.write(`namesrv: ignoring unknown config key ${k}\n`);
  }
  if (flags.port !== undefined) config.listenPort = flags.port;
  if (flags.printConfigItem) {
    log(namesrvConfigToProperties(config));
    return;
  }
  const logs = applyLogFlags(flags);
  await runServer({
    role: 'namesrv',
    daemon: Boolean(flags.daemon),
    pidFile: flags['pid-file'] ?? defaultPidFile('namesrv', config.listenPort),
    log,
    start: async () => {
      limitYoungGeneration();
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
