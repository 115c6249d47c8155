/** Offset msgId (§5): STOREHOST ip (4 or 16 bytes) + port int32 + commit-log offset int64, uppercase hex. */
export interface HostAddress {
  /** 4 bytes for IPv4, 16 for IPv6. */
  ip: Uint8Array;
  port: number;
}

const prefixCache = new WeakMap<HostAddress, string>();

/** Two uppercase hex digits per byte value. */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
/** The high 8 digits change once per 4 GiB of commit log: the last one is kept. */
let lastHi = -1;
let lastHiHex = '';

/** Hex of a non-negative safe integer as 16 uppercase digits (every put: table lookups, no toString). */
function hex16(n: number): string {
  const hi = Math.floor(n / 4294967296);
  const lo = n - hi * 4294967296;
  if (hi !== lastHi) {
    lastHi = hi;
    lastHiHex =
      HEX_BYTE[hi >>> 24]! + HEX_BYTE[(hi >>> 16) & 255]! + HEX_BYTE[(hi >>> 8) & 255]! + HEX_BYTE[hi & 255]!;
  }
  return (
    lastHiHex +
    HEX_BYTE[lo >>> 24]! +
    HEX_BYTE[(lo >>> 16) & 255]! +
    HEX_BYTE[(lo >>> 8) & 255]! +
    HEX_BYTE[lo & 255]!
  );
}

export function createOffsetMsgId(storeHost: HostAddress, phyOffset: number): string {
  // Hot path (every put): the host part is cached per host object.
  if (phyOffset >= 0) {
    let prefix = prefixCache.get(storeHost);
    if (prefix === undefined) {
      const b = Buffer.allocUnsafe(storeHost.ip.length + 4);
      b.set(storeHost.ip, 0);
      b.writeInt32BE(storeHost.port | 0, storeHost.ip.length);
      prefix = b.toString('hex').toUpperCase();
      prefixCache.set(storeHost, prefix);
    }
    return prefix + hex16(phyOffset);
  }
  const ipLen = storeHost.ip.length;
  const b = Buffer.allocUnsafe(ipLen + 12);
  b.set(storeHost.ip, 0);
  b.writeInt32BE(storeHost.port | 0, ipLen);
  b.writeBigInt64BE(BigInt(phyOffset), ipLen + 4);
  return b.toString('hex').toUpperCase();
}

/** The last IPv4 store host read by offsetMsgIdAt and its hex: a pull's records share one store host. */
let lastHostHi = -1;
let lastHostPort = -1;
let lastHostHex = '';

/**
 * Offset msgId of a stored record, its store host read in place: `buf[pos..]` holds the host's IP (4 bytes,
 * or 16 when `v6`) and int32 port (the pull path builds no host object per message).
 */
export function offsetMsgIdAt(buf: Buffer, pos: number, v6: boolean, phyOffset: number): string {
  if (v6 || phyOffset < 0) {
    const ipLen = v6 ? 16 : 4;
    return createOffsetMsgId(
      { ip: buf.subarray(pos, pos + ipLen), port: buf.readInt32BE(pos + ipLen) },
      phyOffset,
    );
  }
  const ip = buf.readUInt32BE(pos);
  const port = buf.readInt32BE(pos + 4);
  if (ip !== lastHostHi || port !== lastHostPort) {
    lastHostHi = ip;
    lastHostPort = port;
    lastHostHex = buf.toString('hex', pos, pos + 8).toUpperCase();
  }
  return lastHostHex + hex16(phyOffset);
}

export interface DecodedOffsetMsgId {
  ip: Buffer;
  port: number;
  /** "a.b.c.d:port" (or bracketless IPv6 text for 16-byte hosts). */
  address: string;
  offset: number;
}

export function decodeOffsetMsgId(msgId: string): DecodedOffsetMsgId {
  if (msgId.length !== 32 && msgId.length !== 56) throw new Error(`invalid offset msgId length: ${msgId}`);
  if (!/^[0-9a-fA-F]+$/.test(msgId)) throw new Error(`invalid offset msgId: ${msgId}`);
  const b = Buffer.from(msgId, 'hex');
  const ipLen = msgId.length === 32 ? 4 : 16;
  const ip = b.subarray(0, ipLen);
  const port = b.readInt32BE(ipLen);
  const offset = Number(b.readBigInt64BE(ipLen + 4));
  return { ip, port, address: `${ipToString(ip)}:${port}`, offset };
}

export function ipToString(ip: Uint8Array): string {
  if (ip.length === 4) return `${ip[0]}.${ip[1]}.${ip[2]}.${ip[3]}`;
  const parts: string[] = [];
  for (let i = 0; i < ip.length; i += 2) parts.push(((ip[i]! << 8) | ip[i + 1]!).toString(16));
  return parts.join(':');
}

/** Parse "a.b.c.d" (or "a.b.c.d:port") into 4 bytes; anything else throws. */
export function ipv4ToBytes(ip: string): Buffer {
  const host = ip.includes(':') ? ip.slice(0, ip.lastIndexOf(':')) : ip;
  const parts = host.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`);
  const b = Buffer.allocUnsafe(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(parts[i]);
    if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error(`not an IPv4 address: ${ip}`);
    b[i] = n;
  }
  return b;
}

/** "a.b.c.d:port" → HostAddress. */
export function parseHostAddress(addr: string): HostAddress {
  const i = addr.lastIndexOf(':');
  if (i < 0) throw new Error(`address without port: ${addr}`);
  return { ip: ipv4ToBytes(addr.slice(0, i)), port: Number(addr.slice(i + 1)) };
}

/** An address's IP as Java's InetAddress.getHostAddress writes it (IPv6: eight uncompressed hex groups). */
export function ipText(ip: Uint8Array): string {
  if (ip.length === 4) return `${ip[0]}.${ip[1]}.${ip[2]}.${ip[3]}`;
  const groups: string[] = [];
  for (let i = 0; i + 1 < ip.length; i += 2) groups.push(((ip[i]! << 8) | ip[i + 1]!).toString(16));
  return groups.join(':');
}
