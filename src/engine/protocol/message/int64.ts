/**
 * 64-bit fields (offsets, timestamps, tags codes) as JS numbers.
 *
 * Why numbers and not BigInt: a number is exact up to 2^53 (8 PiB of commit log, or timestamps until the
 * year 285,000), which no broker reaches, and numbers keep the hot paths (append, dispatch, pull) free of
 * BigInt allocations. Writing splits into two int32 halves, which is exact for every safe integer,
 * negative ones included (sign-extended tags codes). Reading a value beyond 2^53 from a foreign file would
 * lose precision, so readInt64 checks the high word and throws instead of returning a wrong offset.
 * BigInt appears only where a caller explicitly asks for it (readInt64Big).
 */
const TWO_32 = 4294967296;

export function writeInt64(buf: Buffer, value: number, pos: number): void {
  const hi = Math.floor(value / TWO_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * TWO_32, pos + 4);
}

/**
 * writeInt64 through a DataView (big-endian): the put path's encoders keep one view per buffer, whose
 * stores the JIT inlines, where Buffer.writeInt32BE range-checks each call.
 */
export function setInt64(view: DataView, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_32);
  view.setInt32(pos, hi);
  view.setUint32(pos + 4, value - hi * TWO_32);
}

/** A DataView over exactly the bytes of `buf`. */
export function dataViewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function readInt64(buf: Buffer, pos: number): number {
  const hi = buf.readInt32BE(pos);
  if (hi > 0x1fffff || hi < -0x200000) throw new RangeError(`int64 at ${pos} exceeds 2^53`);
  return hi * TWO_32 + buf.readUInt32BE(pos + 4);
}

export function readInt64Big(buf: Buffer, pos: number): bigint {
  return buf.readBigInt64BE(pos);
}

/**
 * readInt64 for bytes that may be garbage (recovery, files another process may have damaged): NaN
 * instead of a throw when the value is beyond 2^53, so callers mark the field invalid and go on.
 */
export function readInt64OrNaN(buf: Buffer, pos: number): number {
  const hi = buf.readInt32BE(pos);
  if (hi > 0x1fffff || hi < -0x200000) return Number.NaN;
  return hi * TWO_32 + buf.readUInt32BE(pos + 4);
}
