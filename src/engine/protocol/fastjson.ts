import { javaHashMapHash, javaHashOrder, javaLongHash } from './java-hashmap-order.js';

/**
 * fastjson compatibility (protocol.md §7, §7.11). Java bodies are `JSON.toJSONString(bean)`: bean keys
 * sorted, nulls omitted, and maps with non-String keys written with bare keys — numbers (`{0:"a"}`) or whole
 * JSON objects (`{{"brokerName":"b",...}:v}`). JSON.parse rejects both, hence this reader and writer.
 */

/**
 * A map written with non-string keys: number/bigint keys come out bare, object keys as their JSON.
 * Entries are sorted (numbers ascending, others by text) unless `javaTableSize` is set: then they come out
 * in Java HashMap iteration order for a table of that initial size (see `FastjsonMap.java`).
 */
export class FastjsonMap {
  constructor(
    readonly entries: Array<[key: string | number | bigint | object, value: unknown]>,
    readonly javaTableSize?: number,
  ) {}

  static from(obj: Record<string, unknown>, numericKeys = true): FastjsonMap {
    return new FastjsonMap(
      Object.entries(obj).map(([k, v]) => [numericKeys && /^-?\d+$/.test(k) ? toIntKey(k) : k, v]),
    );
  }

  /**
   * A Java `HashMap`/`ConcurrentHashMap` as fastjson writes it: iteration order of a hash table that
   * started at `tableSize` (16 = `new HashMap<>()`; `new ConcurrentHashMap<>(1024)` has 2048). With
   * `numericKeys`, decimal-text keys are Long keys (written bare, hashed as Long).
   */
  static java(
    obj: Record<string, unknown>,
    opts: { numericKeys?: boolean; tableSize?: number } = {},
  ): FastjsonMap {
    const numeric = opts.numericKeys === true;
    return new FastjsonMap(
      Object.entries(obj).map(([k, v]) => [numeric && /^-?\d+$/.test(k) ? toIntKey(k) : k, v]),
      opts.tableSize ?? 16,
    );
  }
}

/** A Java `HashSet<String>` as fastjson writes it (HashSet iteration order). */
export class FastjsonSet {
  constructor(
    readonly items: string[],
    readonly tableSize = 16,
  ) {}
}

function toIntKey(k: string): number | bigint {
  const n = Number(k);
  return Number.isSafeInteger(n) ? n : BigInt(k);
}

/** A Java double: integral values are written with ".0" as fastjson does (`0.0`, `1.0`). */
export class FastjsonDouble {
  constructor(readonly value: number) {}
}

export interface FastjsonWriteOptions {
  /**
   * fastjson with BrowserCompatible + QuoteFieldNames + MapSortField (the 4.9.4+ "standard" route form):
   * all keys quoted, non-ASCII and `/` escaped, longs outside ±2^53 written as strings.
   */
  standard?: boolean;
}

const HEX = '0123456789ABCDEF';

function hex4(c: number): string {
  return `\\u${HEX[(c >> 12) & 15]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const NEEDS_ESCAPE_STD = /["\\/\u0000-\u001f\u007f-\uffff]/;

/**
 * A JSON string literal as fastjson 1.2.69 writes it (checked against it over every BMP char): control
 * characters, U+007F..U+009F, U+2028 and U+2029 as uppercase `\uXXXX` (\b \t \n \f \r short).
 */
export function quoteFastjson(s: string, standard = false): string {
  if (!(standard ? NEEDS_ESCAPE_STD : NEEDS_ESCAPE).test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x2f && standard) out += '\\/';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || (standard ? c >= 0x7f : (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029)) {
      out += hex4(c);
    } else out += s[i];
  }
  return `${out}"`;
}

function javaKeyHash(k: string | number | bigint | object): number {
  if (typeof k === 'string') return javaHashMapHash(k);
  if (typeof k === 'number' || typeof k === 'bigint') return javaLongHash(k);
  return javaHashMapHash(toFastjson(k)); // object keys: no Java hashCode to copy; stable at least
}

