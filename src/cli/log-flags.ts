import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { logDir, logFormat } from '../engine/common/logger.js';

/** `--log-dir` and `--log-format` of the server commands (namesrv/broker start, dev, quickstart). */
export const logFlags = {
  'log-dir': Flags.string({
    description: 'where the logs go (default ~/logs/rocketmqlogs, or $MQ_LOG_DIR / $ROCKETMQ_LOG_DIR)',
  }),
  'log-format': Flags.string({
    description: "text: RocketMQ's layout, for people; json: one JSON object a line, for machines",
    options: ['text', 'json'],
    env: 'MQ_LOG_FORMAT',
  }),
};

/**
 * Makes the flags the process's log settings (the engine's loggers read the environment, and a --daemon
 * child inherits it); returns where and how this process logs, for the start summary.
 */
export function applyLogFlags(flags: { 'log-dir'?: string; 'log-format'?: string }): string {
  if (flags['log-dir']) process.env.MQ_LOG_DIR = resolve(flags['log-dir']);
  if (flags['log-format']) process.env.MQ_LOG_FORMAT = flags['log-format'];
  return `${logDir()} (${logFormat()})`;
}
