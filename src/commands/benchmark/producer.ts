import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { runWithLiveReport } from '../../cli/live-report.js';
import { benchmarkProducer, type SendSnapshot } from '../../engine/client/tools/benchmark.js';

export default class BenchmarkProducer extends BaseCommand<typeof BenchmarkProducer> {
  static override summary = 'Producer load test (tools.sh org.apache.rocketmq.example.benchmark.Producer).';
  static override description =
    'Keeps -w sends in flight with -s byte bodies and prints Send TPS, average/max RT and failures every ' +
    'interval, then a total. Stops after --count messages or --duration seconds (default 30 s).';
  static override examples = [
    '<%= config.bin %> benchmark producer -t BenchmarkTest -w 32 -s 1024 --count 100000',
  ];

  static override flags = {
    topic: Flags.string({ char: 't', default: 'BenchmarkTest', description: 'topic' }),
    threads: Flags.integer({ char: 'w', default: 32, min: 1, description: 'sends in flight' }),
    size: Flags.integer({ char: 's', default: 128, min: 1, description: 'body size in bytes' }),
    count: Flags.integer({ char: 'c', min: 1, description: 'messages to send' }),
    duration: Flags.integer({ char: 'd', min: 1, description: 'seconds to run (default 30 unless --count)' }),
    keys: Flags.boolean({ char: 'k', description: 'set a unique key on every message' }),
    tags: Flags.string({ description: 'tag of every message' }),
    oneway: Flags.boolean({ char: 'a', description: 'oneway sends (no RT)' }),
    interval: Flags.integer({ char: 'i', default: 1, min: 1, description: 'report interval in seconds' }),
  };

  async run(): Promise<unknown> {
    const f = this.flags;
    const line = (s: SendSnapshot) =>
      `Send TPS: ${s.sendTps} Max RT(ms): ${s.maxRtMs} Average RT(ms): ${s.avgRtMs.toFixed(3)} Send Failed: ${s.failed} Total: ${s.totalSent}`;
    return runWithLiveReport(
      this,
      'connecting…',
      line,
      (hooks) =>
        benchmarkProducer({
          namesrvAddr: this.namesrv,
          ...this.credentials,
          topic: f.topic,
          inflight: f.threads,
          bodySize: f.size,
          count: f.count,
          durationMs: f.count === undefined ? (f.duration ?? 30) * 1000 : f.duration && f.duration * 1000,
          keys: f.keys,
          tags: f.tags,
          oneway: f.oneway,
          reportIntervalMs: f.interval * 1000,
          ...hooks,
        }),
      (total) =>
        `Total: ${line(total).replace(/ Total: \d+$/, '')} Sent: ${total.totalSent} in ${(total.elapsedMs / 1000).toFixed(1)} s`,
    );
  }
}
