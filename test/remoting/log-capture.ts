// A pino logger that keeps its lines in memory, so tests can assert on what the server logged.
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { pollUntil } from '../helpers/wait.js';

export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export async function waitFor(cond: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  await pollUntil(cond, { what, timeoutMs, everyMs: 10 });
}
