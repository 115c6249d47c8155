/**
 * Java `String.hashCode()` over UTF-16 code units (surrogate pairs count as two), as an int32.
 * Used for consume-queue tags codes, pull codeSets and index key hashes.
 */
export function javaHashCode(s: string, from = 0): number {
  let h = from;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Index key hash: `abs(hashCode)`, with Integer.MIN_VALUE mapped to 0 (IndexFile.indexKeyHashMethod). */
export function indexKeyHash(key: string): number {
  return absHash(javaHashCode(key));
}

/**
 * indexKeyHash of `topic#key` without building that string (the dispatch path indexes every UNIQ_KEY):
 * String.hashCode folds left, so the topic's hash and '#' carry into the key's.
 */
export function topicKeyHash(topic: string, key: string): number {
  return topicSeededKeyHash(topicKeySeed(topic), key);
}

/** The hash of `topic#`, which topicSeededKeyHash carries into a key's (the dispatch path keeps it per topic). */
export function topicKeySeed(topic: string): number {
  return (Math.imul(31, javaHashCode(topic)) + 35) | 0;
}

export function topicSeededKeyHash(seed: number, key: string): number {
  return absHash(javaHashCode(key, seed));
}

function absHash(h: number): number {
  return h === -2147483648 ? 0 : Math.abs(h);
}

/** Consume-queue tags code for a TAGS value: the sign-extended int64 of its hashCode (0 when absent). */
export function tagsString2Code(tags: string | undefined | null): number {
  return tags ? javaHashCode(tags) : 0;
}
