import { Flags } from '@oclif/core';
import { AdminCommand } from '../cli/format/admin-command.js';
import { deleteKvConfig } from '../engine/admin/cluster-ops.js';

export default class DeleteKvConfig extends AdminCommand<typeof DeleteKvConfig> {
  static override summary = "Delete a namespace/key from the name servers' KV config.";
  static override description = 'Removes namespace/key from every name server given with -n.';
  static override examples = ['<%= config.bin %> deleteKvConfig -s ORDER_TOPIC_CONFIG -k TopicTest'];
  static override flags = {
    namespace: Flags.string({ char: 's', description: 'set the namespace', required: true }),
    key: Flags.string({ char: 'k', description: 'set the key name', required: true }),
  };

  async run() {
    const res = await this.withAdmin((a) =>
      deleteKvConfig(a, this.flags.namespace.trim(), this.flags.key.trim()),
    );
    this.out('delete kv config from namespace success.\n');
    return res;
  }
}
