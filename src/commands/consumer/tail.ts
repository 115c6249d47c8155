import { Flags } from '@oclif/core';
import { Chalk } from 'chalk';
import { BaseCommand } from '../../cli/base-command.js';
import {
  buildSubscription,
  type ConsumeFromWhere,
  type MessageExt,
  MessageSelector,
  PullConsumer,
  PushConsumer,
} from '../../engine/client/index.js';
import { messageView } from '../../engine/client/tools/message-view.js';

/** `--from`: first | last | ms since the epoch | a date (ISO or Java's yyyyMMddHHmmss). */
export function parseFrom(from: string): { where: ConsumeFromWhere; timestamp?: number } {
  if (from === 'first') return { where: 'CONSUME_FROM_FIRST_OFFSET' };
  if (from === 'last') return { where: 'CONSUME_FROM_LAST_OFFSET' };
  let ts: number;
  const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(from);
  if (compact) {
    const [, y, mo, d, h, mi, s] = compact.map(Number) as number[];
    ts = new Date(y!, mo! - 1, d!, h!, mi!, s!).getTime();
  } else if (/^\d+$/.test(from)) ts = Number(from);
  else ts = Date.parse(from);
  if (!Number.isFinite(ts))
    throw new Error(`bad --from "${from}": use first, last, ms since the epoch, or a date`);
  return { where: 'CONSUME_FROM_TIMESTAMP', timestamp: ts };
}

export default class ConsumerTail extends BaseCommand<typeof ConsumerTail> {
  static override summary = 'Stream messages of a topic, like kcat -C.';
  static override description =
    'Without -g a throw-away group starts exactly at --from. With -g the group resumes from its committed ' +
    'offsets; for a group new to the broker, --from applies where the broker has no offset to suggest (a ' +
    'RocketMQ broker answers 0 for queues whose head is still in memory, as Java clients see). Ctrl-C commits offsets and exits.';
  static override examples = [
    '<%= config.bin %> consumer tail -t TopicTest --from first --count 10',
    '<%= config.bin %> consumer tail -t TopicTest -g my_group --tags "TagA || TagB" --json',
    `<%= config.bin %> consumer tail -t TopicTest --sql "region = 'eu' AND amount > 100"`,
  ];

  static override flags = {
    topic: Flags.string({ char: 't', required: true, description: 'topic' }),
    group: Flags.string({ char: 'g', description: 'consumer group (default: a throw-away group)' }),
    trace: Flags.boolean({ description: 'record a message trace of each message consumed (enableMsgTrace)' }),
    tags: Flags.string({ description: 'tag expression: * or "TagA || TagB"', exclusive: ['sql'] }),
    sql: Flags.string({
      description:
        'SQL92 condition on message properties, filtered by the broker (needs enablePropertyFilter=true)',
    }),
    from: Flags.string({ description: 'first | last | TIMESTAMP (ms or date)', default: 'last' }),
    count: Flags.integer({ char: 'c', description: 'exit after this many messages', min: 1 }),
    broadcast: Flags.boolean({ description: 'BROADCASTING model (offsets kept locally)' }),
  };

  async run(): Promise<unknown> {
    const f = this.flags;
    const json = this.jsonEnabled();
    const selector =
      f.sql !== undefined ? MessageSelector.bySql(f.sql) : MessageSelector.byTag(f.tags ?? '*');
    buildSubscription(f.topic, selector); // bad expressions fail before connecting
    const from = parseFrom(f.from);
    const color = new Chalk({ level: process.env.NO_COLOR || !process.stdout.isTTY ? 0 : 1 });

    // Fail fast (and clearly) on an unreachable name server or an unknown topic.
    const probe = new PullConsumer({ namesrvAddr: this.namesrv, ...this.credentials });
    await probe.start();
    try {
      await probe.fetchMessageQueues(f.topic);
    } finally {
      await probe.shutdown();
    }

    const group = f.group ?? `MQ_TAIL_${process.pid}_${Date.now()}`;
    const consumer = new PushConsumer({
      namesrvAddr: this.namesrv,
      ...this.credentials,
      groupName: group,
      enableMsgTrace: f.trace,
      messageModel: f.broadcast ? 'BROADCASTING' : 'CLUSTERING',
      consumeFromWhere: from.where,
      consumeTimestamp: from.timestamp,
      ignoreCommittedOffset: f.group === undefined,
      // Serial listener calls: --count is exact and nothing past it is committed.
      consumeThreadMax: 1,
      handoverDelayMs: 0,
    });
    consumer.subscribe(f.topic, selector);
    let seen = 0;
    let done!: () => void;
    const finished = new Promise<void>((r) => {
      done = r;
    });
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void consumer.shutdown().finally(done);
    };
    let out = '';
    let flushTimer: NodeJS.Timeout | undefined;
    const flush = () => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = undefined;
      if (out) process.stdout.write(out);
      out = '';
    };
    consumer.registerMessageListener((msgs: MessageExt[]) => {
      for (const m of msgs) {
        if (stopping) return 'RECONSUME_LATER';
        seen++;
        out += json ? `${JSON.stringify(messageView(m))}\n` : `${this.human(m, color)}\n`;
        if (f.count !== undefined && seen >= f.count) {
          flush();
          stop();
        }
      }
      if (out.length > 64 * 1024) flush();
      else flushTimer ??= setTimeout(flush, 20);
      return 'CONSUME_SUCCESS';
    });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') stop();
    });
    await consumer.start();
    if (!json && process.stderr.isTTY)
      process.stderr.write(color.dim(`tailing ${f.topic} as ${group}; Ctrl-C to stop\n`));
    await finished;
    flush();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return undefined;
  }

  private human(m: MessageExt, c: InstanceType<typeof Chalk>): string {
    const v = messageView(m);
    const where = c.cyan(`${v.brokerName}:${v.queueId}@${v.queueOffset}`);
    const meta = [v.tags ? `tags=${v.tags}` : '', v.keys ? `keys=${v.keys}` : '', `msgId=${v.msgId}`]
      .filter(Boolean)
      .join(' ');
    return `${where} ${c.dim(v.storeTime)} ${c.dim(meta)} ${v.body}`;
  }
}
