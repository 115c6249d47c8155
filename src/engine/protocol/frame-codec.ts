import { FrameError } from './frame-error.js';
import { decodeJsonHeader, encodeJsonHeader, jsonHeaderText } from './header-json.js';
import { decodeRocketmqHeader, encodeRocketmqHeader } from './header-rocketmq.js';
import type { RemotingCommand } from './remoting-command.js';

/**
 * Largest frame accepted, counting the 4-byte length prefix: Netty's LengthFieldBasedFrameDecoder in
 * NettyDecoder compares length+4 against 16 MiB (protocol.md §1.1).
 */
export const MAX_FRAME_LENGTH = 16 * 1024 * 1024;

export { FrameError };

/** Header bytes for `cmd` in its own serialize type. */
export function encodeHeader(cmd: RemotingCommand): Buffer {
  return cmd.serializeType === 1 ? encodeRocketmqHeader(cmd) : encodeJsonHeader(cmd);
}

/** Writes the 8-byte prefix (length, type + header length) at `off`. */
function writePrefix(buf: Buffer, off: number, headerLen: number, bodyLen: number, type: number): void {
  buf.writeUInt32BE(4 + headerLen + bodyLen, off);
  buf.writeUInt32BE(((type & 0xff) << 24) | (headerLen & 0xffffff), off + 4);
}

/**
 * Encodes one frame into a single buffer (prefix + header + body). JSON headers are written straight into
 * the frame buffer, so the only copy of the body is the one into the frame.
 */
export function encodeFrame(cmd: RemotingCommand): Buffer {
  const body = cmd.bodyParts ? joinParts(cmd.bodyParts) : cmd.body;
  const bodyLen = body ? body.length : 0;
  if (cmd.serializeType === 1) {
    const header = encodeRocketmqHeader(cmd);
    const out = Buffer.allocUnsafe(8 + header.length + bodyLen);
    writePrefix(out, 0, header.length, bodyLen, 1);
    header.copy(out, 8);
    if (body) body.copy(out, 8 + header.length);
    return out;
  }
  const json = jsonHeaderText(cmd);
  const headerLen = Buffer.byteLength(json, 'utf8');
  checkHeaderLen(headerLen);
  const out = Buffer.allocUnsafe(8 + headerLen + bodyLen);
  writePrefix(out, 0, headerLen, bodyLen, 0);
  out.write(json, 8, headerLen, 'utf8');
  if (body) body.copy(out, 8 + headerLen);
  return out;
}

function joinParts(parts: readonly Buffer[]): Buffer | null {
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts as Buffer[]);
}

/**
 * Encodes the frame as [prefix+header, ...body] without copying the body (`bodyParts`, else `body`): for
 * bodies written with socket writev/cork. The header is encoded once, straight into its own buffer.
 */
export function encodeFrameParts(cmd: RemotingCommand): Buffer[] {
  const parts = cmd.bodyParts ?? (cmd.body ? [cmd.body] : []);
  let bodyLen = 0;
  for (const p of parts) bodyLen += p.length;
  if (bodyLen === 0) return [encodeFrame({ ...cmd, body: null, bodyParts: null })];
  let head: Buffer;
  if (cmd.serializeType === 1) {
    const header = encodeRocketmqHeader(cmd);
    checkHeaderLen(header.length);
    head = Buffer.allocUnsafe(8 + header.length);
    writePrefix(head, 0, header.length, bodyLen, 1);
    header.copy(head, 8);
  } else {
    const json = jsonHeaderText(cmd);
    const headerLen = Buffer.byteLength(json, 'utf8');
    checkHeaderLen(headerLen);
    head = Buffer.allocUnsafe(8 + headerLen);
    writePrefix(head, 0, headerLen, bodyLen, 0);
    head.write(json, 8, headerLen, 'utf8');
  }
  const out = [head];
  for (const p of parts) if (p.length > 0) out.push(p);
  return out;
}

function checkHeaderLen(len: number): void {
  if (len > 0xffffff) throw new FrameError(`header of ${len} bytes does not fit the 24-bit length field`);
}

/** Decodes one complete frame whose bytes (without the 4-byte length) are `frame`. */
export function decodeFrameBody(frame: Buffer): RemotingCommand {
  if (frame.length < 4)
    throw new FrameError(`frame of ${frame.length} bytes is shorter than its header word`);
  const word = frame.readUInt32BE(0);
  const type = word >>> 24;
  const headerLen = word & 0xffffff;
  if (headerLen > frame.length - 4) {
    throw new FrameError(`header length ${headerLen} exceeds frame length ${frame.length}`);
  }
  let cmd: RemotingCommand;
  if (type === 0) cmd = decodeJsonHeader(frame, 4, 4 + headerLen);
  else if (type === 1) cmd = decodeRocketmqHeader(frame, 4, 4 + headerLen);
  else throw new FrameError(`unknown serialize type ${type}`);
  const bodyStart = 4 + headerLen;
  cmd.body = bodyStart < frame.length ? frame.subarray(bodyStart) : null;
  return cmd;
}

/** Decodes a buffer holding exactly one whole frame including its length prefix (fixtures, tests). */
export function decodeFrame(buf: Buffer): RemotingCommand {
  const frames = new FrameDecoder().push(buf);
  if (frames.length !== 1) throw new FrameError(`expected one frame, got ${frames.length}`);
  return frames[0];
}

/**
 * Turns a byte stream into commands. Partial frames are kept until complete; chunks are only concatenated
 * once a whole frame is available, so a large frame arriving in many chunks costs one copy.
 * After a FrameError the decoder is poisoned: the connection has to be closed.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private pending = 0;
  /** Total bytes (prefix included) of the frame at the head, once known. */
  private need = 4;
  private failed: FrameError | null = null;

  constructor(private readonly maxFrameLength = MAX_FRAME_LENGTH) {}

  /** Bytes held for an incomplete frame. */
  get buffered(): number {
    return this.pending;
  }

  push(chunk: Buffer): RemotingCommand[] {
    if (this.failed) throw this.failed;
    if (chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.pending += chunk.length;
    if (this.pending < this.need) return [];
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    const out: RemotingCommand[] = [];
    let off = 0;
    try {
      while (buf.length - off >= 4) {
        const length = buf.readInt32BE(off);
        if (length < 4) throw new FrameError(`invalid frame length ${length}`);
        if (length + 4 > this.maxFrameLength) {
          throw new FrameError(`frame length ${length} exceeds the limit of ${this.maxFrameLength} bytes`);
        }
        const end = off + 4 + length;
        if (end > buf.length) {
          this.need = 4 + length;
          break;
        }
        out.push(decodeFrameBody(buf.subarray(off + 4, end)));
        off = end;
        this.need = 4;
      }
    } catch (err) {
      this.failed = err instanceof FrameError ? err : new FrameError(String((err as Error)?.message ?? err));
      throw this.failed;
    }
    if (off < buf.length) {
      // Keep the tail; if it is a small remainder of a big chunk, copy it so the big buffer can be freed.
      const rest = buf.subarray(off);
      this.chunks.push(rest.length < 4096 && buf.length > 65536 ? Buffer.from(rest) : rest);
      this.pending = rest.length;
      if (rest.length < 4) this.need = 4;
    }
    return out;
  }
}
