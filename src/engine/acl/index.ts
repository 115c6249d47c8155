export { type AccessRequest, parseAccessRequest } from './access-resource.js';
export { AclError } from './acl-error.js';
export {
  ADMIN_REQUEST_CODES,
  checkPermission,
  groupResource,
  Perm,
  parsePerm,
  parseResourcePerm,
  permToString,
} from './permission.js';
export { PlainAccessValidator, type PlainAccessValidatorOptions } from './plain-access-validator.js';
export {
  type AclAccount,
  type CompiledAcl,
  checkKeys,
  compilePlainAcl,
  defaultAclFile,
  formatPlainAcl,
  type PlainAccessConfig,
  type PlainAclDocument,
  parsePlainAcl,
  readPlainAclFile,
} from './plain-acl-config.js';
export { type AddressMatcher, compileAddressPattern, expandIPv6, hostOfRemote } from './remote-address.js';
export { readToolsCredentials } from './tools-credentials.js';
