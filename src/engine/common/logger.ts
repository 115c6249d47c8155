import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { destination, type Logger, pino } from 'pino';

export type { Logger };

/** Where RocketMQ users look for logs: ~/logs/rocketmqlogs, overridable with MQ_LOG_DIR. */
export function logDir(): string {
  return process.env.MQ_LOG_DIR || join(homedir(), 'logs', 'rocketmqlogs');
}

const loggers = new Map<string, Logger>();

/**
 * A named logger writing JSON lines to `<logDir>/<name>.log` (namesrv.log, broker.log, …). Level from
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
    const dir = logDir();
    mkdirSync(dir, { recursive: true });
    logger = pino({ name, level }, destination({ dest: join(dir, `${name}.log`), sync: false, mkdir: true }));
  }
  loggers.set(name, logger);
  return logger;
}

/** Flushes every logger created in this process (call before exit). */
export function flushLoggers(): void {
  for (const l of loggers.values()) l.flush();
}
