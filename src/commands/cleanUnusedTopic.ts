import { HousekeepingCommand } from '../cli/format/housekeeping-command.js';

export default class CleanUnusedTopic extends HousekeepingCommand {
  static override summary = 'Drop the consume queues of topics a broker no longer has.';
  static override description =
    "Drops the consume queues of topics a broker no longer configures (their commit-log data ages out as usual). The schedule topic and the system (RMQ_SYS_) topics, which hold pending transactions, are kept. With -b one broker, with -c every broker (masters and slaves) of the cluster, with neither every cluster's. Prints success, or false with one line per failed broker on stderr.";
  static override examples = [
    '<%= config.bin %> cleanUnusedTopic -b 127.0.0.1:10911',
    '<%= config.bin %> cleanUnusedTopic -c DefaultCluster --json',
  ];
  protected readonly request = 'CLEAN_UNUSED_TOPIC' as const;
}
