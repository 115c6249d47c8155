import { HousekeepingCommand } from '../cli/format/housekeeping-command.js';

export default class DeleteExpiredCommitLog extends HousekeepingCommand {
  static override summary = "Run a broker's commit-log retention now (delete expired files).";
  static override description =
    "Runs the broker's commit-log retention now, whatever deleteWhen says: files older than fileReservedTime hours go (more only if the disk itself is nearly full); the file being written never does. With -b one broker, with -c every broker (masters and slaves) of the cluster, with neither every cluster's. Prints success, or false with one line per failed broker on stderr.";
  static override examples = [
    '<%= config.bin %> deleteExpiredCommitLog -b 127.0.0.1:10911',
    '<%= config.bin %> deleteExpiredCommitLog -c DefaultCluster --json',
  ];
  protected readonly request = 'DELETE_EXPIRED_COMMITLOG' as const;
}
