import { Flags } from '@oclif/core';

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

// In its own oclif-free file so the fast server start (server-start.ts) can use it.
export { applyLogFlags } from './log-settings.js';
