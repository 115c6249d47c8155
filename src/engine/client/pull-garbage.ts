import { collectYoung } from '../common/memory-reclaim.js';

/** Pull-body bytes received between two forced scavenges (8 full pulls of 32 × 1 KB). */
const SCAVENGE_EVERY_BYTES = 2 * 1024 * 1024;
let received = 0;

/**
 * Counts a pull reply's body and scavenges once every 2 MiB received. Each pull body (and the socket
 * chunks it was cut from) is an ArrayBuffer that V8 counts as external memory until a GC frees it, and
 * V8 starts a full mark when that external growth plus its young generation's capacity (16 MiB
 * semi-spaces once it has grown) no longer fit the old generation's slack (~24–40 MB in a consumer). A
 * drain allocates little on the JS heap per byte received, so scavenges come seldom, dead pull bodies pile
 * up, and V8 ran a full mark-compact every ~50 ms: 52–68 in a 500k × 1 KB drain, ~40% of the consumer's
 * CPU. A scavenge of the young generation frees them for ~0.5 ms; at 4 MiB the full marks still came in
 * one run of two, at 2 MiB in none (bench/drain.ts with --trace-gc).
 */
export function notePulledBytes(n: number): void {
  received += n;
  if (received < SCAVENGE_EVERY_BYTES) return;
  received = 0;
  collectYoung();
}
