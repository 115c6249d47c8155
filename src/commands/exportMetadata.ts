import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { DEFAULT_EXPORT_DIR, writeExport } from '../cli/format/export-file.js';
import { bareLine } from '../cli/format/java-print.js';
import { exportMetadata } from '../engine/admin/metadata-ops.js';

export default class ExportMetadata extends AdminCommand<typeof ExportMetadata> {
  static override summary = 'Export topics and subscription groups as JSON files.';
  static override description =
    "Writes user topics and subscription groups as JSON: with -b one broker's (-t topics to topic.json or " +
    "-g groups to subscriptionGroup.json), with -c the cluster's masters merged (queue numbers summed) to " +
    'metadata.json (or topic.json / subscriptionGroup.json). -s keeps %RETRY% and %DLQ% topics.';
  static override examples = [
    '<%= config.bin %> exportMetadata -c DefaultCluster -f /tmp/export',
    '<%= config.bin %> exportMetadata -b 127.0.0.1:10911 -t',
  ];
  static override flags = {
    clusterName: Flags.string({ char: 'c', description: 'choose a cluster to export' }),
    brokerAddr: Flags.string({ char: 'b', description: 'choose a broker to export' }),
    filePath: Flags.string({
      char: 'f',
      description: 'export metadata.json path | default /tmp/rocketmq/export',
    }),
    topic: Flags.boolean({ char: 't', description: 'only export topic metadata' }),
    subscriptionGroup: Flags.boolean({ char: 'g', description: 'only export subscriptionGroup metadata' }),
    specialTopic: Flags.boolean({ char: 's', description: 'need retryTopic and dlqTopic' }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      exportMetadata(a, {
        brokerAddr: f.brokerAddr?.trim() || undefined,
        clusterName: f.clusterName?.trim() || undefined,
        only: f.topic ? 'topic' : f.subscriptionGroup ? 'group' : undefined,
        specialTopic: f.specialTopic,
      }),
    );
    const path = writeExport(f.filePath?.trim() || DEFAULT_EXPORT_DIR, res.fileName, res.content);
    // mqadmin ends the line only in the cluster case.
    this.out(f.brokerAddr ? bareLine(`export ${path} success`) : `export ${path} success\n`);
    return { path, ...res };
  }
}
