import { Args, Flags } from '@oclif/core';
import { BaseCommand, serverBaseFlags } from '../cli/base-command.js';
import { type ShutdownReport, shutdownServers } from '../engine/admin/shutdown-server.js';

export default class Shutdown extends BaseCommand<typeof Shutdown> {
  static override baseFlags: typeof BaseCommand.baseFlags = serverBaseFlags;
  static override summary = 'Stop a running broker or name server gracefully (mqshutdown).';
  static override description =
    'Finds the server through its pid file (default: every one in ~/.mq or $MQ_PID_DIR) and checks that the ' +
    'pid is still that mq server (its command line and start time) before it asks it to stop with SIGTERM; ' +
    'a stale pid file (the process gone, or the pid now another program) is reported and removed, and ' +
    'nothing is signalled for it. Then waits until the server has flushed its store, written its ' +
    'checkpoint and exited, at most --timeout seconds (exit code 1 if it is still running then).';
  static override examples = [
    '<%= config.bin %> shutdown broker',
    '<%= config.bin %> shutdown namesrv --pid-file /run/ns.pid',
  ];

  static override args = {
    server: Args.string({
      required: true,
      options: ['broker', 'namesrv'],
      description: 'which server to stop',
    }),
  };

  static override flags = {
    'pid-file': Flags.string({ description: 'pid file of the server to stop' }),
    timeout: Flags.integer({ description: 'seconds to wait for a clean exit', default: 60 }),
    force: Flags.boolean({ description: 'SIGKILL a server still running after the timeout' }),
  };

  async run(): Promise<ShutdownReport> {
    const role = this.args.server as 'broker' | 'namesrv';
    const name = role === 'broker' ? 'mqbroker' : 'mqnamesrv';
    const timeout = this.flags.timeout;
    const report = await shutdownServers({
      role,
      pidFile: this.flags['pid-file'],
      timeoutMs: timeout * 1000,
      force: this.flags.force,
      onSignalled: (s) =>
        this.log(`Sent SIGTERM to the ${name}(${s.pid}); waiting up to ${timeout}s for it to exit...`),
    });
    for (const s of report.stale) this.log(`Removed stale pid file ${s.pidFile}: ${s.reason}.`);
    if (report.servers.length === 0) {
      throw Object.assign(new Error(`No ${name} running.`), { exitCode: 1 });
    }
    for (const s of report.servers) {
      if (s.result === 'stopped') this.log(`The ${name}(${s.pid}) shut down cleanly in ${s.waitedMs} ms.`);
      else if (s.result === 'killed') this.log(`The ${name}(${s.pid}) did not stop in time and was killed.`);
    }
    const stuck = report.servers.filter((s) => s.result === 'timeout');
    if (stuck.length) {
      throw Object.assign(
        new Error(
          `the ${name} is still running after ${timeout}s (pid ${stuck.map((s) => s.pid).join(', ')}): ` +
            'wait longer with --timeout, or add --force to SIGKILL it',
        ),
        { exitCode: 1 },
      );
    }
    return report;
  }
}
