import { quoteFastjson } from './fastjson.js';
import { FrameError } from './frame-error.js';
import { javaHashMapOrder } from './java-hashmap-order.js';
import { languageFromByte } from './language.js';
import type { RemotingCommand } from './remoting-command.js';

/**
 * JSON header text as fastjson writes the RemotingCommand bean: keys in alphabetical order, nulls left
 * out, `serializeTypeCurrentRPC` included (protocol.md §1.3). extFields come out in Java HashMap order.
 */
export function jsonHeaderText(cmd: RemotingCommand): string {
  let s = `{"code":${cmd.code}`;
  const ext = cmd.extFields;
  if (ext) {
    s += ',"extFields":{';
    const order = javaHashMapOrder(Object.keys(ext));
    const keys = quotedKeys(order);
    let first = true;
    for (let i = 0; i < order.length; i++) {
      const v = ext[order[i]!];
      if (v === undefined || v === null) continue;
      if (!first) s += ',';
      s += keys[i]! + quoteFastjson(typeof v === 'string' ? v : String(v));
      first = false;
    }
    s += '}';
  }
  s += `,"flag":${cmd.flag},"language":${quoteFastjson(cmd.language)},"opaque":${cmd.opaque}`;
  if (cmd.remark !== undefined && cmd.remark !== null) s += `,"remark":${quoteFastjson(cmd.remark)}`;
  s += `,"serializeTypeCurrentRPC":"${cmd.serializeType === 1 ? 'ROCKETMQ' : 'JSON'}","version":${cmd.version}}`;
  return s;
}

// Key lists repeat (javaHashMapOrder hands back the same cached array for the same list): quote each
// list's keys once. Saves ~20% of a send reply's header encoding. Keyed by the array itself, so a list
// javaHashMapOrder did not cache (one key, or its cache full) is quoted on the spot and never kept.
const quotedKeyCache = new Map<string[], string[]>();

function quotedKeys(order: string[]): string[] {
  let q = quotedKeyCache.get(order);
  if (q) return q;
  q = order.map((k) => `${quoteFastjson(k)}:`);
  if (order.length > 1 && quotedKeyCache.size < 1024) quotedKeyCache.set(order, q);
  return q;
}

export function encodeJsonHeader(cmd: RemotingCommand): Buffer {
  return Buffer.from(jsonHeaderText(cmd), 'utf8');
}

function toInt(v: unknown, field: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'string' && /^[+-]?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new FrameError(`header field ${field} is not an integer: ${JSON.stringify(v)}`);
  }
  return n | 0;
}

/**
 * Reads a JSON header with the tolerance of Java's fastjson reader: extFields numbers/booleans become
 * strings, a numeric language is the enum ordinal, a missing language is JAVA, unknown keys are ignored.
 */
export function decodeJsonHeader(buf: Buffer, start: number, end: number): RemotingCommand {
  let h: unknown;
  try {
    h = JSON.parse(buf.toString('utf8', start, end));
  } catch (err) {
    throw new FrameError(`header is not JSON: ${(err as Error).message}`);
  }
  if (h === null || typeof h !== 'object' || Array.isArray(h))
    throw new FrameError('header is not a JSON object');
  const o = h as Record<string, unknown>;
  let language = 'JAVA';
  if (typeof o.language === 'string') language = o.language;
  else if (typeof o.language === 'number') language = languageFromByte(o.language);
  let extFields: Record<string, string> | undefined;
  const ext = o.extFields;
  if (ext !== undefined && ext !== null) {
    if (typeof ext !== 'object' || Array.isArray(ext))
      throw new FrameError('header extFields is not an object');
    const raw = ext as Record<string, unknown>;
    // Java peers send strings only: keep the parsed object then; coerce (fastjson-style) only when needed.
    let allStrings = true;
    for (const key in raw) {
      if (typeof raw[key] !== 'string') {
        allStrings = false;
        break;
      }
    }
    if (allStrings) {
      extFields = raw as Record<string, string>;
    } else {
      extFields = {};
      for (const key in raw) {
        const v = raw[key];
        if (v === null || v === undefined) continue;
        extFields[key] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
    }
  }
  const remark = o.remark;
  // serializeTypeCurrentRPC is informational only: the frame's type byte decides (§1.3).
  return {
    code: toInt(o.code, 'code', 0),
    language,
    version: toInt(o.version, 'version', 0),
    opaque: toInt(o.opaque, 'opaque', 0),
    flag: toInt(o.flag, 'flag', 0),
    remark: remark === undefined || remark === null ? undefined : String(remark),
    extFields,
    body: null,
    serializeType: 0,
  };
}
