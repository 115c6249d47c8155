// Normalises mqadmin habits before oclif sees the arguments:
// - command names ignore case and dashes (`consumerprogress`, `consumer-progress` → `consumerProgress`);
// - mqadmin's multi-letter short flags (`-bn broker-a`) become long aliases (`--bn broker-a`).

/** Canonical form used to compare command names: lower case, no dashes/underscores. */
export const squash = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');

/**
 * Rewrites argv so that oclif finds the command. `ids` are oclif command ids (`producer:send`,
 * `consumerProgress`). Returns argv unchanged when nothing matches (oclif then reports it).
 */
export function normalizeArgv(argv: readonly string[], ids: readonly string[]): string[] {
  // `mqadmin help topiclist` as `mqadmin topiclist`.
  if (argv.length > 1 && argv[0] === 'help') return ['help', ...normalizeArgv(argv.slice(1), ids)];
  const out = [...argv];
  const byName = new Map<string, string>();
  for (const id of ids) byName.set(squash(id.replaceAll(':', ' ')), id);
  // Try the longest prefix of words first (`namesrv start` before `namesrv`).
  for (let words = Math.min(3, out.length); words >= 1; words--) {
    const head = out.slice(0, words);
    if (head.some((w) => w.startsWith('-'))) continue;
    const id = byName.get(squash(head.join(' ')));
    if (id) {
      out.splice(0, words, ...id.split(':'));
      break;
    }
  }
  return out.map((arg) => (/^-[A-Za-z][A-Za-z]+$/.test(arg) ? `-${arg}` : arg));
}
