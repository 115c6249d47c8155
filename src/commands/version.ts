import { BaseCommand } from '../cli/base-command.js';
import { MQ_VERSION } from '../engine/version.js';

export default class Version extends BaseCommand<typeof Version> {
  static override summary = 'Print the mq version and the RocketMQ protocol version it speaks.';

  async run(): Promise<{ version: string; protocol: string }> {
    const result = { version: MQ_VERSION, protocol: 'V4_9_8' };
    this.log(`mq ${result.version} (RocketMQ remoting protocol ${result.protocol})`);
    return result;
  }
}
