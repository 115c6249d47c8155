import { FrameError } from './frame-error.js';
import { javaHashMapOrder } from './java-hashmap-order.js';
import { languageFromByte, languageToByte } from './language.js';
import type { RemotingCommand } from './remoting-command.js';

/** ROCKETMQ binary header (protocol.md §1.4): code16 lang8 version16 opaque32 flag32 remark ext. */
export function encodeRocketmqHeader(cmd: RemotingCommand): Buffer {
  const remark = cmd.remark ?? '';
  const remarkLen = remark ? Buffer.byteLength(remark, 'utf8') : 0;
  // Sizes first, then one buffer written in place (no per-field Buffer allocations).
  const keys: string[] = [];
  const vals: string[] = [];
  const lens: number[] = [];
  let extLen = 0;
  const ext = cmd.extFields;
  if (ext) {
    // Java writes the map in HashMap iteration order; match it so frames are byte-identical.
    for (const key of javaHashMapOrder(Object.keys(ext))) {
      const v = ext[key];
      if (v === undefined || v === null) continue;
      const val = String(v);
      const kl = Buffer.byteLength(key, 'utf8');
      const vl = Buffer.byteLength(val, 'utf8');
      keys.push(key);
      vals.push(val);
      lens.push(kl, vl);
      extLen += 6 + kl + vl;
    }
  }
  const out = Buffer.allocUnsafe(17 + remarkLen + 4 + extLen);
  let o = out.writeInt16BE((cmd.code << 16) >> 16, 0);
  o = out.writeInt8(languageToByte(cmd.language), o);
  o = out.writeInt16BE((cmd.version << 16) >> 16, o);
  o = out.writeInt32BE(cmd.opaque | 0, o);
  o = out.writeInt32BE(cmd.flag | 0, o);
  o = out.writeInt32BE(remarkLen, o);
  if (remarkLen) o += out.write(remark, o, remarkLen, 'utf8');
  o = out.writeInt32BE(extLen, o);
  for (let i = 0; i < keys.length; i++) {
    o = out.writeInt16BE(lens[2 * i], o);
    o += out.write(keys[i], o, lens[2 * i], 'utf8');
    o = out.writeInt32BE(lens[2 * i + 1], o);
    o += out.write(vals[i], o, lens[2 * i + 1], 'utf8');
  }
  return out;
}

function need(off: number, n: number, end: number, what: string): void {
  if (n < 0 || off + n > end) throw new FrameError(`ROCKETMQ header truncated reading ${what}`);
}

/** Decodes a ROCKETMQ header in buf[start, end). Zero-length keys/values decode as absent (Java: null). */
export function decodeRocketmqHeader(buf: Buffer, start: number, end: number): RemotingCommand {
  let o = start;
  need(o, 17, end, 'fixed fields');
  const code = buf.readInt16BE(o);
  const language = languageFromByte(buf.readInt8(o + 2));
  const version = buf.readInt16BE(o + 3);
  const opaque = buf.readInt32BE(o + 5);
  const flag = buf.readInt32BE(o + 9);
  const remarkLen = buf.readInt32BE(o + 13);
  o += 17;
  need(o, remarkLen, end, 'remark');
  const remark = remarkLen > 0 ? buf.toString('utf8', o, o + remarkLen) : undefined;
  o += remarkLen;
  need(o, 4, end, 'extFields length');
  const extLen = buf.readInt32BE(o);
  o += 4;
  need(o, extLen, end, 'extFields');
  let extFields: Record<string, string> | undefined;
  if (extLen > 0) {
    extFields = {};
    const extEnd = o + extLen;
    while (o < extEnd) {
      need(o, 2, extEnd, 'extFields key length');
      const kl = buf.readInt16BE(o);
      o += 2;
      need(o, kl, extEnd, 'extFields key');
      const key = buf.toString('utf8', o, o + kl);
      o += kl;
      need(o, 4, extEnd, 'extFields value length');
      const vl = buf.readInt32BE(o);
      o += 4;
      need(o, vl, extEnd, 'extFields value');
      if (kl > 0 && vl > 0) extFields[key] = buf.toString('utf8', o, o + vl);
      o += vl;
    }
  }
  return { code, language, version, opaque, flag, remark, extFields, body: null, serializeType: 1 };
}
