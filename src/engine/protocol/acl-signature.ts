import { createHmac } from 'node:crypto';

/** extFields carrying the plain-ACL credentials (protocol.md §9). */
export const ACL_ACCESS_KEY = 'AccessKey';
export const ACL_SECURITY_TOKEN = 'SecurityToken';
export const ACL_SIGNATURE = 'Signature';

/**
 * The plain-ACL signature: HMAC-SHA1(secretKey) over the values (not keys) of every extField except
 * the excluded ones, in Java TreeMap key order (UTF-16 code units, which is JS's default sort), followed
 * by the body bytes; standard Base64. The broker also excludes `_UNIQUE_KEY_QUERY` (§9.2).
 */
export function aclSignature(
  extFields: Record<string, string> | undefined,
  body: Buffer | null | undefined,
  secretKey: string,
  exclude: readonly string[] = [ACL_SIGNATURE],
): string {
  const mac = createHmac('sha1', Buffer.from(secretKey, 'utf8'));
  if (extFields) {
    for (const key of Object.keys(extFields).sort()) {
      if (exclude.includes(key)) continue;
      const v = extFields[key];
      if (v !== undefined && v !== null) mac.update(v, 'utf8');
    }
  }
  if (body && body.length > 0) mac.update(body);
  return mac.digest('base64');
}

/** Client side (AclClientRPCHook): adds AccessKey (+ SecurityToken) and the Signature to a request. */
export function signRequest(
  cmd: { extFields?: Record<string, string>; body?: Buffer | null },
  accessKey: string,
  secretKey: string,
  securityToken?: string,
): void {
  const ext = (cmd.extFields ??= {});
  ext[ACL_ACCESS_KEY] = accessKey;
  if (securityToken) ext[ACL_SECURITY_TOKEN] = securityToken;
  delete ext[ACL_SIGNATURE];
  ext[ACL_SIGNATURE] = aclSignature(ext, cmd.body, secretKey);
}
