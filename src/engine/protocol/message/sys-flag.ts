/** Message sysFlag bits (MessageSysFlag.java), protocol §4.3. */
export const SysFlag = {
  COMPRESSED: 0x1,
  MULTI_TAGS: 0x2,
  TRANSACTION_NOT_TYPE: 0x0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  BORNHOST_V6: 0x10,
  STOREHOST_V6: 0x20,
  NEED_UNWRAP: 0x40,
  INNER_BATCH: 0x80,
  COMPRESSION_TYPE_MASK: 0x700,
} as const;

/** The transaction type bits (0x0, 0x4, 0x8 or 0xC). */
export function transactionValue(sysFlag: number): number {
  return sysFlag & SysFlag.TRANSACTION_ROLLBACK_TYPE;
}

export function resetTransactionValue(sysFlag: number, type: number): number {
  return (sysFlag & ~SysFlag.TRANSACTION_ROLLBACK_TYPE) | type;
}

/** Compression type from bits 8–10: 0 or 3 = zlib, 1 = lz4, 2 = zstd. */
export function compressionType(sysFlag: number): 'zlib' | 'lz4' | 'zstd' {
  const t = (sysFlag & SysFlag.COMPRESSION_TYPE_MASK) >> 8;
  return t === 1 ? 'lz4' : t === 2 ? 'zstd' : 'zlib';
}
