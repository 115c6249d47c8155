import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { runWithLiveReport } from '../../cli/live-report.js';
import { benchmarkConsumer, type ConsumeSnapshot } from '../../engine/client/tools/benchmark.js';

export default class BenchmarkConsumer extends BaseCommand<typeof BenchmarkConsumer> {
  static override summary = 'Consumer load test (tools.sh org.apache.rocketmq.example.benchmark.Consumer).';
  static override description =
    'Consumes a topic with a push consumer and prints Consume TPS and born/store-to-consume latency every ' +
    'interval. Stops after --count messages, --duration seconds, or Ctrl-C.';
  static override examples = [
    '<%= config.bin %> benchmark consumer -t BenchmarkTest -g benchmark_consumer --from first',
  ];

  static override flags = {
    topic: Flags.string({ char: 't', default: 'BenchmarkTest', description: 'topic' }),
    group: Flags.string({ char: 'g', default: 'benchmark_consumer', description: 'consumer group' }),
    tags: Flags.string({ description: 'tag expression', default: '*' }),
    count: Flags.integer({ char: 'c', min: 1, description: 'stop after this many messages' }),
    duration: Flags.integer({ char: 'd', min: 1, description: 'stop after this many seconds' }),
    from: Flags.string({
      options: ['first', 'last'],
      default: 'last',
      description: 'where a new group starts',
    }),
    interval: Flags.integer({ char: 'i', default: 1, min: 1, description: 'report interval in seconds' }),
  };

  async run(): Promise<unknown> {
    const f = this.flags;
    const line = (s: ConsumeSnapshot) =>
      `Consume TPS: ${s.consumeTps} Average(B2C) RT(ms): ${s.avgB2cRtMs.toFixed(3)} Average(S2C) RT(ms): ${s.avgS2cRtMs.toFixed(3)} MAX(B2C) RT(ms): ${s.maxB2cRtMs} MAX(S2C) RT(ms): ${s.maxS2cRtMs} Total: ${s.totalReceived}`;
    return runWithLiveReport(
      this,
      'waiting for messages…',
      line,
      (hooks) =>
        benchmarkConsumer({
          namesrvAddr: this.namesrv,
          ...this.credentials,
          topic: f.topic,
          group: f.group,
          tags: f.tags,
          count: f.count,
          durationMs: f.duration && f.duration * 1000,
          fromFirst: f.from === 'first',
          reportIntervalMs: f.interval * 1000,
          ...hooks,
        }),
      (total) => `Total: ${line(total)}`,
    );
  }
}
