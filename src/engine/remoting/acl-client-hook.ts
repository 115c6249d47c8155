import { signRequest } from '../protocol/acl-signature.js';
import type { RpcHook } from './processor-table.js';

/** Plain-ACL credentials of a client (SessionCredentials). */
export interface AclCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
}

/** Both keys, or neither; one without the other is a mistake worth saying so. */
export function checkCredentials(accessKey?: string, secretKey?: string): AclCredentials | undefined {
  if (!accessKey && !secretKey) return undefined;
  if (!accessKey) throw new Error('a secretKey was given without an accessKey');
  if (!secretKey) throw new Error('an accessKey was given without a secretKey');
  return { accessKey, secretKey };
}

/** AclClientRPCHook: signs every outgoing request (AccessKey, SecurityToken, Signature extFields). */
export function aclClientHook(creds: AclCredentials): RpcHook {
  return {
    doBeforeRequest: (_addr, req) => signRequest(req, creds.accessKey, creds.secretKey, creds.securityToken),
  };
}