function compareKeys(a: string | number | bigint | object, b: string | number | bigint | object): number {
  const an = typeof a === 'number' || typeof a === 'bigint';
  const bn = typeof b === 'number' || typeof b === 'bigint';
  if (an && bn) return a < b ? -1 : a > b ? 1 : 0;
  const as = typeof a === 'object' ? toFastjson(a) : String(a);
  const bs = typeof b === 'object' ? toFastjson(b) : String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

function writeNumber(n: number | bigint, standard: boolean): string {
  if (typeof n === 'bigint') {
    if (standard && (n > 9007199254740991n || n < -9007199254740991n)) return `"${n}"`;
    return n.toString();
  }
  if (!Number.isFinite(n)) return 'null';
  return String(n);
}

function writeDouble(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return `${v}.0`;
  return String(v);
}

/** Serialises like fastjson's JSON.toJSONString: plain objects are beans (keys sorted, nulls omitted). */
export function toFastjson(value: unknown, opts: FastjsonWriteOptions = {}): string {
  return write(value, opts.standard === true);
}

function write(v: unknown, std: boolean): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return quoteFastjson(v, std);
    case 'number':
    case 'bigint':
      return writeNumber(v, std);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (v instanceof FastjsonDouble) return writeDouble(v.value);
  if (Array.isArray(v) || v instanceof Set) {
    const parts: string[] = [];
    for (const item of v) parts.push(write(item, std));
    return `[${parts.join(',')}]`;
  }
  if (v instanceof FastjsonSet) {
    const items = std ? [...v.items].sort() : javaHashOrder(v.items, javaHashMapHash, v.tableSize);
    return `[${items.map((x) => quoteFastjson(x, std)).join(',')}]`;
  }
  if (v instanceof FastjsonMap || v instanceof Map) {
    let entries = v instanceof Map ? [...v.entries()] : [...v.entries];
    // Standard form is MapSortField: always sorted.
    if (v instanceof FastjsonMap && v.javaTableSize !== undefined && !std) {
      entries = javaHashOrder(entries, ([k]) => javaKeyHash(k), v.javaTableSize);
    } else {
      entries.sort((a, b) => compareKeys(a[0], b[0]));
    }
    const parts: string[] = [];
    for (const [k, val] of entries) {
      if (val === null || val === undefined) continue;
      let key: string;
      if (typeof k === 'number' || typeof k === 'bigint') key = std ? `"${k}"` : String(k);
      else if (typeof k === 'object') key = std ? quoteFastjson(write(k, std), std) : write(k, std);
      else key = quoteFastjson(k, std);
      parts.push(`${key}:${write(val, std)}`);
    }
    return `{${parts.join(',')}}`;
  }
  if (Buffer.isBuffer(v)) return quoteFastjson(v.toString('base64'), std);
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const val = obj[k];
    if (val === null || val === undefined) continue;
    parts.push(`${quoteFastjson(k, std)}:${write(val, std)}`);
  }
  return `{${parts.join(',')}}`;
}

export class FastjsonParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FastjsonParseError';
  }
}

export interface FastjsonReadOptions {
  /** Integers beyond ±2^53 become bigint (default true); otherwise they lose precision as numbers. */
  bigint?: boolean;
}

/**
 * Parses fastjson output. Map keys may be strings, bare numbers (kept as their digit text) or nested
 * objects/arrays, which become canonical key strings: the value's JSON with object keys sorted
 * (exactly what fastjson writes, e.g. `{"brokerName":"b","queueId":0,"topic":"t"}`) — see `parseObjectKey`.
 */
export function parseFastjson(text: string | Buffer, opts: FastjsonReadOptions = {}): unknown {
  const s = typeof text === 'string' ? text : text.toString('utf8');
  const fast = parseAsJson(s, opts.bigint !== false);
  if (fast !== NOT_JSON) return fast;
  const p = new Parser(s, opts.bigint !== false);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== s.length) p.fail('trailing characters');
  return v;
}

const NOT_JSON = Symbol('not JSON');
/** A run of 16+ digits: a possible integer beyond ±2^53, which JSON.parse would round. */
const LONG_DIGITS = /\d{16}/;

/**
 * The fast path: most bodies and config files (topics.json with 100,000 topics is 16 MB) are JSON once
 * fastjson's bare integer keys (`{0:5}`) are quoted, and V8's JSON.parse reads them 4–10× faster than the
 * Parser below. Anything else it rejects (object keys, single quotes, L suffixes, deep nesting) or might
 * read differently (long integers when bigint is wanted) goes to the Parser, which has the final word.
 */
function parseAsJson(s: string, big: boolean): unknown {
  if (big && LONG_DIGITS.test(s)) return NOT_JSON;
  try {
    return JSON.parse(s);
  } catch {
    // maybe bare integer keys: quote them and try once more
  }
  const quoted = quoteBareIntKeys(s);
  if (quoted === s) return NOT_JSON;
  try {
    return JSON.parse(quoted);
  } catch {
    return NOT_JSON;
  }
}

