import { Flags } from '@oclif/core';
import { Chalk } from 'chalk';
import ora from 'ora';
import { BaseCommand, serverBaseFlags } from '../cli/base-command.js';
import { applyLogFlags, logFlags } from '../cli/log-flags.js';
import { summaryLines } from '../cli/server-summary.js';
import { type MessageQueue, mqKey, Producer, PullConsumer, type SendResult } from '../engine/client/index.js';
import { defaultStoreDir, startEmbeddedPair } from '../engine/embedded.js';

export default class Quickstart extends BaseCommand<typeof Quickstart> {
  static override baseFlags: typeof BaseCommand.baseFlags = serverBaseFlags;
  static override summary =
    'Start an embedded name server + broker, send and receive a few messages, and show what to try next.';
  static override description =
    'Everything runs in this process: a name server and a broker (default ports when free, else any free ' +
    'ones) with a store under ~/.mq/quickstart/store. Both stop when it is done.';
  static override examples = [
    '<%= config.bin %> quickstart',
    '<%= config.bin %> quickstart --count 100 --json',
  ];

  static override flags = {
    count: Flags.integer({ char: 'c', default: 10, min: 1, max: 100000, description: 'messages to send' }),
    topic: Flags.string({ char: 't', default: 'QuickStartTopic', description: 'topic' }),
    store: Flags.string({ description: 'store directory (default ~/.mq/quickstart/store)' }),
    ...logFlags,
  };

  async run(): Promise<unknown> {
    const f = this.flags;
    const json = this.jsonEnabled();
    const c = new Chalk({ level: process.env.NO_COLOR || !process.stdout.isTTY ? 0 : 1 });
    const spinner = process.stderr.isTTY && !json ? ora({ stream: process.stderr }) : null;
    const step = (text: string) => {
      if (spinner) spinner.start(text);
    };
    const done = (text: string) => {
      if (spinner) spinner.succeed(text);
      else if (!json) this.log(text);
    };
    const logs = applyLogFlags(f);
    const t0 = Date.now();
    step('starting name server and broker…');
    const pair = await startEmbeddedPair({
      namesrvPort: 9876,
      brokerPort: 10911,
      storeDir: f.store ?? defaultStoreDir('quickstart'),
    });
    const producer = new Producer({
      namesrvAddr: pair.namesrvAddr,
      groupName: 'QuickStartProducer',
      instanceName: `quickstart-${process.pid}`,
    });
    const consumer = new PullConsumer({
      namesrvAddr: pair.namesrvAddr,
      groupName: 'QuickStartConsumer',
      instanceName: `quickstart-${process.pid}`,
    });
    try {
      done(`name server ${pair.namesrvAddr}, broker ${pair.brokerAddr}, store ${pair.storeDir}`);
      if (!json) for (const line of summaryLines(pair.summary(logs))) this.log(line);
      step(`sending ${f.count} messages to ${f.topic}…`);
      await producer.start();
      const sendStart = Date.now();
      const results: SendResult[] = [];
      for (let i = 0; i < f.count; i += 32) {
        const n = Math.min(32, f.count - i);
        const batch = Array.from({ length: n }, (_, j) =>
          producer.send({
            topic: f.topic,
            body: `Hello RocketMQ ${i + j}`,
            tags: 'TagA',
            keys: `quickstart-${i + j}`,
          }),
        );
        results.push(...(await Promise.all(batch)));
      }
      const sendMs = Date.now() - sendStart;
      done(
        `sent ${results.length} messages in ${sendMs} ms (last: ${results.at(-1)!.msgId} → ${results.at(-1)!.messageQueue.brokerName}:${results.at(-1)!.messageQueue.queueId})`,
      );

      step('receiving them…');
      await consumer.start();
      const want = new Set(results.map((r) => r.msgId));
      const from = new Map<string, { mq: MessageQueue; offset: number }>();
      for (const r of results) {
        const k = mqKey(r.messageQueue);
        const cur = from.get(k);
        if (!cur || r.queueOffset < cur.offset) from.set(k, { mq: r.messageQueue, offset: r.queueOffset });
      }
      const recvStart = Date.now();
      let received = 0;
      while (want.size > 0 && Date.now() - recvStart < 15000) {
        for (const q of from.values()) {
          const res = await consumer.pull(q.mq, '*', q.offset, 32);
          q.offset = res.nextBeginOffset;
          for (const m of res.msgs) if (want.delete(m.msgId)) received++;
        }
      }
      const recvMs = Date.now() - recvStart;
      if (want.size > 0) throw new Error(`received ${received} of ${results.length} messages within 15 s`);
      done(`received all ${received} messages in ${recvMs} ms`);
      const summary = {
        namesrvAddr: pair.namesrvAddr,
        brokerAddr: pair.brokerAddr,
        storeDir: pair.storeDir,
        topic: f.topic,
        sent: results.length,
        received,
        sendMs,
        receiveMs: recvMs,
        totalMs: Date.now() - t0,
      };
      if (json) return summary;
      this.log('');
      this.log(c.bold('Next, try:'));
      this.log(`  ${c.cyan('mq dev')}                                   keep a name server + broker running`);
      this.log(
        `  ${c.cyan('mq producer send -t TopicTest --body hi')}  send (add -n <addr> if not 127.0.0.1:9876)`,
      );
      this.log(`  ${c.cyan('mq consumer tail -t TopicTest --from first')}`);
      this.log(`  ${c.cyan('mq benchmark producer -w 32 -s 1024')}`);
      this.log(`  ${c.cyan('mqadmin clusterList')}`);
      return undefined;
    } catch (err) {
      spinner?.fail();
      throw err;
    } finally {
      await producer.shutdown();
      await consumer.shutdown();
      await pair.stop();
    }
  }
}
