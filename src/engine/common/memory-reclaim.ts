import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: ((opts?: { type: 'minor' | 'major' }) => void) | null | undefined;

/** V8's full collection, taken once from a throw-away context (the flag is switched off again at once). */
function fullGc(): ((opts?: { type: 'minor' | 'major' }) => void) | null {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as (opts?: { type: 'minor' | 'major' }) => void;
      setFlagsFromString('--no-expose-gc');
    } catch {
      gcFn = null;
    }
  }
  return gcFn;
}

/**
 * Gives memory back after a burst of short-lived garbage (e.g. a flood of bad connections). Such a burst
 * grows V8's young generation from 1 to 32 MiB and the old one with it; V8 shrinks them only in a full
 * collection made while allocation is slow, which an idle server never runs on its own, so its RSS would
 * stay up for good. Call it once the burst is over.
 */
export function reclaimMemory(): void {
  fullGc()?.();
}

/**
 * A young-generation collection (scavenge) now. Frees the young ArrayBuffers that died since the last one:
 * V8 counts their bytes as external memory against the old generation's limit, so a process that
 * receives many short-lived Buffers while allocating little on the JS heap (a consumer draining a backlog)
 * otherwise runs a full mark-compact every few tens of MB received. A scavenge of a small young
 * generation costs ~0.1–0.3 ms.
 */
export function collectYoung(): void {
  fullGc()?.({ type: 'minor' });
}
