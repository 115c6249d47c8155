import { createInterface } from 'node:readline';
import { Flags } from '@oclif/core';
import { Chalk } from 'chalk';
import { BaseCommand } from '../../cli/base-command.js';
import { type Message, Producer, type SendResult } from '../../engine/client/index.js';
import { type SendView, sendView } from '../../engine/client/tools/message-view.js';
import { OrderedWindow } from '../../engine/client/tools/ordered-window.js';

type Outcome = { ok: true; view: SendView } | { ok: false; line: number; error: Error };

export default class ProducerSend extends BaseCommand<typeof ProducerSend> {
  static override summary = 'Send messages: --body, or one message per stdin line.';
  static override description =
    'Prints each SendResult (status, msgId, queue, offset, body) in input order; with --json one JSON object ' +
    'per line. Lines from stdin are pipelined with a bounded number of sends in flight.';
  static override examples = [
    '<%= config.bin %> producer send -t TopicTest --body "hello"',
    'seq 10000 | <%= config.bin %> producer send -t TopicTest --tags TagA --json',
  ];

  static override flags = {
    topic: Flags.string({ char: 't', required: true, description: 'topic' }),
    tags: Flags.string({ description: 'message tag' }),
    keys: Flags.string({ char: 'k', description: 'message keys (space separated)' }),
    trace: Flags.boolean({
      description: 'record a message trace of each send (enableMsgTrace; see queryMsgTraceById)',
    }),
    body: Flags.string({
      char: 'b',
      description: 'message body (default: read stdin, one message per line)',
    }),
    'delay-level': Flags.integer({
      description: 'delay level 1..18 (1s 5s 10s 30s 1m ... 2h)',
      min: 1,
      max: 18,
    }),
    property: Flags.string({
      char: 'p',
      multiple: true,
      description: 'user property key=value (repeatable)',
    }),
    group: Flags.string({ char: 'g', description: 'producer group', default: 'MQ_CLI_PRODUCER' }),
    inflight: Flags.integer({
      char: 'w',
      description: 'sends in flight when reading stdin',
      default: 64,
      min: 1,
    }),
    timeout: Flags.integer({ description: 'send timeout in ms (covers retries)', default: 3000, min: 1 }),
  };

  async run(): Promise<unknown> {
    const f = this.flags;
    const json = this.jsonEnabled();
    const properties: Record<string, string> = {};
    for (const p of f.property ?? []) {
      const i = p.indexOf('=');
      if (i <= 0) throw new Error(`bad --property "${p}": expected key=value`);
      properties[p.slice(0, i)] = p.slice(i + 1);
    }
    const make = (body: string): Message => ({
      topic: f.topic,
      body,
      tags: f.tags,
      keys: f.keys,
      delayLevel: f['delay-level'],
      properties,
    });
    const producer = new Producer({
      namesrvAddr: this.namesrv,
      ...this.credentials,
      groupName: f.group,
      sendMsgTimeout: f.timeout,
      enableMsgTrace: f.trace,
    });
    await producer.start();
    let out = '';
    const flush = () => {
      if (out) process.stdout.write(out);
      out = '';
    };
    const print = (v: SendView) => {
      out += json ? `${JSON.stringify(v)}\n` : `${this.human(v)}\n`;
      if (out.length > 64 * 1024) flush();
    };
    try {
      if (f.body !== undefined) {
        const r: SendResult = await producer.send(make(f.body), { timeout: f.timeout });
        print(sendView(r, f.body));
        flush();
        return undefined;
      }
      if (process.stdin.isTTY)
        process.stderr.write('reading messages from stdin, one per line (Ctrl-D to end)\n');
      let failure: Outcome | undefined;
      const window = new OrderedWindow<Outcome>(f.inflight, (o) => {
        if (o.ok) print(o.view);
        else failure ??= o;
      });
      const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
      let lineNo = 0;
      for await (const line of rl) {
        lineNo++;
        if (failure) break;
        const n = lineNo;
        await window.submit(() =>
          producer.send(make(line), { timeout: f.timeout }).then(
            (r): Outcome => ({ ok: true, view: sendView(r, line) }),
            (error: Error): Outcome => ({ ok: false, line: n, error }),
          ),
        );
      }
      await window.drain();
      flush();
      if (failure && !failure.ok) throw new Error(`line ${failure.line}: ${failure.error.message}`);
      return undefined;
    } finally {
      flush();
      await producer.shutdown();
    }
  }

  private readonly color = new Chalk({ level: process.env.NO_COLOR || !process.stdout.isTTY ? 0 : 1 });

  private human(v: SendView): string {
    const status = v.status === 'SEND_OK' ? this.color.green(v.status) : this.color.yellow(v.status);
    return `${status} msgId=${v.msgId} queue=${v.brokerName}:${v.queueId} offset=${v.queueOffset} body=${JSON.stringify(v.body ?? '')}`;
  }
}
