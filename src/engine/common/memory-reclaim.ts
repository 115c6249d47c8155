import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null | undefined;

/** V8's full collection, taken once from a throw-away context (the flag is switched off again at once). */
function fullGc(): (() => void) | null {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
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