const BARE_INT_KEY = /([{,]\s*)(-?\d+)(\s*:)/g;

/**
 * `{0:5,-1:6}` → `{"0":5,"-1":6}` outside string literals: indexOf jumps over each string, a native
 * replace quotes the keys between them (a per-character loop or a regex with a callback is 5–10× slower).
 */
function quoteBareIntKeys(s: string): string {
  const parts: string[] = [];
  let from = 0;
  while (from < s.length) {
    const open = s.indexOf('"', from);
    const gap = s.slice(from, open < 0 ? s.length : open);
    parts.push(gap.replace(BARE_INT_KEY, '$1"$2"$3'));
    if (open < 0) break;
    let close = s.indexOf('"', open + 1);
    for (;;) {
      if (close < 0) return s; // unterminated: let the Parser say where
      let backslashes = 0;
      while (s.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) break;
      close = s.indexOf('"', close + 1);
    }
    parts.push(s.slice(open, close + 1));
    from = close + 1;
  }
  return parts.join('');
}

/** Canonical text for a map key that was a JSON object (sorted keys), as produced by parseFastjson. */
export function canonicalKey(v: unknown): string {
  return toFastjson(v);
}

/**
 * Reads back an object-valued map key: accepts the canonical text from parseFastjson and also the
 * "stringified JSON" key form that fastjson itself accepts (§7.11 item 3).
 */
export function parseObjectKey(key: string): Record<string, unknown> {
  const v = parseFastjson(key);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new FastjsonParseError(`map key is not an object: ${key}`);
  }
  return v as Record<string, unknown>;
}

const MAX_DEPTH = 512;

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly big: boolean,
  ) {}

  fail(msg: string): never {
    throw new FastjsonParseError(`${msg} at position ${this.i}`);
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"' || c === "'") return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (this.s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (this.s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (this.s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    return this.fail(
      c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`,
    );
  }

  object(depth: number): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      const key = this.key(depth);
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected ":"');
      this.i++;
      this.ws();
      const v = this.value(depth + 1);
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return out;
      }
      this.fail('expected "," or "}"');
    }
  }

  key(depth: number): string {
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) {
      const start = this.i;
      this.number();
      return this.s.slice(start, this.i);
    }
    if (c === '{' || c === '[') return canonicalKey(this.value(depth + 1));
    // fastjson also reads unquoted identifiers as keys.
    const m = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i, this.i + 256));
    if (!m) this.fail('expected a map key');
    this.i += m[0].length;
    return m[0];
  }

  array(depth: number): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return out;
      }
      this.fail('expected "," or "]"');
    }
  }

  string(): string {
    const s = this.s;
    const q = s[this.i];
    let i = this.i + 1;
    let out = '';
    let run = i;
    for (;;) {
      if (i >= s.length) {
        this.i = i;
        this.fail('unterminated string');
      }
      const c = s[i];
      if (c === q) break;
      if (c === '\\') {
        out += s.slice(run, i);
        const e = s[i + 1];
        i += 2;
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'u': {
            const h = s.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) {
              this.i = i;
              this.fail('bad \\u escape');
            }
            out += String.fromCharCode(Number.parseInt(h, 16));
            i += 4;
            break;
          }
          case 'x': {
            const h = s.slice(i, i + 2);
            if (!/^[0-9a-fA-F]{2}$/.test(h)) {
              this.i = i;
              this.fail('bad \\x escape');
            }
            out += String.fromCharCode(Number.parseInt(h, 16));
            i += 2;
            break;
          }
          case undefined:
            this.i = i;
            this.fail('unterminated string');
            break;
          default:
            out += e; // \" \\ \/ \' and fastjson's lenient others
        }
        run = i;
        continue;
      }
      i++;
    }
    out += s.slice(run, i);
    this.i = i + 1;
    return out;
  }

  number(): number | bigint {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s[i] === '-') i++;
    const digitsStart = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === digitsStart) {
      this.i = i;
      this.fail('bad number');
    }
    let isInt = true;
    if (s[i] === '.') {
      isInt = false;
      i++;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      isInt = false;
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    }
    // fastjson may suffix longs/floats with L, F, D, S, B when WriteClassName is on; accept them.
    const text = s.slice(start, i);
    if ('LFDSB'.includes(s[i] ?? '#')) i++;
    this.i = i;
    const n = Number(text);
    if (isInt && this.big && !Number.isSafeInteger(n)) return BigInt(text);
    if (Number.isNaN(n)) this.fail('bad number');
    return n;
  }
}
