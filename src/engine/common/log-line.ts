// The text layout of the server logs, RocketMQ's logback pattern (`%d{yyyy-MM-dd HH:mm:ss,SSS} %p %t - %m%n`)
// with the logger in the thread's place and the server it belongs to beside it:
//   2026-12-02 21:49:47,123 INFO broker [broker-a@10911] - register broker to name server OK key=value
// Structured fields (pino's first argument) follow the message as key=value; an error's stack follows an
// ERROR line on its own lines, as logback prints a throwable.

/** pino's level numbers as logback names them (logback has no FATAL). */
const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'ERROR',
};

/** Keys of a pino record that the layout places itself (or leaves out, as pid and hostname). */
const LAYOUT_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'server']);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `yyyy-MM-dd HH:mm:ss,SSS` in local time, as logback's %d. */
export function logTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
  );
}

interface SerializedError {
  message?: unknown;
  stack?: unknown;
}

const isError = (v: unknown): v is SerializedError =>
  typeof v === 'object' && v !== null && typeof (v as SerializedError).stack === 'string';

/** A field's value: bare when it is one word, else quoted (strings) or JSON (objects). */
function fieldText(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return 'null';
  if (isError(v)) return JSON.stringify(String(v.message));
  return JSON.stringify(v);
}

/** One pino record (as parsed JSON) as a text line, without the line end. */
export function formatLogLine(log: Record<string, unknown>): string {
  const level = LEVEL_NAMES[Number(log.level)] ?? 'INFO';
  const who = log.server ? `${log.name} [${log.server}]` : String(log.name ?? '-');
  let line = `${logTimestamp(Number(log.time ?? Date.now()))} ${level} ${who} - ${log.msg ?? ''}`;
  let stack = '';
  for (const [k, v] of Object.entries(log)) {
    if (LAYOUT_KEYS.has(k)) continue;
    line += ` ${k}=${fieldText(v)}`;
    if (Number(log.level) >= 50 && isError(v)) stack += `\n${v.stack}`;
  }
  return line + stack;
}
