/**
 * fastjson's `JSON.toJSONString(bean, true)` as mqadmin prints and exports beans: tab indents,
 * `"key":value` without a space, fields sorted, nulls left out, arrays on one line.
 */
export function prettyBean(v: unknown, depth = 0): string {
  if (v === null || v === undefined || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map((x) => prettyBean(x, depth)).join(',')}]`;
  const pad = '\t'.repeat(depth + 1);
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined && x !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '{}';
  const body = entries.map(([k, x]) => `${pad}${JSON.stringify(k)}:${prettyBean(x, depth + 1)}`).join(',\n');
  return `{\n${body}\n${'\t'.repeat(depth)}}`;
}
