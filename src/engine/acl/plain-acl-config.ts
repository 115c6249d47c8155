import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlainAccessConfig } from '../protocol/bodies/acl-config.js';
import { AclError } from './acl-error.js';
import { groupResource, parsePerm, parseResourcePerm } from './permission.js';
import { type AddressMatcher, compileAddressPattern } from './remote-address.js';
import { yamlLib } from './yaml-lib.js';

/** One `accounts:` entry of plain_acl.yml (also the ACL admin codes' wire form). */
export type { PlainAccessConfig };

export interface AclDataVersion {
  counter: number;
  timestamp: number;
}

/** The whole file: what the admin request codes read and write back. */
export interface PlainAclDocument {
  globalWhiteRemoteAddresses: string[];
  accounts: PlainAccessConfig[];
  dataVersion?: AclDataVersion[];
}

/** An account ready for checks: perms as bits, groups keyed by their retry topic. */
export interface AclAccount {
  accessKey: string;
  secretKey: string;
  admin: boolean;
  whiteRemoteAddress: string;
  matchesWhiteAddress: AddressMatcher;
  defaultTopicPerm: number;
  defaultGroupPerm: number;
  /** topic or `%RETRY%group` → perm bits; empty when the account lists none. */
  resources: Map<string, number>;
}

export interface CompiledAcl {
  globalWhite: AddressMatcher[];
  accounts: Map<string, AclAccount>;
  dataVersion: AclDataVersion;
}

/** Keys shorter than this (7 characters) are refused, as RocketMQ does. */
const MIN_KEY_LENGTH = 7;

/** `${home}/conf/plain_acl.yml`: where RocketMQ 4.9 keeps the plain ACL file. */
export function defaultAclFile(rocketmqHome: string): string {
  return join(rocketmqHome, 'conf', 'plain_acl.yml');
}

function text(v: unknown, where: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new AclError(`${where} must be a string, got ${Array.isArray(v) ? 'a list' : typeof v}`);
}

function list(v: unknown, where: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new AclError(`${where} must be a list`);
  return v.map((item, i) => text(item, `${where}[${i}]`) ?? '');
}

function bool(v: unknown, where: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new AclError(`${where} must be true or false, got ${JSON.stringify(v)}`);
}

/** Refuses keys RocketMQ refuses (missing, or 6 characters or fewer). */
export function checkKeys(ak: string | undefined, sk: string | undefined, where: string): void {
  if (!ak || ak.length < MIN_KEY_LENGTH || !sk || sk.length < MIN_KEY_LENGTH) {
    throw new AclError(
      `${where}: accessKey and secretKey are required and must be at least ${MIN_KEY_LENGTH} characters`,
    );
  }
}

function accountFrom(v: unknown, where: string): PlainAccessConfig {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new AclError(`${where} must be a mapping`);
  const o = v as Record<string, unknown>;
  const accessKey = text(o.accessKey, `${where}.accessKey`);
  const secretKey = text(o.secretKey, `${where}.secretKey`);
  checkKeys(accessKey, secretKey, where);
  const out: PlainAccessConfig = { accessKey: accessKey as string, secretKey: secretKey as string };
  const white = text(o.whiteRemoteAddress, `${where}.whiteRemoteAddress`);
  if (white !== undefined) out.whiteRemoteAddress = white;
  const admin = bool(o.admin, `${where}.admin`);
  if (admin !== undefined) out.admin = admin;
  const dt = text(o.defaultTopicPerm, `${where}.defaultTopicPerm`);
  if (dt !== undefined) out.defaultTopicPerm = dt;
  const dg = text(o.defaultGroupPerm, `${where}.defaultGroupPerm`);
  if (dg !== undefined) out.defaultGroupPerm = dg;
  const tp = list(o.topicPerms, `${where}.topicPerms`);
  if (tp) out.topicPerms = tp;
  const gp = list(o.groupPerms, `${where}.groupPerms`);
  if (gp) out.groupPerms = gp;
  return out;
}

function dataVersionFrom(v: unknown): AclDataVersion[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const first = v[0] as Record<string, unknown> | null;
  const timestamp = Number(first?.timestamp ?? 0);
  const counter = Number(first?.counter ?? 0);
  return [
    {
      timestamp: Number.isFinite(timestamp) ? timestamp : 0,
      counter: Number.isFinite(counter) ? counter : 0,
    },
  ];
}

