import {
  type BrokerClusterAclConfig,
  createAccessConfigHeader,
  decodeBrokerClusterAclConfig,
  type PlainAccessConfig,
} from '../protocol/bodies/acl-config.js';
import { type DataVersion, dataVersionFromObject } from '../protocol/bodies/data-version.js';
import { parseFastjson } from '../protocol/fastjson.js';
import { RequestCode } from '../protocol/request-code.js';
import type { AdminClient } from './admin-client.js';
import type { AddrFailure } from './cluster-ops.js';
import { AdminError } from './errors.js';

/** One broker (-b) or every master of a cluster (-c), as mqadmin's ACL commands take them. */
export type AclTarget = { brokerAddr?: string; clusterName?: string };

export interface AclVersionInfo {
  clusterName: string;
  brokerName: string;
  brokerAddr: string;
  version: DataVersion;
  /** ACL file path → its version. */
  allAclFileVersion: Record<string, DataVersion>;
}

async function targets(admin: AdminClient, t: AclTarget, what: string): Promise<string[]> {
  if (t.brokerAddr) return [t.brokerAddr];
  if (t.clusterName) return admin.masterAddrsOfCluster(t.clusterName);
  throw new AdminError(`${what} needs -b brokerAddr or -c clusterName`);
}

/** Runs `fn` on each target broker; with -b a failure throws, with -c failures are collected. */
async function eachBroker<R>(
  admin: AdminClient,
  t: AclTarget,
  what: string,
  fn: (addr: string) => Promise<R>,
): Promise<{ results: Array<{ addr: string; result: R }>; failed: AddrFailure[] }> {
  const results: Array<{ addr: string; result: R }> = [];
  const failed: AddrFailure[] = [];
  for (const addr of await targets(admin, t, what)) {
    try {
      results.push({ addr, result: await fn(addr) });
    } catch (err) {
      if (t.brokerAddr) throw err;
      failed.push({ addr, error: (err as Error).message });
    }
  }
  return { results, failed };
}

/** UPDATE_AND_CREATE_ACL_CONFIG on one broker. */
export async function updateAclAccount(
  admin: AdminClient,
  addr: string,
  cfg: PlainAccessConfig,
): Promise<void> {
  await admin.call(
    addr,
    'UPDATE_AND_CREATE_ACL_CONFIG',
    RequestCode.UPDATE_AND_CREATE_ACL_CONFIG,
    createAccessConfigHeader(cfg),
  );
}

export async function deleteAclAccount(admin: AdminClient, addr: string, accessKey: string): Promise<void> {
  await admin.call(addr, 'DELETE_ACL_CONFIG', RequestCode.DELETE_ACL_CONFIG, { accessKey });
}

export async function updateGlobalWhiteAddrs(
  admin: AdminClient,
  addr: string,
  addrs: string[],
  aclFileFullPath?: string,
): Promise<void> {
  await admin.call(addr, 'UPDATE_GLOBAL_WHITE_ADDRS_CONFIG', RequestCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG, {
    globalWhiteAddrs: addrs.join(','),
    aclFileFullPath: aclFileFullPath ?? '',
  });
}

export async function aclVersionInfo(admin: AdminClient, addr: string): Promise<AclVersionInfo> {
  const r = await admin.call(addr, 'GET_BROKER_CLUSTER_ACL_INFO', RequestCode.GET_BROKER_CLUSTER_ACL_INFO);
  const ext = r.extFields ?? {};
  const all: Record<string, DataVersion> = {};
  const parsed = ext.allAclFileVersion
    ? (parseFastjson(ext.allAclFileVersion) as Record<string, unknown>)
    : {};
  for (const [file, v] of Object.entries(parsed ?? {})) all[file] = dataVersionFromObject(v, file);
  return {
    clusterName: ext.clusterName ?? '',
    brokerName: ext.brokerName ?? '',
    brokerAddr: ext.brokerAddr ?? addr,
    version: ext.version
      ? dataVersionFromObject(parseFastjson(ext.version), 'version')
      : { counter: 0, timestamp: 0 },
    allAclFileVersion: all,
  };
}

export async function aclConfig(admin: AdminClient, addr: string): Promise<BrokerClusterAclConfig> {
  const r = await admin.call(
    addr,
    'GET_BROKER_CLUSTER_ACL_CONFIG',
    RequestCode.GET_BROKER_CLUSTER_ACL_CONFIG,
  );
  return r.body?.length
    ? decodeBrokerClusterAclConfig(r.body)
    : { globalWhiteAddrs: [], plainAccessConfigs: [] };
}

// ---- the mqadmin commands' engine side: -b or -c ------------------------------------------------------

export function updateAclConfigOn(admin: AdminClient, t: AclTarget, cfg: PlainAccessConfig) {
  return eachBroker(admin, t, 'updateAclConfig', (addr) => updateAclAccount(admin, addr, cfg));
}

export function deleteAccessConfigOn(admin: AdminClient, t: AclTarget, accessKey: string) {
  return eachBroker(admin, t, 'deleteAccessConfig', (addr) => deleteAclAccount(admin, addr, accessKey));
}

export function updateGlobalWhiteAddrOn(admin: AdminClient, t: AclTarget, addrs: string[], file?: string) {
  return eachBroker(admin, t, 'updateGlobalWhiteAddr', (addr) =>
    updateGlobalWhiteAddrs(admin, addr, addrs, file),
  );
}

export function clusterAclConfigVersionOn(admin: AdminClient, t: AclTarget) {
  return eachBroker(admin, t, 'clusterAclConfigVersion', (addr) => aclVersionInfo(admin, addr));
}

export function getAclConfigOn(admin: AdminClient, t: AclTarget) {
  return eachBroker(admin, t, 'getAccessConfigSubCommand', (addr) => aclConfig(admin, addr));
}
