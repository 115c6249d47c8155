import { after } from 'node:test';
import { type Proc, reapProc, removeDir } from './servers.js';

export interface Cleanup {
  /** Closed first (clients, consumers), last registered first. */
  closers: (() => Promise<unknown>)[];
  /** Then SIGKILLed (after SIGCONT, for a stopped one), last started first. */
  procs: Proc[];
  /** Then removed. */
  dirs: string[];
}

/** Lists filled by a test file and emptied by its after() hook, whatever the tests left running. */
export function cleanupAfter(): Cleanup {
  const c: Cleanup = { closers: [], procs: [], dirs: [] };
  after(async () => {
    for (const close of c.closers.reverse()) await close().catch(() => {});
    for (const p of c.procs.reverse()) await reapProc(p);
    for (const d of c.dirs) removeDir(d);
  });
  return c;
}
