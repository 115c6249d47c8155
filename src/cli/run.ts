import { basename } from 'node:path';
import { Config, flush, handle, type Interfaces, run as oclifRun } from '@oclif/core';
import { adminCommandList } from './admin-list.js';
import { normalizeArgv } from './argv.js';
import { lookupCommand } from './command-lookup.js';
import { usageLine } from './usage.js';
import { EXIT_USAGE } from './usage-error.js';

/** `mqadmin` when the CLI was started under that name (the bin alias, a symlink, mqadmin.cmd), else `mq`. */
export function cliName(invokedAs: string): 'mq' | 'mqadmin' {
  return basename(invokedAs).toLowerCase().startsWith('mqadmin') ? 'mqadmin' : 'mq';
}

/**
 * Runs the CLI: `load` is the package root (or oclif load options, e.g. another commands folder); `invokedAs`
 * (argv[1]) tells `mq` from `mqadmin`. It becomes config.bin, so usage lines and help show the name the user
 * typed, and commands know whether to behave as Java's mqadmin (no prompts). mqadmin with no arguments lists
 * its commands.
 */
export async function run(argv: string[], load: Interfaces.LoadOptions, invokedAs = 'mq'): Promise<void> {
  try {
    const config = await Config.load(load);
    // oclif's run() reloads the config from its root plugin, whose pjson is this same object: setting
    // oclif.bin there keeps the name through that reload.
    config.pjson.oclif.bin = cliName(invokedAs);
    config.bin = config.pjson.oclif.bin;
    if (config.bin === 'mqadmin' && argv.length === 0) {
      process.stdout.write(adminCommandList(config));
      return;
    }
    const args = normalizeArgv(argv, config.commandIDs);
    if (!reportBadCommand(args, config)) return;
    await oclifRun(args, config);
    await flush();
  } catch (error) {
    await handle(error as Error);
  }
}

/** An unknown command or a stray word, reported before oclif sees it; false when reported. */
function reportBadCommand(args: string[], config: Config): boolean {
  const found = lookupCommand(args, config);
  if (found.kind === 'ok') return true;
  const bin = config.bin;
  const json = args.includes('--json');
  let message: string;
  const lines: string[] = [];
  if (found.kind === 'unknown') {
    message = `'${found.typed}' is not an ${bin} command`;
    if (found.suggestions.length > 0) lines.push(`Did you mean ${found.suggestions.join(', or ')}?`);
    lines.push(
      bin === 'mqadmin'
        ? "Run 'mqadmin' for the list of commands."
        : "Run 'mq --help' for the list of commands.",
    );
  } else if (found.kind === 'flag-first') {
    message = `'${found.flag}' is not a command (the command comes first: ${bin} <command> [flags])`;
    lines.push(
      bin === 'mqadmin'
        ? "Run 'mqadmin' for the list of commands."
        : "Run 'mq --help' for the list of commands.",
    );
  } else {
    message = `unexpected argument '${found.arg}'`;
    const cmd = config.findCommand(found.id)!;
    lines.push(
      usageLine(bin, found.id, {
        flags: cmd.flags as Record<string, { char?: string }>,
        baseFlags: { namesrvAddr: cmd.flags.namesrvAddr ?? { hidden: true } },
        args: cmd.args,
        enableJsonFlag: 'json' in cmd.flags,
      }),
    );
  }
  const where = found.kind === 'unexpected-arg' ? `${bin} ${found.id.replaceAll(':', ' ')}` : bin;
  if (json) process.stdout.write(`${JSON.stringify({ error: { message, hint: lines.join(' ') } })}\n`);
  process.stderr.write(`${where}: ${message}\n${lines.join('\n')}\n`);
  process.exitCode = EXIT_USAGE;
  return false;
}
