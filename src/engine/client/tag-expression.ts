import type { SubscriptionData } from '../protocol/bodies/heartbeat-data.js';
import { javaHashCode } from '../protocol/message/index.js';

export type { SubscriptionData };

export const SUB_ALL = '*';

/** A tag expression the client refuses before sending anything. */
export class TagExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TagExpressionError';
  }
}

/**
 * Parse a TAG expression: `*` (or empty) = every message, else `TagA || TagB`. Tags are trimmed; an
 * expression with an empty alternative (`A ||`, `|| B`, `A ||| B`) or a tag containing whitespace is
 * rejected with a message naming the problem (Java silently drops empty parts; we prefer a clear error).
 */
export function buildSubscription(
  topic: string,
  expression: string | undefined,
  now = Date.now(),
): SubscriptionData {
  const expr = (expression ?? '').trim();
  const base = { topic, subVersion: now, expressionType: 'TAG', classFilterMode: false };
  if (expr === '' || expr === SUB_ALL) return { ...base, subString: SUB_ALL, tagsSet: [], codeSet: [] };
  const parts = expr.split('||').map((p) => p.trim());
  const tags: string[] = [];
  for (const p of parts) {
    if (p === '') throw new TagExpressionError(`bad tag expression "${expr}": empty tag between "||"`);
    if (/\s/.test(p))
      throw new TagExpressionError(
        `bad tag expression "${expr}": tag "${p}" contains whitespace (separate tags with "||")`,
      );
    if (p.includes('|'))
      throw new TagExpressionError(`bad tag expression "${expr}": single "|" (separate tags with "||")`);
    if (p === SUB_ALL)
      throw new TagExpressionError(`bad tag expression "${expr}": "*" cannot be combined with tags`);
    if (!tags.includes(p)) tags.push(p);
  }
  return { ...base, subString: tags.join('||'), tagsSet: tags, codeSet: tags.map(javaHashCode) };
}

/** Client-side filter by tag string (hash codes can collide on the broker side, §3.6). */
export function tagMatches(sub: SubscriptionData, tag: string | undefined): boolean {
  if (sub.subString === SUB_ALL || sub.tagsSet.length === 0) return true;
  return tag !== undefined && sub.tagsSet.includes(tag);
}
