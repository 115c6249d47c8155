import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { DEFAULT_EXPORT_DIR, writeExport } from '../cli/format/export-file.js';
import { bareLine } from '../cli/format/java-print.js';
import { exportConfigs } from '../engine/admin/metadata-ops.js';

export default class ExportConfigs extends AdminCommand<typeof ExportConfigs> {
  static override summary = "Export each master's main settings and the cluster size to configs.json.";
  static override description =
    "Writes configs.json: each master's main settings by broker name (cluster, id, role, retention, flush " +
    'type, message size, delay levels, auto-create switches…) and the cluster size (name servers, masters, slaves).';
  static override examples = ['<%= config.bin %> exportConfigs -c DefaultCluster -f /tmp/export'];
  static override flags = {
    clusterName: Flags.string({ char: 'c', description: 'choose a cluster to export', required: true }),
    filePath: Flags.string({
      char: 'f',
      description: 'export configs.json path | default /tmp/rocketmq/export',
    }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) => exportConfigs(a, f.clusterName.trim()));
    const path = writeExport(f.filePath?.trim() || DEFAULT_EXPORT_DIR, res.fileName, res.content);
    this.out(bareLine(`export ${path} success`));
    return { path, ...res };
  }
}
