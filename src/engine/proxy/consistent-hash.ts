import { javaHashCode } from '../protocol/message/java-hash.js';

const MASK64 = (1n << 64n) - 1n;

/**
 * Guava's Hashing.consistentHash(long, buckets), which Apache's proxy uses to pick a FIFO message group's
 * queue: same group → same queue, as in Java, so mq and Apache proxies agree.
 */
export function consistentHash(input: bigint, buckets: number): number {
  let state = BigInt.asUintN(64, input);
  let candidate = 0;
  for (;;) {
    state = (2862933555777941757n * state + 1n) & MASK64;
    const high = Number(BigInt.asIntN(32, state >> 33n));
    const next = Math.trunc((candidate + 1) / ((high + 1) / 2 ** 31));
    if (next >= 0 && next < buckets) candidate = next;
    else return candidate;
  }
}

/** The queue index of a message group among `queues` write queues. */
export function queueOfGroup(group: string, queues: number): number {
  return consistentHash(BigInt(javaHashCode(group)), queues);
}
