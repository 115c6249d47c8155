/**
 * The HA stream is raw TCP, not remoting frames (protocol §8.2):
 * - slave → master: 8-byte big-endian int64 reports of the slave's max commit-log offset;
 * - master → slave: `[int64 masterPhyOffset][int32 size][size bytes of raw commit log]`, size 0 = heartbeat.
 */

/** Bytes of a master → slave transfer header: int64 offset + int32 size. */
export const TRANSFER_HEADER_SIZE = 12;
/** Bytes of one slave → master offset report. */
export const REPORT_SIZE = 8;

const TWO_32 = 4294967296;

/** Reads a big-endian int64 as a JS number (exact below 2^53, which commit-log offsets never exceed). */
export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
}

export function writeInt64(buf: Buffer, value: number, at: number): void {
  buf.writeInt32BE(Math.floor(value / TWO_32), at);
  buf.writeUInt32BE(value >>> 0, at + 4);
}

export function encodeTransferHeader(masterPhyOffset: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(TRANSFER_HEADER_SIZE);
  writeInt64(b, masterPhyOffset, 0);
  b.writeInt32BE(size, 8);
  return b;
}

export function encodeOffsetReport(maxPhyOffset: number): Buffer {
  const b = Buffer.allocUnsafe(REPORT_SIZE);
  writeInt64(b, maxPhyOffset, 0);
  return b;
}

/**
 * Accumulates slave reports. Like the Java master it keeps only the last complete 8-byte value of what
 * has arrived: older reports are superseded, a torn tail waits for its remaining bytes.
 */
export class OffsetReportReader {
  private carry: Buffer = Buffer.alloc(0);

  /** Feeds received bytes; returns the newest complete report, or undefined if none completed. */
  push(chunk: Buffer): number | undefined {
    const buf = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const whole = buf.length - (buf.length % REPORT_SIZE);
    this.carry = Buffer.from(buf.subarray(whole));
    return whole === 0 ? undefined : readInt64(buf, whole - REPORT_SIZE);
  }
}

export interface TransferChunk {
  masterPhyOffset: number;
  /** Raw commit-log bytes; empty for a heartbeat. A view into the receive buffer: consume before the next push. */
  data: Buffer;
}

/**
 * Splits the master's stream into transfer chunks. Bodies are handed out as views (no copy) when a whole
 * chunk sits inside one received buffer; partial chunks are carried over until complete.
 */
export class TransferChunkReader {
  private parts: Buffer[] = [];
  private length = 0;

  constructor(private readonly maxChunkSize = 64 * 1024 * 1024) {}

  /** Feeds received bytes; returns every chunk now complete, in stream order. */
  push(chunk: Buffer): TransferChunk[] {
    this.parts.push(chunk);
    this.length += chunk.length;
    if (this.length < TRANSFER_HEADER_SIZE) return [];
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    const out: TransferChunk[] = [];
    let pos = 0;
    while (buf.length - pos >= TRANSFER_HEADER_SIZE) {
      const size = buf.readInt32BE(pos + 8);
      if (size < 0 || size > this.maxChunkSize)
        throw new Error(`HA transfer chunk size ${size} out of range`);
      if (buf.length - pos < TRANSFER_HEADER_SIZE + size) break;
      const masterPhyOffset = readInt64(buf, pos);
      out.push({
        masterPhyOffset,
        data: buf.subarray(pos + TRANSFER_HEADER_SIZE, pos + TRANSFER_HEADER_SIZE + size),
      });
      pos += TRANSFER_HEADER_SIZE + size;
    }
    const rest = buf.subarray(pos);
    this.parts = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return out;
  }

  /** Bytes received but not yet part of a complete chunk. */
  get pendingBytes(): number {
    return this.length;
  }

  reset(): void {
    this.parts = [];
    this.length = 0;
  }
}
