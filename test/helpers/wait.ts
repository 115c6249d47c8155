// Polling for a condition in tests: the one loop behind the folders' waitFor helpers (their signatures
// differ by history; each adapts this).

export interface PollOptions {
  timeoutMs: number;
  /** Pause between checks (ms). */
  everyMs: number;
  /** What is awaited, for the timeout message. */
  what: string;
}

/**
 * Calls `check` until it returns a truthy value (which is returned) or `timeoutMs` passes (then throws
 * "timed out waiting for <what>", with the last error `check` threw, if any).
 */
export async function pollUntil<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  o: PollOptions,
): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${o.what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, o.everyMs));
  }
}
