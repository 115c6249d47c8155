import { RequestCode } from '../protocol/request-code.js';
import { AclError } from './acl-error.js';

/** Permission bits as plain ACL defines them (acl/common/Permission.java). */
export const Perm = {
  DENY: 1,
  ANY: 2,
  PUB: 4,
  SUB: 8,
} as const;

export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';

/**
 * Requests only an `admin: true` account may send, whatever its resource permissions: RocketMQ's five
 * (topic/group create and delete, broker config update) plus the ACL admin codes, which RocketMQ 4.9 leaves
 * open to every account (any account could grant itself admin) and which return every secret key.
 */
export const ADMIN_REQUEST_CODES: ReadonlySet<number> = new Set([
  RequestCode.UPDATE_AND_CREATE_TOPIC,
  RequestCode.UPDATE_BROKER_CONFIG,
  RequestCode.DELETE_TOPIC_IN_BROKER,
  RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
  RequestCode.DELETE_SUBSCRIPTIONGROUP,
  RequestCode.UPDATE_AND_CREATE_ACL_CONFIG,
  RequestCode.DELETE_ACL_CONFIG,
  RequestCode.UPDATE_GLOBAL_WHITE_ADDRS_CONFIG,
  RequestCode.GET_BROKER_CLUSTER_ACL_CONFIG,
]);

/** The perm words a yml may hold; anything else (or nothing) means DENY, as in Java. */
export function parsePerm(text: string | undefined | null): number {
  switch (text?.trim()) {
    case 'PUB':
      return Perm.PUB;
    case 'SUB':
      return Perm.SUB;
    case 'PUB|SUB':
    case 'SUB|PUB':
      return Perm.PUB | Perm.SUB;
    default:
      return Perm.DENY;
  }
}

export function permToString(perm: number): string {
  if (perm & Perm.DENY) return 'DENY';
  const pub = (perm & Perm.PUB) !== 0;
  const sub = (perm & Perm.SUB) !== 0;
  return pub && sub ? 'PUB|SUB' : pub ? 'PUB' : sub ? 'SUB' : 'DENY';
}

/** Does `owned` grant `needed`? DENY wins; ANY is satisfied by PUB or SUB. */
export function checkPermission(needed: number, owned: number): boolean {
  if (owned & Perm.DENY) return false;
  if (needed & Perm.ANY) return (owned & (Perm.PUB | Perm.SUB)) !== 0;
  return (needed & owned) !== 0;
}

export function isRetryTopic(resource: string): boolean {
  return resource.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

/** Groups are stored and checked as their retry topic. */
export function groupResource(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}

/** "topic:X" or "group:Y", as refusals name a resource. */
export function describeResource(resource: string): string {
  return isRetryTopic(resource)
    ? `group:${resource.slice(RETRY_GROUP_TOPIC_PREFIX.length)}`
    : `topic:${resource}`;
}

/**
 * One `name=PERM` entry of topicPerms/groupPerms. `strict` (the admin update path) also refuses an
 * unknown perm word instead of reading it as DENY, as Java's checkResourcePerms does.
 */
export function parseResourcePerm(entry: string, strict = false): [name: string, perm: number] {
  // Java splits with StringUtils.split, which drops empty pieces: "a==SUB" is two items.
  const items = String(entry)
    .split('=')
    .filter((s) => s.length > 0);
  if (items.length !== 2) {
    throw new AclError(
      `resource permission ${JSON.stringify(entry)} is not of the form name=PERM (e.g. topicA=SUB)`,
    );
  }
  const word = items[1].trim();
  const perm = parsePerm(word);
  if (strict && perm === Perm.DENY && word !== 'DENY') {
    throw new AclError(
      `resource permission ${JSON.stringify(entry)}: the permission must be DENY, PUB, SUB, PUB|SUB or SUB|PUB`,
    );
  }
  return [items[0].trim(), perm];
}
