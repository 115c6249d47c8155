import { NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR } from './message-const.js';

/**
 * Encode properties as 4.9.1+ writers do: `k\u0001v\u0002k\u0001v` (no trailing separator).
 * Null/undefined and empty values are skipped (they would vanish on parse anyway).
 */
export function encodeProperties(props: Record<string, string | undefined | null>): string {
  let out = '';
  for (const k in props) {
    const v = props[k];
    if (v === undefined || v === null || v === '') continue;
    if (out.length > 0) out += PROPERTY_SEPARATOR;
    out += k + NAME_VALUE_SEPARATOR + v;
  }
  return out;
}

/**
 * Parse a properties string (4.9.1+ rules): split on \u0002, then on the first \u0001; items shorter than
 * 3 chars or with an empty name/value are dropped. Accepts a trailing \u0002 (older writers, ali-ons).
 */
export function parseProperties(s: string | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s) return out;
  let start = 0;
  const n = s.length;
  while (start < n) {
    let end = s.indexOf(PROPERTY_SEPARATOR, start);
    if (end < 0) end = n;
    if (end - start >= 3) {
      const sep = s.indexOf(NAME_VALUE_SEPARATOR, start);
      if (sep > start && sep < end - 1) out[s.slice(start, sep)] = s.slice(sep + 1, end);
    }
    start = end + 1;
  }
  return out;
}

/** Read one property from an encoded string without parsing all of it (hot path: TAGS, KEYS, UNIQ_KEY). */
export function getPropertyFromString(s: string, name: string): string | undefined {
  const needle = name + NAME_VALUE_SEPARATOR;
  let from = 0;
  for (;;) {
    const i = s.indexOf(needle, from);
    if (i < 0) return undefined;
    if (i === 0 || s.charCodeAt(i - 1) === 2) {
      const vStart = i + needle.length;
      let vEnd = s.indexOf(PROPERTY_SEPARATOR, vStart);
      if (vEnd < 0) vEnd = s.length;
      return vEnd > vStart ? s.slice(vStart, vEnd) : undefined;
    }
    from = i + 1;
  }
}

/** Remove one property from an encoded string (e.g. WAIT before storing), keeping the others' order. */
export function removePropertyFromString(s: string, name: string): string {
  const props = parseProperties(s);
  if (!(name in props)) return s;
  delete props[name];
  return encodeProperties(props);
}
