import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { DEFAULT_EXPORT_DIR, writeExport } from '../cli/format/export-file.js';
import { bareLine } from '../cli/format/java-print.js';
import { exportMetrics } from '../engine/admin/metadata-ops.js';

export default class ExportMetrics extends AdminCommand<typeof ExportMetrics> {
  static override summary = "Export each master's and the cluster's metrics to metrics.json.";
  static override description =
    "Writes metrics.json: for each master of the cluster, its disk ratios, this minute's in/out TPS (normal, " +
    "transactional, scheduled), the last day's message counts, average message size, topic and group counts " +
    "and its consumers' client versions; and the cluster's totals.";
  static override examples = ['<%= config.bin %> exportMetrics -c DefaultCluster -f /tmp/export'];
  static override flags = {
    clusterName: Flags.string({ char: 'c', description: 'choose a cluster to export', required: true }),
    filePath: Flags.string({
      char: 'f',
      description: 'export metrics.json path | default /tmp/rocketmq/export',
    }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) => exportMetrics(a, f.clusterName.trim()));
    const path = writeExport(f.filePath?.trim() || DEFAULT_EXPORT_DIR, res.fileName, res.content);
    this.out(bareLine(`export ${path} success`));
    return { path, ...res };
  }
}
