import { AclError, type PlainAccessValidator } from '../../acl/index.js';
import { encodeBrokerClusterAclConfig, splitCommaList } from '../../protocol/bodies/acl-config.js';
import { dataVersionToJson } from '../../protocol/bodies/data-version.js';
import { toFastjson } from '../../protocol/fastjson.js';
import { extStr, type RemotingCommand } from '../../protocol/remoting-command.js';
import { ResponseCode } from '../../protocol/response-code.js';
import type { BrokerController } from '../broker-controller.js';
import { fail, ok } from './responses.js';

const NOT_ENABLED = 'ACL is not enabled on this broker (set aclEnable=true in broker.conf)';

function reason(err: unknown): string {
  return err instanceof AclError ? err.reason : (err as Error).message;
}

/** Runs an ACL file change; a refused change (or ACL off) becomes `failCode` with the reason. */
function change(
  ctl: BrokerController,
  req: RemotingCommand,
  failCode: number,
  fn: (acl: PlainAccessValidator) => string | undefined,
): RemotingCommand {
  if (!ctl.acl) return fail(req, failCode, NOT_ENABLED);
  try {
    const refused = fn(ctl.acl);
    return refused ? fail(req, failCode, refused) : ok(req);
  } catch (err) {
    ctl.log.warn({ code: req.code, err: reason(err) }, 'ACL config change refused');
    return fail(req, failCode, reason(err));
  }
}

/** UPDATE_AND_CREATE_ACL_CONFIG (50): create or update one account in plain_acl.yml. */
export function updateAndCreateAccessConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return change(ctl, req, ResponseCode.UPDATE_AND_CREATE_ACL_CONFIG_FAILED, (acl) => {
    const accessKey = extStr(req, 'accessKey');
    acl.updateAccessConfig({
      accessKey,
      secretKey: extStr(req, 'secretKey', false) ?? '',
      whiteRemoteAddress: extStr(req, 'whiteRemoteAddress', false),
      admin: extStr(req, 'admin', false) === 'true',
      defaultTopicPerm: extStr(req, 'defaultTopicPerm', false),
      defaultGroupPerm: extStr(req, 'defaultGroupPerm', false),
      topicPerms: splitCommaList(extStr(req, 'topicPerms', false)),
      groupPerms: splitCommaList(extStr(req, 'groupPerms', false)),
    });
    ctl.log.info({ accessKey }, 'ACL account created or updated');
    return undefined;
  });
}

/** DELETE_ACL_CONFIG (51): remove one account. */
export function deleteAccessConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return change(ctl, req, ResponseCode.DELETE_ACL_CONFIG_FAILED, (acl) => {
    const accessKey = extStr(req, 'accessKey');
    if (!acl.deleteAccessConfig(accessKey))
      return `The accesskey[${accessKey}] does not exist in ${acl.file}`;
    ctl.log.info({ accessKey }, 'ACL account deleted');
    return undefined;
  });
}

/** UPDATE_GLOBAL_WHITE_ADDRS_CONFIG (53): replace globalWhiteRemoteAddresses. */
export function updateGlobalWhiteAddrsConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  return change(ctl, req, ResponseCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED, (acl) => {
    const addrs = splitCommaList(extStr(req, 'globalWhiteAddrs')) ?? [];
    const file = extStr(req, 'aclFileFullPath', false);
    if (!acl.updateGlobalWhiteAddrs(addrs, file)) {
      return `aclFileFullPath ${file} is not this broker's ACL file (${acl.file})`;
    }
    return undefined;
  });
}

/** GET_BROKER_CLUSTER_ACL_INFO (52): the ACL file's data version, in the reply header. */
export function getBrokerAclConfigVersion(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  if (!ctl.acl) return fail(req, ResponseCode.SYSTEM_ERROR, NOT_ENABLED);
  const all: Record<string, unknown> = {};
  for (const [file, v] of Object.entries(ctl.acl.allVersions()))
    all[file] = { counter: v.counter, timestamp: v.timestamp };
  return ok(req, {
    version: dataVersionToJson(ctl.acl.dataVersion),
    allAclFileVersion: toFastjson(all),
    brokerName: ctl.config.brokerName,
    brokerAddr: ctl.brokerAddr,
    clusterName: ctl.config.brokerClusterName,
  });
}

/** GET_BROKER_CLUSTER_ACL_CONFIG (54, RocketMQ 4.9.0–4.9.4): every account and the global white list. */
export function getBrokerClusterAclConfig(ctl: BrokerController, req: RemotingCommand): RemotingCommand {
  if (!ctl.acl) return fail(req, ResponseCode.SYSTEM_ERROR, NOT_ENABLED);
  const doc = ctl.acl.document();
  return ok(
    req,
    undefined,
    encodeBrokerClusterAclConfig({
      globalWhiteAddrs: doc.globalWhiteRemoteAddresses,
      plainAccessConfigs: doc.accounts,
    }),
  );
}
