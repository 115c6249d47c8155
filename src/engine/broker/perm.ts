import { Perm } from '../protocol/bodies/topic-config.js';

export { Perm };

export const isReadable = (perm: number): boolean => (perm & Perm.READ) !== 0;
export const isWriteable = (perm: number): boolean => (perm & Perm.WRITE) !== 0;
export const isInherited = (perm: number): boolean => (perm & Perm.INHERIT) !== 0;

/** `PermName.perm2String`: "RW-", "R--", ... as mqadmin prints. */
export function permToString(perm: number): string {
  return `${isReadable(perm) ? 'R' : '-'}${isWriteable(perm) ? 'W' : '-'}${isInherited(perm) ? 'X' : '-'}`;
}
