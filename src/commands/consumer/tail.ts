import { Flags } from '@oclif/core';
import { Chalk } from 'chalk';
import { BaseCommand } from '../../cli/base-command.js';
import {
  buildSubscription,
  type MessageExt,
  MessageSelector,
  PullConsumer,
  PushConsumer,
} from '../../engine/client/index.js';
import { messageView } from '../../engine/client/tools/message-view.js';
import { type TailStart, TopicTailer } from '../../engine/client/tools/topic-tailer.js';

/** `--from`: first | last | ms since the epoch | a date (ISO or Java's yyyyMMddHHmmss). */
export function parseFrom(from: string): TailStart {
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
    'Without -g the topic is read with a pull consumer that keeps its position in memory: it starts exactly at ' +
    '--from, commits nothing and leaves no consumer group on the brokers. With -g the group resumes from its ' +
    'committed offsets; for a group new to the broker, --from applies where the broker has no offset to ' +
    'suggest (a RocketMQ broker answers 0 for queues whose head is still in memory, as Java clients see). ' +
    'Only messages written out are committed: when the reader of a pipe goes away (`| head -2`), on Ctrl-C ' +
    'or SIGTERM, tail commits what it printed and exits 0, and the group gets the rest next time.';
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
    if (f.group === undefined && f.trace)
      throw new Error('--trace records consumption by a consumer group: add -g GROUP');
    const color = new Chalk({ level: process.env.NO_COLOR || !process.stdout.isTTY ? 0 : 1 });

    // Fail fast (and clearly) on an unreachable name server or an unknown topic. Without -g this pull
    // consumer (group TOOLS_CONSUMER, no heartbeats) then reads the topic.
    const puller = new PullConsumer({ namesrvAddr: this.namesrv, ...this.credentials });
    await puller.start();
    try {
      await puller.fetchMessageQueues(f.topic);
    } catch (err) {
      await puller.shutdown();
      throw err;
    }

    // One write per message; a message counts as consumed only once its write has succeeded. A pipe whose
    // reader has gone (EPIPE), Ctrl-C or SIGTERM end the tail; what was not written out is not committed.
    let seen = 0;
    let outClosed = false;
    const print = (m: MessageExt) =>
      new Promise<boolean>((resolve) => {
        if (outClosed) return resolve(false);
        const text = json ? `${JSON.stringify(messageView(m))}\n` : `${this.human(m, color)}\n`;
        process.stdout.write(text, (err) => {
          if (err) outClosed = true;
          resolve(!err);
        });
      });
    const countReached = () => f.count !== undefined && ++seen >= f.count;

    // Handlers before the consumer starts printing: a SIGTERM sent as soon as a line is read is a clean stop
    // (never node's default kill). Kept until the end (stop is idempotent): a second signal must not kill
    // tail before it has committed.
    let tail: { stop(): void; finished: Promise<void> } | undefined;
    let stopAsked = false;
    const stop = () => {
      stopAsked = true;
      tail?.stop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      tail =
        f.group === undefined
          ? await this.startWithoutGroup(puller, f.topic, selector, from, print, countReached)
          : await this.startGroup(f.group, selector, from, print, countReached);
    } catch (err) {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await puller.shutdown();
      throw err;
    }
    if (stopAsked) tail.stop();
    const onStdoutError = () => {
      outClosed = true;
      stop();
    };
    process.stdout.on('error', onStdoutError);
    if (!json && process.stderr.isTTY) {
      const as = f.group === undefined ? 'without a consumer group' : `as ${f.group}`;
      process.stderr.write(color.dim(`tailing ${f.topic} ${as}; Ctrl-C to stop\n`));
    }
    try {
      await tail.finished;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await puller.shutdown();
    }
    return undefined;
  }

  /** Without -g: positions kept in memory, nothing registered or committed on the brokers. */
  private async startWithoutGroup(
    puller: PullConsumer,
    topic: string,
    selector: MessageSelector,
    from: TailStart,
    print: (m: MessageExt) => Promise<boolean>,
    countReached: () => boolean,
  ): Promise<{ stop(): void; finished: Promise<void> }> {
    const tailer = new TopicTailer(
      puller,
      topic,
      selector,
      from,
      async (m) => (await print(m)) && !countReached(),
      {
        onError: (mq, err) =>
          process.stderr.write(`cannot pull ${mq.brokerName}:${mq.queueId}: ${err.message}; retrying\n`),
      },
    );
    await tailer.run();
    return { stop: () => tailer.stop(), finished: tailer.done };
  }

  /** With -g: a push consumer of the group; a message's offset moves on only once it was written out. */
  private async startGroup(
    group: string,
    selector: MessageSelector,
    from: TailStart,
    print: (m: MessageExt) => Promise<boolean>,
    countReached: () => boolean,
  ): Promise<{ stop(): void; finished: Promise<void> }> {
    const f = this.flags;
    const consumer = new PushConsumer({
      namesrvAddr: this.namesrv,
      ...this.credentials,
      groupName: group,
      enableMsgTrace: f.trace,
      messageModel: f.broadcast ? 'BROADCASTING' : 'CLUSTERING',
      consumeFromWhere: from.where,
      consumeTimestamp: from.timestamp,
      // Serial listener calls of one message each: --count is exact and nothing past it is committed.
      consumeThreadMax: 1,
      consumeMessageBatchMaxSize: 1,
      handoverDelayMs: 0,
    });
    consumer.subscribe(f.topic, selector);
    let done!: () => void;
    const finished = new Promise<void>((r) => {
      done = r;
    });
    let stopping = false;
    // shutdown() marks every queue dropped before its first await: a listener still running then reports
    // RECONSUME_LATER, which a dropped queue does not record (its offset stays before that message).
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void consumer.shutdown().finally(done);
    };
    consumer.registerMessageListener(async (msgs: MessageExt[]) => {
      for (const m of msgs) {
        if (stopping || !(await print(m))) {
          stop();
          return 'RECONSUME_LATER';
        }
        if (countReached()) stop();
      }
      return 'CONSUME_SUCCESS';
    });
    await consumer.start();
    return { stop, finished };
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
