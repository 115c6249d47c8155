import { HousekeepingCommand } from '../cli/format/housekeeping-command.js';

export default class CleanExpiredCQ extends HousekeepingCommand {
  static override summary = 'Remove consume queues whose messages have all expired from the commit log.';
  static override description =
    "Destroys consume queues whose every entry points below the commit log's min offset (their messages are gone); the queues' next offsets are kept. With -b one broker, with -c every broker (masters and slaves) of the cluster, with neither every cluster's. Prints success, or false with one line per failed broker on stderr.";
  static override examples = [
    '<%= config.bin %> cleanExpiredCQ -b 127.0.0.1:10911',
    '<%= config.bin %> cleanExpiredCQ -c DefaultCluster --json',
  ];
  protected readonly request = 'CLEAN_EXPIRED_CONSUMEQUEUE' as const;
}
