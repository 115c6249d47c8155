import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import { type DataVersion, newDataVersion, nextDataVersion } from '../../protocol/bodies/data-version.js';
import {
  decodeSubscriptionGroupWrapper,
  encodeSubscriptionGroupWrapper,
  newSubscriptionGroupConfig,
  type SubscriptionGroupConfig,
} from '../../protocol/bodies/subscription-group-config.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { ConfigFile } from '../config-file.js';
import { isSysConsumerGroup } from '../topic/topic-validator.js';

/** Built-in groups RocketMQ creates at boot (MixAll). */
const SYSTEM_GROUPS: Array<[string, boolean]> = [
  ['TOOLS_CONSUMER', false],
  ['FILTERSRV_CONSUMER', false],
  ['SELF_TEST_C_GROUP', false],
  ['CID_ONS-HTTP-PROXY', true],
  ['CID_ONSAPI_PULL', true],
  ['CID_ONSAPI_PERMISSION', true],
  ['CID_ONSAPI_OWNER', true],
];

/** Consumer-group settings (SubscriptionGroupManager), persisted in `config/subscriptionGroup.json`. */
export class SubscriptionGroupManager extends ConfigFile {
  readonly table = new Map<string, SubscriptionGroupConfig>();
  dataVersion: DataVersion = newDataVersion();

  constructor(
    private readonly config: BrokerConfig,
    log: Logger,
  ) {
    super(log);
    for (const [name, broadcast] of SYSTEM_GROUPS) {
      this.table.set(
        name,
        newSubscriptionGroupConfig(name, broadcast ? { consumeBroadcastEnable: true } : {}),
      );
    }
  }

  configFilePath(): string {
    return join(this.config.storePathRootDir, 'config', 'subscriptionGroup.json');
  }

  encode(): string {
    return encodeSubscriptionGroupWrapper({
      subscriptionGroupTable: Object.fromEntries(this.table),
      dataVersion: this.dataVersion,
    }).toString('utf8');
  }

  decode(text: string): void {
    const w = decodeSubscriptionGroupWrapper(text);
    for (const [k, v] of Object.entries(w.subscriptionGroupTable)) this.table.set(k, v);
    this.dataVersion = w.dataVersion;
  }

  /** The group's config, auto-created when allowed (findSubscriptionGroupConfig). */
  find(group: string): SubscriptionGroupConfig | undefined {
    let c = this.table.get(group);
    if (!c && (this.config.autoCreateSubscriptionGroup || isSysConsumerGroup(group))) {
      c = newSubscriptionGroupConfig(group);
      this.table.set(group, c);
      this.log.info({ group }, 'auto create subscription group');
      this.bump();
    }
    return c;
  }

  update(c: SubscriptionGroupConfig): void {
    this.table.set(c.groupName, c);
    this.bump();
  }

  delete(group: string): boolean {
    if (!this.table.delete(group)) return false;
    this.bump();
    return true;
  }

  private bump(): void {
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.persist();
  }
}
