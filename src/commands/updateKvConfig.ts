import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { updateKvConfig } from '../engine/admin/cluster-ops.js';

export default class UpdateKvConfig extends AdminCommand<typeof UpdateKvConfig> {
  static override summary = "Create or update a namespace/key in the name servers' KV config.";
  static override description = 'Puts namespace/key=value on every name server given with -n.';
  static override examples = [
    '<%= config.bin %> updateKvConfig -s ORDER_TOPIC_CONFIG -k TopicTest -v broker-a:4',
  ];
  static override flags = {
    namespace: Flags.string({ char: 's', description: 'set the namespace', required: true }),
    key: Flags.string({ char: 'k', description: 'set the key name', required: true }),
    value: Flags.string({ char: 'v', description: 'set the key value', required: true }),
  };

  async run() {
    const f = this.flags;
    const res = await this.withAdmin((a) =>
      updateKvConfig(a, f.namespace.trim(), f.key.trim(), f.value.trim()),
    );
    this.out('create or update kv config to namespace success.\n');
    return res;
  }
}
