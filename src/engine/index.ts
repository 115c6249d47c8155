/**
 * mq's engine as a library: everything the CLI does, for Node applications that embed it.
 * - client: Producer, PushConsumer, PullConsumer (work against Apache RocketMQ 4.9.x too)
 * - admin: AdminClient (the DefaultMQAdminExt role)
 * - namesrv / broker: the servers; `startEmbeddedPair` runs both in this process
 * - store: the commit-log store on its own (no network)
 * - acl: RocketMQ plain ACL (plain_acl.yml) as the broker enforces it with aclEnable=true
 */

export { AclError, PlainAccessValidator, parsePlainAcl } from './acl/index.js';

export { AdminClient } from './admin/admin-client.js';
export { AdminError } from './admin/errors.js';
export {
  type BrokerConfig,
  BrokerConfigError,
  BrokerController,
  createBroker,
  parseBrokerConfig,
} from './broker/index.js';
export * from './client/index.js';
export { defaultStoreDir, type EmbeddedPair, startEmbeddedPair } from './embedded.js';
export { NamesrvController, startNamesrv } from './namesrv/index.js';
export { MessageStore } from './store/index.js';
export { MQ_VERSION, REMOTING_VERSION } from './version.js';
