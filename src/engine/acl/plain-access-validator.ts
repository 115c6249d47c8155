import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../common/logger.js';
import { aclSignature } from '../protocol/acl-signature.js';
import type { RemotingCommand } from '../protocol/remoting-command.js';
import type { RpcHook } from '../remoting/processor-table.js';
import { type AccessRequest, parseAccessRequest } from './access-resource.js';
import { AclError } from './acl-error.js';
import {
  ADMIN_REQUEST_CODES,
  checkPermission,
  describeResource,
  isRetryTopic,
  Perm,
  parseResourcePerm,
} from './permission.js';
import {
  type AclDataVersion,
  type CompiledAcl,
  checkKeys,
  compilePlainAcl,
  formatPlainAcl,
  type PlainAccessConfig,
  type PlainAclDocument,
  parsePlainAcl,
  readPlainAclFile,
} from './plain-acl-config.js';

/** Message trace topic: PUB to it is always allowed (traces must not fail the traced send). */
const TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
/** The field the broker leaves out of the signed content (queryMsgByUniqueKey). */
const UNIQUE_KEY_QUERY = '_UNIQUE_KEY_QUERY';

export interface PlainAccessValidatorOptions {
  /** plain_acl.yml path. */
  file: string;
  logger?: Logger;
  /** How often the file is polled for changes (ms); 0 = no reload. Default 1000. */
  watchIntervalMs?: number;
}

/**
 * The broker's plain ACL (PlainPermissionManager + PlainAccessValidator): loads plain_acl.yml, reloads it
 * when it changes (a broken edit is logged and the previous rules stay), and checks every request. Used as
 * an RpcHook: a refused request throws AclError, which the transport answers with SYSTEM_ERROR.
 */
export class PlainAccessValidator {
  readonly file: string;
  private acl: CompiledAcl;
  private doc: PlainAclDocument;
  private digest: string;
  private readonly log: Logger | undefined;
  private readonly onFileChange = () => this.reloadIfChanged();
  private watching = false;

  /** Loads the file now; a missing or malformed file throws AclError naming it. */
  constructor(opts: PlainAccessValidatorOptions) {
    this.file = opts.file;
    this.log = opts.logger;
    const { doc, digest } = this.read();
    this.doc = doc;
    this.digest = digest;
    this.acl = compilePlainAcl(doc);
    const interval = opts.watchIntervalMs ?? 1000;
    if (interval > 0) {
      watchFile(this.file, { interval, persistent: false }, this.onFileChange);
      this.watching = true;
    }
  }

  private read(): { doc: PlainAclDocument; digest: string } {
    let body: string;
    try {
      body = readFileSync(this.file, 'utf8');
    } catch {
      return { doc: readPlainAclFile(this.file), digest: '' }; // throws the clear "does not exist" error
    }
    return { doc: parsePlainAcl(body, this.file), digest: createHash('md5').update(body).digest('hex') };
  }

  /** Re-reads the file if its content changed; returns whether new rules are in force. */
  reloadIfChanged(): boolean {
    let body: string;
    try {
      body = readFileSync(this.file, 'utf8');
    } catch (err) {
      this.log?.error(
        { file: this.file, err: (err as Error).message },
        'ACL file unreadable, keeping old rules',
      );
      return false;
    }
    const digest = createHash('md5').update(body).digest('hex');
    if (digest === this.digest) return false;
    try {
      const doc = parsePlainAcl(body, this.file);
      this.acl = compilePlainAcl(doc);
      this.doc = doc;
      this.digest = digest;
      this.log?.info({ file: this.file, accounts: this.acl.accounts.size }, 'ACL file reloaded');
      return true;
    } catch (err) {
      this.digest = digest; // do not log the same broken content every poll
      this.log?.error({ err: (err as Error).message }, 'ACL file invalid, keeping old rules');
      return false;
    }
  }

  /** The document as last loaded (a copy). */
  document(): PlainAclDocument {
    return structuredClone(this.doc);
  }

  get dataVersion(): AclDataVersion {
    return { ...this.acl.dataVersion };
  }

  /** Checks one request; throws AclError (with RocketMQ's wording) when it is refused. */
  check(remoteAddr: string, req: RemotingCommand): void {
    this.validate(parseAccessRequest(req, remoteAddr), req);
  }

  validate(need: AccessRequest, req: Pick<RemotingCommand, 'extFields' | 'body'>): void {
    this.validateSigned(need, (secretKey) => this.signatureMatches(req, secretKey, need.signature));
  }

  /**
   * Checks `need` with `signed(secretKey)` telling whether the request was signed with the account's
   * secret key (classic requests sign their fields, RocketMQ 5 gRPC calls their x-mq-date-time).
   */
  validateSigned(need: AccessRequest, signed: (secretKey: string) => boolean): void {
    const acl = this.acl;
    for (const white of acl.globalWhite) if (white(need.ip)) return;
    if (need.accessKey === undefined || need.accessKey === null)
      throw new AclError('No accessKey is configured');
    const owned = acl.accounts.get(need.accessKey);
    if (!owned) throw new AclError(`No acl config for ${need.accessKey}`);
    if (owned.matchesWhiteAddress(need.ip)) return;
    if (!signed(owned.secretKey)) {
      throw new AclError(`Check signature failed for accessKey=${need.accessKey}`);
    }
    if (need.resources.get(TRACE_TOPIC) === Perm.PUB) return;
    if (ADMIN_REQUEST_CODES.has(need.code) && !owned.admin) {
      throw new AclError(
        `Need admin permission for request code=${need.code}, but accessKey=${owned.accessKey} is not`,
      );
    }
    if (need.resources.size === 0) return;
    if (owned.resources.size === 0 && owned.admin) return;
    for (const [resource, perm] of need.resources) {
      const isGroup = isRetryTopic(resource);
      const has =
        owned.resources.get(resource) ?? (isGroup ? owned.defaultGroupPerm : owned.defaultTopicPerm);
      if (!checkPermission(perm, has)) {
        throw new AclError(`No default permission for ${describeResource(resource)}`);
      }
    }
  }

