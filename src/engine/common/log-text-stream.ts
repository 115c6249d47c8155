import { pipeline, Transform, type Writable } from 'node:stream';
import { formatLogLine } from './log-line.js';

/**
 * The text layout between pino and a log file: each JSON line pino writes becomes formatLogLine's line. It
 * does only what pino-pretty did for us (with every one of its own fields turned off), without loading its
 * ~130 KB of modules into every server's start. A line that is not a JSON object passes through as it is.
 * Ending it ends the file; an error of the file (full disk) ends both, and later lines are dropped quietly.
 */
export function textLayoutStream(destination: Writable): Writable {
  let rest = '';
  const layout = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      let out = '';
      for (const line of lines) if (line) out += `${lineText(line)}\n`;
      done(null, out || undefined);
    },
    flush(done) {
      done(null, rest ? `${lineText(rest)}\n` : undefined);
    },
  });
  pipeline(layout, destination, () => {});
  return layout;
}

function lineText(line: string): string {
  let log: unknown;
  try {
    log = JSON.parse(line);
  } catch {
    return line;
  }
  return typeof log === 'object' && log !== null && !Array.isArray(log)
    ? formatLogLine(log as Record<string, unknown>)
    : line;
}
