import { compileSql92 } from '../filter/sql92/index.js';
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
 * What a consumer selects (Java's MessageSelector): a TAG expression, or an SQL92 condition on message
 * properties evaluated by the broker (which needs enablePropertyFilter=true).
 */
export interface MessageSelector {
  type: 'TAG' | 'SQL92';
  expression: string;
}

export const MessageSelector = {
  bySql: (expression: string): MessageSelector => ({ type: 'SQL92', expression }),
  byTag: (expression: string): MessageSelector => ({ type: 'TAG', expression }),
};

/**
 * Parse a selector: a string or a TAG MessageSelector is a TAG expression; an SQL92 one is compiled here
 * first, so a bad condition fails before anything is sent (Sql92SyntaxError).
 *
 * A TAG expression: `*` (or empty) = every message, else `TagA || TagB`. Tags are trimmed; an
 * expression with an empty alternative (`A ||`, `|| B`, `A ||| B`) or a tag containing whitespace is
 * rejected with a message naming the problem (Java silently drops empty parts; we prefer a clear error).
 */
export function buildSubscription(
  topic: string,
  selector: string | MessageSelector | undefined,
  now = Date.now(),
): SubscriptionData {
  if (typeof selector === 'object' && selector.type === 'SQL92') {
    compileSql92(selector.expression);
    const base = { topic, subVersion: now, expressionType: 'SQL92', classFilterMode: false };
    return { ...base, subString: selector.expression, tagsSet: [], codeSet: [] };
  }
  const expression = typeof selector === 'object' ? selector.expression : selector;
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
  return matchesAllTags(sub) || (tag !== undefined && sub.tagsSet.includes(tag));
}

/** True when every message passes tagMatches, whatever its tag (so callers need not read it). */
export function matchesAllTags(sub: SubscriptionData): boolean {
  // SQL92: the broker filtered.
  return sub.expressionType !== 'TAG' || sub.subString === SUB_ALL || sub.tagsSet.length === 0;
}