  private signatureMatches(
    req: Pick<RemotingCommand, 'extFields' | 'body'>,
    secretKey: string,
    signature: string | undefined,
  ): boolean {
    if (!signature) return false;
    const ext = req.extFields;
    if (aclSignature(ext, req.body, secretKey, ['Signature', UNIQUE_KEY_QUERY]) === signature) return true;
    // Java clients sign _UNIQUE_KEY_QUERY although Apache brokers leave it out: accept both.
    return ext?.[UNIQUE_KEY_QUERY] !== undefined && aclSignature(ext, req.body, secretKey) === signature;
  }

  /** This validator as a server RpcHook. */
  rpcHook(): RpcHook {
    return { doBeforeRequest: (remoteAddr, req) => this.check(remoteAddr, req) };
  }

  /**
   * Writes a new document (with the data version counter advanced) and puts it in force at once; the
   * file is replaced atomically so a concurrent reader never sees half of it.
   */
  write(mutate: (doc: PlainAclDocument) => void): void {
    const doc = this.document();
    mutate(doc);
    const prev = doc.dataVersion?.[0] ?? { timestamp: 0, counter: 0 };
    doc.dataVersion = [{ counter: prev.counter + 1, timestamp: Date.now() }];
    const body = formatPlainAcl(doc);
    const acl = compilePlainAcl(parsePlainAcl(body, this.file));
    const tmp = `${this.file}.tmp`;
    // The file holds secret keys: the rewrite keeps its permissions.
    writeFileSync(tmp, body, { mode: statSync(this.file).mode & 0o777 });
    renameSync(tmp, this.file);
    this.doc = doc;
    this.acl = acl;
    this.digest = createHash('md5').update(body).digest('hex');
  }

  // ---- the ACL admin request codes (UPDATE_AND_CREATE_ACL_CONFIG etc.) -------------------------------

  /**
   * Creates the account, or updates it: fields given replace the stored ones, others stay; `admin` is
   * always written (false when not given), as RocketMQ does. Keys and perm words are checked first.
   */
  updateAccessConfig(cfg: PlainAccessConfig): void {
    checkKeys(cfg.accessKey, cfg.secretKey, `account ${cfg.accessKey}`);
    for (const e of [...(cfg.topicPerms ?? []), ...(cfg.groupPerms ?? [])]) parseResourcePerm(e, true);
    this.write((doc) => {
      const i = doc.accounts.findIndex((a) => a.accessKey === cfg.accessKey);
      const merged: PlainAccessConfig =
        i >= 0 ? { ...doc.accounts[i] } : { accessKey: cfg.accessKey, secretKey: cfg.secretKey };
      merged.secretKey = cfg.secretKey;
      if (cfg.whiteRemoteAddress !== undefined) merged.whiteRemoteAddress = cfg.whiteRemoteAddress;
      merged.admin = cfg.admin === true;
      if (cfg.defaultTopicPerm) merged.defaultTopicPerm = cfg.defaultTopicPerm;
      if (cfg.defaultGroupPerm) merged.defaultGroupPerm = cfg.defaultGroupPerm;
      if (cfg.topicPerms !== undefined) merged.topicPerms = cfg.topicPerms;
      if (cfg.groupPerms !== undefined) merged.groupPerms = cfg.groupPerms;
      if (i >= 0) doc.accounts[i] = merged;
      else doc.accounts.push(merged);
    });
  }

  /** Removes the account; false when there is none with this accessKey. */
  deleteAccessConfig(accessKey: string): boolean {
    if (!accessKey || !this.doc.accounts.some((a) => a.accessKey === accessKey)) return false;
    this.write((doc) => {
      doc.accounts = doc.accounts.filter((a) => a.accessKey !== accessKey);
    });
    return true;
  }

  /**
   * Replaces globalWhiteRemoteAddresses. `file`, when given, must be this broker's ACL file (extra ACL
   * files are not supported); false otherwise.
   */
  updateGlobalWhiteAddrs(addrs: string[], file?: string): boolean {
    if (file && resolve(file) !== resolve(this.file)) return false;
    this.write((doc) => {
      doc.globalWhiteRemoteAddresses = addrs;
    });
    return true;
  }

  /** Version of the file, keyed by its path (GET_BROKER_CLUSTER_ACL_INFO's allAclFileVersion). */
  allVersions(): Record<string, AclDataVersion> {
    return { [this.file]: this.dataVersion };
  }

  /** Stops watching the file. */
  close(): void {
    if (this.watching) unwatchFile(this.file, this.onFileChange);
    this.watching = false;
  }
}
