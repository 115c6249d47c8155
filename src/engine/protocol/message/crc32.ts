import { createRequire } from 'node:module';
import { crc32 as zlibCrc32 } from 'node:zlib';

/**
 * CRC32 (IEEE, zlib's) of message bodies: every put, and every record a recovery or a slave's dispatch walks.
 * @node-rs/crc32 uses the CPU's carry-less multiply: ~0.35 µs per 1 KiB call against zlib's ~0.9 µs
 * here (zlib's call costs more than its hashing at that size). Where its prebuilt binary does not
 * exist for the platform, zlib's gives the same values.
 */
export function crc32(data: Uint8Array): number {
  return (impl ??= loadCrc32())(data);
}

/**
 * Loads the binding now rather than at the first CRC (its resolve and dlopen take ~6 ms): a server calls
 * this once it is up, so neither its start nor its first put waits for it.
 */
export function preloadCrc32(): void {
  impl ??= loadCrc32();
}

let impl: ((data: Uint8Array) => number) | undefined;

function loadCrc32(): (data: Uint8Array) => number {
  try {
    const rs = createRequire(import.meta.url)('@node-rs/crc32') as { crc32(d: Uint8Array): number };
    return (d: Uint8Array) => rs.crc32(d);
  } catch {
    return (d: Uint8Array) => zlibCrc32(d);
  }
}
