import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AclError, defaultAclFile, PlainAccessValidator } from '../acl/index.js';
import type { Logger } from '../common/logger.js';
import type { BrokerConfig } from './config/broker-config.js';

/** rocketmqHome from broker.conf, else $ROCKETMQ_HOME (what RocketMQ's startup scripts set). */
export function resolveRocketmqHome(config: BrokerConfig): string {
  return config.rocketmqHome || process.env.ROCKETMQ_HOME || '';
}

function extraAclFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/**
 * The plain ACL validator when broker.conf says aclEnable=true, reading `<rocketmqHome>/conf/plain_acl.yml`
 * as RocketMQ does; undefined when ACL is off. No home, no file or a malformed file throws, so the broker
 * refuses to start rather than run open.
 */
export function createBrokerAcl(config: BrokerConfig, log: Logger): PlainAccessValidator | undefined {
  if (!config.aclEnable) return undefined;
  const home = resolveRocketmqHome(config);
  if (!home) {
    throw new Error(
      'aclEnable=true but neither rocketmqHome (broker.conf) nor $ROCKETMQ_HOME is set: the ACL file is <rocketmqHome>/conf/plain_acl.yml',
    );
  }
  let validator: PlainAccessValidator;
  try {
    validator = new PlainAccessValidator({ file: defaultAclFile(home), logger: log });
  } catch (err) {
    // A startup error reads better without the Java class name refused requests carry.
    throw err instanceof AclError ? new Error(err.reason) : err;
  }
  log.info({ file: validator.file }, 'plain ACL enabled');
  const extra = extraAclFiles(join(home, 'conf', 'acl'));
  if (extra.length > 0) {
    log.warn(
      { files: extra },
      'ACL files under conf/acl (RocketMQ 4.9.7+ multi-file ACL) are not read: their accounts are refused',
    );
  }
  return validator;
}
