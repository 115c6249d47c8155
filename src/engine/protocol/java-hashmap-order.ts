/**
 * Java `HashMap<String,String>` iteration order, which is the order fastjson writes `extFields` in (the
 * map is not sorted): buckets ascending by `(h ^ h>>>16) & (capacity-1)`, insertion order within a
 * bucket. Capacity starts at 16 and doubles while size > 0.75 * capacity. Emulating it makes our JSON
 * headers byte-identical to Java's for the same header fields.
 */

const hashCache = new Map<string, number>();

/** Java String.hashCode spread as HashMap.hash() does. */
export function javaHashMapHash(key: string): number {
  let h = hashCache.get(key);
  if (h !== undefined) return h;
  let s = 0;
  for (let i = 0; i < key.length; i++) s = (Math.imul(31, s) + key.charCodeAt(i)) | 0;
  h = s ^ (s >>> 16);
  if (hashCache.size < 4096) hashCache.set(key, h);
  return h;
}

function capacityFor(size: number): number {
  let cap = 16;
  while (size > cap * 0.75) cap *= 2;
  return cap;
}

// Headers repeat the same key lists (one per request type): remember each list's order.
const orderCache = new Map<string, string[]>();

/** Keys in the order a Java HashMap filled in `keys` order would iterate them. */
export function javaHashMapOrder(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  const sig = keys.join('\u0000');
  const cached = orderCache.get(sig);
  if (cached) return cached;
  const mask = capacityFor(keys.length) - 1;
  const idx = keys.map((k, i) => ({ k, b: javaHashMapHash(k) & mask, i }));
  idx.sort((x, y) => x.b - y.b || x.i - y.i);
  const order = idx.map((e) => e.k);
  if (orderCache.size < 1024) orderCache.set(sig, order);
  return order;
}
