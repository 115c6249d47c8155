import { resolve } from 'node:path';
import { logDir, logFormat } from '../engine/common/logger.js';

/**
 * Makes the flags the process's log settings (the engine's loggers read the environment, and a --daemon
 * child inherits it); returns where and how this process logs, for the start summary.
 */
export function applyLogFlags(flags: { 'log-dir'?: string; 'log-format'?: string }): string {
  if (flags['log-dir']) process.env.MQ_LOG_DIR = resolve(flags['log-dir']);
  if (flags['log-format']) process.env.MQ_LOG_FORMAT = flags['log-format'];
  return `${logDir()} (${logFormat()})`;
}
