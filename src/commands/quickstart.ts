import { Flags } from '@oclif/core';
import { Chalk } from 'chalk';
import ora from 'ora';
import { BaseCommand, serverBaseFlags } from '../cli/base-command.js';
import { consoleFlags, startConsoleBeside, untilStopped } from '../cli/embedded-console.js';
import { applyLogFlags, logFlags } from '../cli/log-flags.js';
import { assertPortsFree, portInUse, type WantedPort } from '../cli/port-check.js';
import { summaryLines } from '../cli/server-summary.js';
import { type MessageQueue, mqKey, Producer, PullConsumer, type SendResult } from '../engine/client/index.js';
import { defaultStoreDir, startEmbeddedPair } from '../engine/embedded.js';

/** How many received messages are printed (and listed under --json's `messages`). */
const SHOWN = 10;

export default class Quickstart extends BaseCommand<typeof Quickstart> {
  static override baseFlags: typeof BaseCommand.baseFlags = serverBaseFlags;
  static override summary =
    'Start an embedded name server + broker, send and receive a few messages, and show what to try next.';
  static override description =
    'Everything runs in this process: a name server on --namesrv-port (9876) and a broker on --port (10911; ' +
    'it also uses port-2 and port+1, as RocketMQ does) with a store under ~/.mq/quickstart/store. A busy port ' +
    'is an error naming the flag to change; 0 picks any free port. Prints the messages it received back; ' +
    'both servers stop when it is done, or with --console stay up beside the web console until Ctrl-C.';
  static override examples = [
    '<%= config.bin %> quickstart',
    '<%= config.bin %> quickstart --namesrv-port 9877 --port 10921',
    '<%= config.bin %> quickstart --namesrv-port 0 --port 0 --count 100 --json',
    '<%= config.bin %> quickstart --console   # then keep both running with the web console, until Ctrl-C',
  ];

  static override flags = {
    count: Flags.integer({ char: 'c', default: 10, min: 1, max: 100000, description: 'messages to send' }),
    topic: Flags.string({ char: 't', default: 'QuickStartTopic', description: 'topic' }),
    store: Flags.string({ description: 'store directory (default ~/.mq/quickstart/store)' }),
    ...logFlags,
    'namesrv-port': Flags.integer({
      default: 9876,
      min: 0,
      max: 65535,
      description: 'name server port (0 = any free port)',
    }),
    port: Flags.integer({
      aliases: ['broker-port'],
      default: 10911,
      min: 0,
      max: 65533,
      description: 'broker port (0 = any free port); the broker also binds port-2 (VIP) and port+1 (HA)',
    }),
    ...consoleFlags,
  };

  async run(): Promise<unknown> {
    const f = this.flags;
    const json = this.jsonEnabled();
    if (json && f.console) throw new Error('--console keeps quickstart running: use it without --json');
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
    // The ports asked for are used or reported, never silently swapped for others: the "Next, try" lines
    // and any script after quickstart assume them.
    const wanted: WantedPort[] = [
      {
        port: f['namesrv-port'],
        what: 'name server',
        likely: 'another name server?',
        flag: '--namesrv-port',
      },
      { port: f.port, what: 'broker', likely: 'another broker?', flag: '--port' },
    ];
    if (f.port >= 2) {
      wanted.push(
        {
          port: f.port - 2,
          what: "the broker's VIP channel, --port minus 2",
          likely: 'another broker?',
          flag: '--port',
        },
        {
          port: f.port + 1,
          what: "the broker's HA port, --port plus 1",
          likely: 'another broker?',
          flag: '--port',
        },
      );
    }
    let pair: Awaited<ReturnType<typeof startEmbeddedPair>>;
    try {
      await assertPortsFree(wanted);
      pair = await startEmbeddedPair({
        namesrvPort: f['namesrv-port'],
        brokerPort: f.port,
        storeDir: f.store ?? defaultStoreDir('quickstart'),
      });
    } catch (err) {
      spinner?.fail();
      // Taken between the check and the bind: the same answer as above, not a stack.
      const e = err as NodeJS.ErrnoException & { port?: number };
      const w = wanted.find((x) => x.port === e.port);
      if (e.code === 'EADDRINUSE' && w) throw portInUse(w);
      throw err;
    }
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
      const got: Array<{ msgId: string; queue: string; queueOffset: number; body: string }> = [];
      while (want.size > 0 && Date.now() - recvStart < 15000) {
        for (const q of from.values()) {
          const res = await consumer.pull(q.mq, '*', q.offset, 32);
          q.offset = res.nextBeginOffset;
          for (const m of res.msgs) {
            if (!want.delete(m.msgId)) continue; // an earlier run's message in a kept store
            const queue = `${m.brokerName}:${m.queueId}`;
            got.push({ msgId: m.msgId, queue, queueOffset: m.queueOffset, body: m.body.toString('utf8') });
          }
        }
      }
      const received = got.length;
      const recvMs = Date.now() - recvStart;
      if (want.size > 0) throw new Error(`received ${received} of ${results.length} messages within 15 s`);
      done(`received all ${received} messages in ${recvMs} ms`);
      // What came back, so a newcomer sees the bodies round-trip (the first few, in send order).
      const order = new Map(results.map((r, i) => [r.msgId, i]));
      got.sort((a, b) => order.get(a.msgId)! - order.get(b.msgId)!);
      const shown = got.slice(0, SHOWN);
      const summary = {
        namesrvAddr: pair.namesrvAddr,
        brokerAddr: pair.brokerAddr,
        storeDir: pair.storeDir,
        topic: f.topic,
        sent: results.length,
        received,
        messages: shown,
        sendMs,
        receiveMs: recvMs,
        totalMs: Date.now() - t0,
      };
      if (json) return summary;
      for (const m of shown)
        this.log(
          `  received ${JSON.stringify(m.body)}  (${m.queue} offset ${m.queueOffset}, msgId ${m.msgId})`,
        );
      if (got.length > shown.length) this.log(`  … and ${got.length - shown.length} more`);
      this.log('');
      this.log(c.bold('Next, try:'));
      this.log(`  ${c.cyan('mq dev')}                                   keep a name server + broker running`);
      this.log(
        `  ${c.cyan('mq producer send -t TopicTest --body hi')}  send (add -n <addr> if not 127.0.0.1:9876)`,
      );
      this.log(`  ${c.cyan('mq consumer tail -t TopicTest --from first')}`);
      this.log(`  ${c.cyan('mq benchmark producer -w 32 -s 1024')}`);
      this.log(`  ${c.cyan('mqadmin clusterList')}`);
      if (f.console) {
        // Keep the pair (and what was just sent) for a look in the browser; `finally` stops it.
        const web = await startConsoleBeside(pair.namesrvAddr, f['console-port']);
        // Handlers first: a SIGTERM right after the line below is a clean stop, not node's default.
        const stopped = untilStopped(
          (line) => this.log(line),
          () => web.close(),
        );
        this.log('');
        this.log(`mq console listening on ${web.url} (name server ${pair.namesrvAddr}); Ctrl-C to stop`);
        await stopped;
      }
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
