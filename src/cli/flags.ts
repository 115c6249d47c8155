import { Flags } from '@oclif/core';

/**
 * `-b brokerAddr` or `-c clusterName`, exactly one: the target of mqadmin's per-broker commands. The
 * descriptions are mqadmin's own wording, which differs from command to command.
 */
export function brokerOrClusterFlags(brokerDescription: string, clusterDescription: string) {
  return {
    brokerAddr: Flags.string({
      char: 'b',
      description: brokerDescription,
      exactlyOne: ['brokerAddr', 'clusterName'],
    }),
    clusterName: Flags.string({ char: 'c', description: clusterDescription }),
  };
}
