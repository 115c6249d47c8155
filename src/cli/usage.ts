// The one-line usage printed under every flag or argument error, in mqadmin's spirit
// (`usage: mqadmin updateTopic -b <arg> | -c <arg> ...`) with the name the user typed.
import { distance } from 'fastest-levenshtein';

interface FlagLike {
  char?: string;
  type?: string;
  required?: boolean;
  hidden?: boolean;
  helpGroup?: string;
  exactlyOne?: string[];
}

interface ArgLike {
  required?: boolean;
}

export interface UsageSource {
  flags?: Record<string, FlagLike>;
  baseFlags?: Record<string, FlagLike>;
  args?: Record<string, ArgLike>;
  enableJsonFlag?: boolean;
}

const spell = (name: string, f: FlagLike): string =>
  `${f.char ? `-${f.char}` : `--${name}`}${f.type === 'boolean' ? '' : ` <${name}>`}`;

/** `usage: <bin> <command> <required flags> (a | b) [optional flags] [-n <namesrvAddr>] [--json]`. */
export function usageLine(bin: string, id: string, cmd: UsageSource): string {
  const flags = { ...(cmd.flags ?? {}) };
  const parts: string[] = [];
  const optional: string[] = [];
  const done = new Set<string>();
  for (const [name, f] of Object.entries(flags)) {
    if (done.has(name) || f.hidden || f.helpGroup === 'GLOBAL') continue;
    if (f.exactlyOne && f.exactlyOne.length > 1) {
      const group = f.exactlyOne.filter((n) => flags[n]);
      for (const n of group) done.add(n);
      parts.push(`(${group.map((n) => spell(n, flags[n]!)).join(' | ')})`);
      continue;
    }
    done.add(name);
    if (f.required) parts.push(spell(name, f));
    else optional.push(`[${spell(name, f)}]`);
  }
  for (const [name, a] of Object.entries(cmd.args ?? {}))
    parts.push(a.required ? `<${name}>` : `[<${name}>]`);
  const base = cmd.baseFlags ?? {};
  if (base.namesrvAddr && !base.namesrvAddr.hidden) optional.push('[-n <namesrvAddr>]');
  if (cmd.enableJsonFlag) optional.push('[--json]');
  return `usage: ${[bin, id.replaceAll(':', ' '), ...parts, ...optional].join(' ')}`;
}

/**
 * "; did you mean --topic?" for oclif's unknown flags (`--topc`, `--Topic`), from the command's long
 * names; empty when nothing is close.
 */
export function flagHint(unknown: readonly string[] | undefined, flags: Record<string, FlagLike>): string {
  const names = Object.entries(flags)
    .filter(([, f]) => !f.hidden)
    .map(([n]) => n);
  const hints: string[] = [];
  for (const u of unknown ?? []) {
    const typed = u.replace(/^-+/, '').split('=')[0]!.toLowerCase();
    if (typed.length < 2) continue;
    const best = names
      // A name typed in part (`--cluster` for --clusterName) is as close as a one-letter slip.
      .map((n) => ({ n, d: n.toLowerCase().startsWith(typed) ? 1 : distance(typed, n.toLowerCase()) }))
      .filter((s) => s.d <= Math.max(1, Math.floor(typed.length / 4)))
      .sort((a, b) => a.d - b.d)[0];
    if (best) hints.push(`--${best.n}`);
  }
  return hints.length ? `; did you mean ${hints.join(', ')}?` : '';
}
