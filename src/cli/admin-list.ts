import type { Config } from '@oclif/core';

/** mq's own top-level commands that are not mqadmin sub-commands. */
const NOT_ADMIN = new Set(['dev', 'help', 'quickstart', 'shutdown', 'version']);

/** What `mqadmin` with no arguments prints: the command list, as the Java tool does. */
export function adminCommandList(config: Config): string {
  const rows = config.commands
    .filter((c) => !c.hidden && !c.id.includes(':') && !NOT_ADMIN.has(c.id))
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((c) => `   ${c.id.padEnd(28)}${(c.summary ?? c.description ?? '').split('\n')[0]}`);
  return [
    'The most commonly used mqadmin commands are:',
    ...rows,
    '',
    "See 'mqadmin help <command>' for more information on a specific command.",
    '',
  ].join('\n');
}
