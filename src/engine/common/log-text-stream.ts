import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { formatLogLine } from './log-line.js';

/**
 * pino's JSON lines in, RocketMQ's text layout out (formatLogLine), into `destination`, which ends when
 * this stream does. A line that is not JSON passes through as it is. Small on purpose: pino-pretty did the
 * same job with ~30 modules, loaded on every server start (~5 ms of the bundled CLI, ~25 ms unbundled).
 */
export function textLogStream(destination: Writable): Transform {
  let rest = '';
  // A multi-byte character split across two buffers is joined, not mangled.
  const utf8 = new StringDecoder('utf8');
  const toText = (line: string): string => {
    if (line.length === 0) return '';
    try {
      return `${formatLogLine(JSON.parse(line) as Record<string, unknown>)}\n`;
    } catch {
      return `${line}\n`;
    }
  };
  const t = new Transform({
    decodeStrings: false,
    transform(chunk: Buffer | string, _enc: BufferEncoding, cb: TransformCallback) {
      const lines = (rest + (typeof chunk === 'string' ? chunk : utf8.write(chunk))).split('\n');
      rest = lines.pop() ?? '';
      let out = '';
      for (const l of lines) out += toText(l);
      cb(null, out.length > 0 ? out : undefined);
    },
    flush(cb: TransformCallback) {
      const out = toText(rest + utf8.end());
      rest = '';
      cb(null, out.length > 0 ? out : undefined);
    },
  });
  t.pipe(destination);
  return t;
}
