import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { textLayoutStream } from './log-text-stream.js';

export type { Logger };

export type LogFormat = 'text' | 'json';

/**
 * Where RocketMQ users look for logs: ~/logs/rocketmqlogs; MQ_LOG_DIR (or ROCKETMQ_LOG_DIR) moves them
 * (`--log-dir` on the server commands sets it).
 */
export function logDir(): string {
  return process.env.MQ_LOG_DIR || process.env.ROCKETMQ_LOG_DIR || join(homedir(), 'logs', 'rocketmqlogs');
}

/** `text` (RocketMQ's layout, the default) or `json` (one pino JSON object a line) from MQ_LOG_FORMAT. */
export function logFormat(): LogFormat {
  const f = (process.env.MQ_LOG_FORMAT || 'text').toLowerCase();
  if (f !== 'text' && f !== 'json')
    throw new Error(`MQ_LOG_FORMAT=${f} is not a log format (expected text or json)`);
  return f;
}

/** How files roll: daily and at this size; this many rolled files are kept per log (two weeks of days). */
const ROLL_SIZE = process.env.MQ_LOG_ROLL_SIZE || '128M';
const KEEP_FILES = Number(process.env.MQ_LOG_KEEP_FILES) || 14;

let serverName: string | undefined;

/**
 * Names the server this process runs (`broker-a@10911`, `namesrv@9876`) on every line of every log, so two
 * brokers on one host that share a log dir stay apart. Undefined for client tools.
 */
export function setLogServer(name: string | undefined): void {
  serverName = name;
}

interface LogTarget {
  /** What pino writes to: the file itself (json) or the text formatter in front of it. */
  head: Writable;
  file: RotatingFileStream;
}

const loggers = new Map<string, Logger>();
const targets: LogTarget[] = [];

/**
 * `<logDir>/<name>.log`, rolled to `otherdays/<name>.<yyyy-MM-dd>.<n>.log` at midnight (local time) and at
 * ROLL_SIZE, the oldest removed beyond KEEP_FILES (rotating-file-stream does all of that).
 */
function openLogFile(name: string, dir: string): RotatingFileStream {
  mkdirSync(join(dir, 'otherdays'), { recursive: true });
  const file = createStream(
    (time: Date | number | null, index?: number) => {
      if (!time) return `${name}.log`;
      const d = new Date(time);
      const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      return join('otherdays', `${name}.${day}.${index ?? 1}.log`);
    },
    {
      path: dir,
      interval: '1d',
      intervalBoundary: true,
      size: ROLL_SIZE,
      maxFiles: KEEP_FILES,
      history: join('otherdays', `${name}.history`),
    },
  );
  // A full disk or a removed dir must not take the server down: say it once on stderr.
  let warned = false;
  file.on('error', (err: Error) => {
    if (!warned) process.stderr.write(`log ${join(dir, `${name}.log`)}: ${err.message}\n`);
    warned = true;
  });
  return file;
}

/**
 * A named logger writing to `<logDir>/<name>.log` (namesrv.log, broker.log, store.log, remoting.log, …, as
 * RocketMQ splits them), in RocketMQ's text layout or, with MQ_LOG_FORMAT=json, as JSON lines. Level from
 * MQ_LOG_LEVEL (default info). One logger per name per process, so embedded pairs share files sanely.
 */
export function createLogger(name: string): Logger {
  const existing = loggers.get(name);
  if (existing) return existing;
  const level = process.env.MQ_LOG_LEVEL || 'info';
  let logger: Logger;
  if (level === 'silent') {
    logger = pino({ level: 'silent' });
  } else {
    const file = openLogFile(name, logDir());
    const head = logFormat() === 'json' ? file : textLayoutStream(file);
    targets.push({ head, file });
    logger = pino({ name, level, mixin: () => (serverName ? { server: serverName } : {}) }, head);
  }
  loggers.set(name, logger);
  return logger;
}

/** Flushes every logger created in this process (call before exit). */
export function flushLoggers(): void {
  for (const l of loggers.values()) l.flush();
}

/**
 * Writes out every line logged so far and closes the files (before a graceful exit). Bounded: a file that
 * cannot be written (full disk) must not keep a stopping server alive.
 */
export async function closeLoggers(timeoutMs = 3000): Promise<void> {
  const open = targets.splice(0);
  loggers.clear();
  const closed = Promise.all(
    open.map(async ({ head, file }) => {
      const finished = once(file, 'finish').catch(() => {});
      head.end();
      await finished;
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((res) => {
    timer = setTimeout(res, timeoutMs);
    timer.unref();
  });
  await Promise.race([closed, late]);
  clearTimeout(timer);
}
