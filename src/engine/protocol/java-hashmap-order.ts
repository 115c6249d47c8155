/**
 * Java `HashMap` / `ConcurrentHashMap` / `HashSet` iteration order, which is the order fastjson writes
 * maps and sets in (it sorts bean fields, not map keys): buckets ascending by
 * `(h ^ h>>>16) & (tableSize-1)`, insertion order within a bucket. The table starts at `tableSize` (16 for
 * `new HashMap<>()`) and doubles while size > 0.75 * tableSize. Emulating it makes our JSON
 * byte-identical to Java's for the same content.
 */

const hashCache = new Map<string, number>();

/** Java String.hashCode, spread as HashMap.hash() does. */
export function javaHashMapHash(key: string): number {
  let h = hashCache.get(key);
  if (h !== undefined) return h;
  let s = 0;
  for (let i = 0; i < key.length; i++) s = (Math.imul(31, s) + key.charCodeAt(i)) | 0;
  h = s ^ (s >>> 16);
  if (hashCache.size < 4096) hashCache.set(key, h);
  return h;
}

/** Long.hashCode (`(int)(v ^ v>>>32)`), spread; also right for Integer keys within int range. */
export function javaLongHash(v: number | bigint): number {
  const b = BigInt.asUintN(64, BigInt(v));
  const h = Number(BigInt.asIntN(32, (b ^ (b >> 32n)) & 0xffffffffn));
  return h ^ (h >>> 16);
}

/** Table size after inserting `size` entries into a table that starts at `initial`. */
export function javaTableSize(size: number, initial = 16): number {
  let n = initial;
  while (size > n * 0.75) n *= 2;
  return n;
}

/**
 * `items` in Java hash-table iteration order, given each item's spread hash. A counting sort by bucket
 * (stable, so insertion order within a bucket): linear, where a comparison sort of 120,000 topics took
 * ~100 ms of each registration and topics.json write.
 */
export function javaHashOrder<T>(items: T[], hashOf: (item: T) => number, initialTableSize = 16): T[] {
  const n = items.length;
  if (n < 2) return items;
  const mask = javaTableSize(n, initialTableSize) - 1;
  const bucket = new Int32Array(n);
  const start = new Int32Array(mask + 2);
  for (let i = 0; i < n; i++) {
    const b = hashOf(items[i]!) & mask;
    bucket[i] = b;
    start[b + 1]!++;
  }
  for (let b = 1; b < start.length; b++) start[b]! += start[b - 1]!;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[start[bucket[i]!]!++] = items[i]!;
  return out;
}

// Headers repeat the same key lists (one per request type): remember each list's order. Looked up by the
// list's first key and then compared key by key (header keys are interned strings: a compare is a pointer
// compare), so a lookup makes no joined signature string: every reply header does one.
const orderCache = new Map<string, Array<{ keys: string[]; order: string[] }>>();
let cachedLists = 0;

/** String keys in the order a default `new HashMap<>()` filled in `keys` order iterates them. */
export function javaHashMapOrder(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  const lists = orderCache.get(keys[0]!);
  if (lists) {
    for (const l of lists) if (sameKeys(l.keys, keys)) return l.order;
  }
  const order = javaHashOrder(keys, javaHashMapHash);
  if (cachedLists < 1024) {
    cachedLists++;
    const entry = { keys: keys.slice(), order };
    if (lists) lists.push(entry);
    else orderCache.set(keys[0]!, [entry]);
  }
  return order;
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
