import { createServer } from 'node:net';

/** A port the embedded servers need, what uses it and the flag that moves it (for the error). */
export interface WantedPort {
  port: number;
  what: string;
  /** e.g. "another name server?" */
  likely: string;
  flag: string;
}

/** Whether `port` can be bound on every interface right now (as the servers bind it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

/** The error for a busy port: which one, what probably holds it, and the flag to pick another. */
export function portInUse(w: WantedPort): Error {
  return new Error(
    `port ${w.port} (${w.what}) is in use (by ${w.likely}); pass ${w.flag} <port>, or 0 for any free port`,
  );
}

/** Fails with portInUse for the first wanted port (0 = any, skipped) that is taken. */
export async function assertPortsFree(wanted: WantedPort[]): Promise<void> {
  for (const w of wanted) if (w.port !== 0 && !(await portIsFree(w.port))) throw portInUse(w);
}
