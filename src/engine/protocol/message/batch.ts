import { MAX_PROPERTIES_BYTES } from './record.js';

/** Batch body codec (§4.5, MessageDecoder.encodeMessage/encodeMessages/decodeMessages). */
export interface BatchItem {
  flag: number;
  body: Buffer;
  /** Encoded properties string (§4.4). */
  properties: string;
}

export function encodeBatchBody(items: readonly BatchItem[]): Buffer {
  const parts: Buffer[] = [];
  for (const it of items) {
    const props = Buffer.from(it.properties, 'utf8');
    if (props.length > MAX_PROPERTIES_BYTES) throw new RangeError('batch item properties too long');
    const size = 4 + 4 + 4 + 4 + 4 + it.body.length + 2 + props.length;
    const b = Buffer.allocUnsafe(size);
    b.writeInt32BE(size, 0);
    b.writeInt32BE(0, 4); // magic: 0 in batch bodies
    b.writeInt32BE(0, 8); // body CRC: 0, the broker computes it
    b.writeInt32BE(it.flag | 0, 12);
    b.writeInt32BE(it.body.length, 16);
    it.body.copy(b, 20);
    b.writeInt16BE(props.length, 20 + it.body.length);
    props.copy(b, 22 + it.body.length);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** Decode a batch body; bodies are views into `buf`. Throws on a malformed body. */
export function decodeBatchBody(buf: Buffer): BatchItem[] {
  const out: BatchItem[] = [];
  let p = 0;
  while (p < buf.length) {
    if (p + 22 > buf.length) throw new RangeError(`truncated batch item at ${p}`);
    const size = buf.readInt32BE(p);
    const flag = buf.readInt32BE(p + 12);
    const bodyLen = buf.readInt32BE(p + 16);
    if (bodyLen < 0 || p + 22 + bodyLen > buf.length) throw new RangeError(`bad batch body length at ${p}`);
    const body = buf.subarray(p + 20, p + 20 + bodyLen);
    const propsLen = buf.readInt16BE(p + 20 + bodyLen);
    const propsStart = p + 22 + bodyLen;
    if (propsLen < 0 || propsStart + propsLen > buf.length)
      throw new RangeError(`bad batch properties at ${p}`);
    const properties = buf.toString('utf8', propsStart, propsStart + propsLen);
    const next = propsStart + propsLen;
    if (size !== next - p) throw new RangeError(`batch item size mismatch at ${p}`);
    out.push({ flag, body, properties });
    p = next;
  }
  return out;
}
