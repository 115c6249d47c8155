import { toFastjson } from '../fastjson.js';
import { asArray, asBool, asObject, asString, parseBodyObject, utf8 } from './json-util.js';

/** One plain-ACL account (PlainAccessConfig.java): the yml entry and the wire form of the ACL admin codes. */
export interface PlainAccessConfig {
  accessKey: string;
  secretKey: string;
  whiteRemoteAddress?: string;
  admin?: boolean;
  defaultTopicPerm?: string;
  defaultGroupPerm?: string;
  topicPerms?: string[];
  groupPerms?: string[];
}

/** GET_BROKER_CLUSTER_ACL_CONFIG (54) reply body (GetBrokerClusterAclConfigResponseBody, 4.9.0–4.9.4). */
export interface BrokerClusterAclConfig {
  globalWhiteAddrs: string[];
  plainAccessConfigs: PlainAccessConfig[];
}

function accountBean(a: PlainAccessConfig): Record<string, unknown> {
  return {
    accessKey: a.accessKey,
    admin: a.admin === true,
    defaultGroupPerm: a.defaultGroupPerm,
    defaultTopicPerm: a.defaultTopicPerm,
    groupPerms: a.groupPerms,
    secretKey: a.secretKey,
    topicPerms: a.topicPerms,
    whiteRemoteAddress: a.whiteRemoteAddress,
  };
}

export function encodeBrokerClusterAclConfig(c: BrokerClusterAclConfig): Buffer {
  return utf8(
    toFastjson({
      globalWhiteAddrs: c.globalWhiteAddrs,
      plainAccessConfigs: c.plainAccessConfigs.map(accountBean),
    }),
  );
}

function optString(v: unknown, what: string): string | undefined {
  return v === undefined || v === null ? undefined : asString(v, what);
}

function optList(v: unknown, what: string): string[] | undefined {
  return v === undefined || v === null
    ? undefined
    : asArray(v, what).map((x, i) => asString(x, `${what}[${i}]`));
}

export function decodeBrokerClusterAclConfig(body: Buffer | string): BrokerClusterAclConfig {
  const o = parseBodyObject(body, 'GetBrokerClusterAclConfigResponseBody');
  return {
    globalWhiteAddrs: optList(o.globalWhiteAddrs, 'globalWhiteAddrs') ?? [],
    plainAccessConfigs: (o.plainAccessConfigs === undefined || o.plainAccessConfigs === null
      ? []
      : asArray(o.plainAccessConfigs, 'plainAccessConfigs')
    ).map((x, i) => {
      const what = `plainAccessConfigs[${i}]`;
      const a = asObject(x, what);
      const out: PlainAccessConfig = {
        accessKey: asString(a.accessKey, `${what}.accessKey`, ''),
        secretKey: asString(a.secretKey, `${what}.secretKey`, ''),
        admin: asBool(a.admin, `${what}.admin`, false),
      };
      const w = optString(a.whiteRemoteAddress, `${what}.whiteRemoteAddress`);
      if (w !== undefined) out.whiteRemoteAddress = w;
      const dt = optString(a.defaultTopicPerm, `${what}.defaultTopicPerm`);
      if (dt !== undefined) out.defaultTopicPerm = dt;
      const dg = optString(a.defaultGroupPerm, `${what}.defaultGroupPerm`);
      if (dg !== undefined) out.defaultGroupPerm = dg;
      const tp = optList(a.topicPerms, `${what}.topicPerms`);
      if (tp) out.topicPerms = tp;
      const gp = optList(a.groupPerms, `${what}.groupPerms`);
      if (gp) out.groupPerms = gp;
      return out;
    }),
  };
}

/** CreateAccessConfigRequestHeader (UPDATE_AND_CREATE_ACL_CONFIG, 50): perm lists comma-joined. */
export function createAccessConfigHeader(a: PlainAccessConfig): Record<string, string | boolean | undefined> {
  return {
    accessKey: a.accessKey,
    secretKey: a.secretKey,
    whiteRemoteAddress: a.whiteRemoteAddress,
    admin: a.admin === true,
    defaultTopicPerm: a.defaultTopicPerm,
    defaultGroupPerm: a.defaultGroupPerm,
    topicPerms: a.topicPerms?.join(','),
    groupPerms: a.groupPerms?.join(','),
  };
}

/** Splits a comma list as UtilAll.split does (empty pieces dropped); undefined stays undefined. */
export function splitCommaList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
