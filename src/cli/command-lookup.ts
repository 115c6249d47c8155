// Finds the command the user meant before oclif runs it, so that a typo or a stray word gets a clear
// answer (oclif would say "command X not found", or join a stray argument into the command id).
import type { Config } from '@oclif/core';
import { distance } from 'fastest-levenshtein';
import { squash } from './argv.js';

export type Lookup =
  | { kind: 'ok' }
  | { kind: 'unknown'; typed: string; suggestions: string[] }
  | { kind: 'unexpected-arg'; id: string; arg: string }
  | { kind: 'flag-first'; flag: string };

/** What oclif itself answers before a command: help and version. */
const ROOT_FLAGS = new Set(['--help', '-h', '--version', '-v']);

/** Ids within a small edit distance of `typed` (case and dashes ignored, as mqadmin names are), nearest first. */
export function nearestIds(typed: string, ids: readonly string[], max = 3): string[] {
  const want = squash(typed);
  const scored = ids
    .filter((id) => !id.startsWith('plugins'))
    .map((id) => {
      const have = squash(id.replaceAll(':', ' '));
      // A prefix typed in full (`topicl` for topicList) counts as close as a one-letter slip.
      const d = have.startsWith(want) && want.length >= 4 ? 1 : distance(want, have);
      return { id, d };
    })
    .filter((s) => s.d <= Math.max(2, Math.floor(want.length / 3)))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id));
  return scored.slice(0, max).map((s) => s.id.replaceAll(':', ' '));
}

/**
 * Checks the leading words of `argv` (already normalised): a command, a topic (`broker`, then oclif lists
 * its commands), or help. Reports an unknown command with the nearest ids, and a word after a command
 * that takes no arguments.
 */
export function lookupCommand(argv: readonly string[], config: Config): Lookup {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-') || a.includes('=')) break;
    words.push(a);
  }
  if (words.length === 0) {
    const first = argv[0];
    return first === undefined || ROOT_FLAGS.has(first)
      ? { kind: 'ok' }
      : { kind: 'flag-first', flag: first };
  }
  // `mq help topiclis`: the command asked about is checked the same way.
  if (words[0] === 'help') {
    const about = lookupCommand(argv.slice(1), config);
    return words.length > 1 && about.kind === 'unknown' ? about : { kind: 'ok' };
  }
  let known = 0;
  for (let i = 1; i <= words.length; i++) {
    const id = words.slice(0, i).join(':');
    if (config.findCommand(id) || config.findTopic(id)) known = i;
    else break;
  }
  if (known === 0) {
    return { kind: 'unknown', typed: words[0]!, suggestions: nearestIds(words[0]!, config.commandIDs) };
  }
  if (known === words.length) return { kind: 'ok' };
  const id = words.slice(0, known).join(':');
  const cmd = config.findCommand(id);
  const takesArgs = cmd && (cmd.strict === false || Object.keys(cmd.args ?? {}).length > 0);
  if (takesArgs) return { kind: 'ok' };
  if (cmd) {
    // `mq producer sned`: producer is a command and a topic; a word that is near one of its sub-commands
    // is a typo of that, anything else a stray argument.
    const subs = config.commandIDs.filter((c) => c.startsWith(`${id}:`));
    const typed = words.slice(0, known + 1).join(' ');
    const near = nearestIds(typed, subs);
    if (near.length > 0) return { kind: 'unknown', typed, suggestions: near };
    return { kind: 'unexpected-arg', id, arg: words[known]! };
  }
  const typed = words.slice(0, known + 1).join(' ');
  const subs = config.commandIDs.filter((c) => c.startsWith(`${id}:`));
  return { kind: 'unknown', typed, suggestions: nearestIds(typed, subs.length ? subs : config.commandIDs) };
}
