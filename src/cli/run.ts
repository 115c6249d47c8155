import { basename } from 'node:path';
import { Config, flush, handle, type Interfaces, run as oclifRun } from '@oclif/core';
import { adminCommandList } from './admin-list.js';
import { normalizeArgv } from './argv.js';

/**
 * Runs the CLI: `load` is the package root (or oclif load options, e.g. another commands folder); `invokedAs`
 * tells `mq` from `mqadmin` (mqadmin with no arguments lists its commands).
 */
export async function run(argv: string[], load: Interfaces.LoadOptions, invokedAs = 'mq'): Promise<void> {
  try {
    const config = await Config.load(load);
    if (basename(invokedAs).startsWith('mqadmin') && argv.length === 0) {
      process.stdout.write(adminCommandList(config));
      return;
    }
    await oclifRun(normalizeArgv(argv, config.commandIDs), config);
    await flush();
  } catch (error) {
    await handle(error as Error);
  }
}