/** Parses plain_acl.yml text; any problem is an AclError whose message starts with `source`. */
export function parsePlainAcl(yamlText: string, source: string): PlainAclDocument {
  try {
    const doc = yamlLib().parseDocument(yamlText, { prettyErrors: true });
    if (doc.errors.length > 0) {
      throw new AclError(`invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    }
    const data = doc.toJS() as unknown;
    if (data === null || data === undefined) return { globalWhiteRemoteAddresses: [], accounts: [] };
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new AclError('the top level must be a mapping (globalWhiteRemoteAddresses, accounts)');
    }
    const o = data as Record<string, unknown>;
    const accountsRaw = o.accounts;
    if (accountsRaw !== undefined && accountsRaw !== null && !Array.isArray(accountsRaw)) {
      throw new AclError('accounts must be a list');
    }
    const out: PlainAclDocument = {
      globalWhiteRemoteAddresses: list(o.globalWhiteRemoteAddresses, 'globalWhiteRemoteAddresses') ?? [],
      accounts: ((accountsRaw as unknown[] | null | undefined) ?? []).map((a, i) =>
        accountFrom(a, `accounts[${i}]`),
      ),
    };
    const dv = dataVersionFrom(o.dataVersion);
    if (dv) out.dataVersion = dv;
    // Compiling validates patterns and perm entries now, not on the first request.
    compilePlainAcl(out);
    return out;
  } catch (err) {
    const reason = err instanceof AclError ? err.reason : (err as Error).message;
    throw new AclError(`${source}: ${reason}`);
  }
}

/** Reads and parses the file; a missing or unreadable file is an AclError naming it. */
export function readPlainAclFile(file: string): PlainAclDocument {
  let body: string;
  try {
    body = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AclError(
      code === 'ENOENT'
        ? `ACL file ${file} does not exist (aclEnable=true needs it; see README "ACL")`
        : `cannot read ACL file ${file}: ${(err as Error).message}`,
    );
  }
  return parsePlainAcl(body, file);
}

function compileAccount(a: PlainAccessConfig, where: string): AclAccount {
  const resources = new Map<string, number>();
  for (const [i, e] of (a.groupPerms ?? []).entries()) {
    const [name, perm] = parseResourcePerm(e);
    if (!name) throw new AclError(`${where}.groupPerms[${i}]: empty group name`);
    resources.set(groupResource(name), perm);
  }
  for (const [i, e] of (a.topicPerms ?? []).entries()) {
    const [name, perm] = parseResourcePerm(e);
    if (!name) throw new AclError(`${where}.topicPerms[${i}]: empty topic name`);
    resources.set(name, perm);
  }
  return {
    accessKey: a.accessKey,
    secretKey: a.secretKey,
    admin: a.admin === true,
    whiteRemoteAddress: a.whiteRemoteAddress ?? '',
    matchesWhiteAddress: compileAddressPattern(a.whiteRemoteAddress),
    defaultTopicPerm: parsePerm(a.defaultTopicPerm),
    defaultGroupPerm: parsePerm(a.defaultGroupPerm),
    resources,
  };
}

/** The checkable form. A repeated accessKey keeps its first definition, as RocketMQ does. */
export function compilePlainAcl(doc: PlainAclDocument): CompiledAcl {
  const accounts = new Map<string, AclAccount>();
  doc.accounts.forEach((a, i) => {
    const acc = compileAccount(a, `accounts[${i}]`);
    if (!accounts.has(acc.accessKey)) accounts.set(acc.accessKey, acc);
  });
  return {
    globalWhite: doc.globalWhiteRemoteAddresses.map((p) => compileAddressPattern(p)),
    accounts,
    dataVersion: doc.dataVersion?.[0] ?? { timestamp: 0, counter: 0 },
  };
}

/** YAML text for a document (comments are not kept, as with RocketMQ's own rewrite). */
export function formatPlainAcl(doc: PlainAclDocument): string {
  return yamlLib().stringify(doc, { lineWidth: 0 });
}
