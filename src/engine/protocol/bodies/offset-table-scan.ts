import type { ConsumerOffsetTable } from './offset-tables.js';

/**
 * One pass over consumerOffset.json's usual shape, `{"offsetTable":{"topic@group":{0:12,1:7},…}}` (any
 * whitespace, as Java's pretty-printed file has; quoted or bare queue ids; a 5.x `dataVersion` member),
 * straight into the table. With 100,000 topic@group entries (6.7 MB) the general route (quote the bare keys,
 * JSON.parse, copy the objects into Maps) took ~1.1 s of the broker's start and ~100 MB of garbage; this
 * takes a few tens of ms. Anything else — escapes in a name, fractions, exponents, leading zeros, queue ids
 * out of ascending order, other members — returns undefined and the general parser decides, so both routes
 * always agree on what they accept.
 */
export function scanConsumerOffsetTable(text: Buffer | string): ConsumerOffsetTable | undefined {
  // Bytes, not the string: a key sliced from a string would keep the whole file's text alive.
  const s = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  // Names cannot need escapes; a file with any is left whole to the general parser.
  if (s.includes(BACKSLASH)) return undefined;
  const sc = new Scanner(s);
  let table: ConsumerOffsetTable | undefined;
  if (!sc.take(OPEN)) return undefined;
  if (!sc.take(CLOSE)) {
    do {
      const name = sc.string();
      if (name === undefined || !sc.take(COLON)) return undefined;
      if (name === 'offsetTable') {
        if (table) return undefined;
        table = sc.offsetTable();
        if (!table) return undefined;
      } else if (name !== 'dataVersion' || !sc.skipFlatObject()) return undefined;
    } while (sc.take(COMMA));
    if (!sc.take(CLOSE)) return undefined;
  }
  sc.ws();
  return sc.i === s.length ? (table ?? new Map()) : undefined;
}

const OPEN = 0x7b;
const CLOSE = 0x7d;
const COLON = 0x3a;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** Up to 15 digits accumulate exactly in a double; longer runs go through Number() (correctly rounded). */
const EXACT_DIGITS = 15;

class Scanner {
  i = 0;
  constructor(readonly s: Buffer) {}

  ws(): void {
    const s = this.s;
    let c = s[this.i];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s[++this.i];
  }

  /** Skips whitespace, then consumes `ch` if it is next. */
  take(ch: number): boolean {
    this.ws();
    if (this.s[this.i] !== ch) return false;
    this.i++;
    return true;
  }

  /** A string (the text has no escapes: see scanConsumerOffsetTable), or undefined. */
  string(): string | undefined {
    if (!this.take(QUOTE)) return undefined;
    const start = this.i;
    const end = this.s.indexOf(QUOTE, start);
    if (end < 0) return undefined;
    this.i = end + 1;
    return this.s.toString('utf8', start, end);
  }

  /** An integer without leading zeros, or NaN. */
  int(): number {
    this.ws();
    const s = this.s;
    const start = this.i;
    let neg = false;
    if (s[this.i] === MINUS) {
      neg = true;
      this.i++;
    }
    const digits = this.i;
    let v = 0;
    let c = s[this.i];
    while (c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      c = s[++this.i];
    }
    const n = this.i - digits;
    if (n === 0 || (n > 1 && s[digits] === ZERO)) return Number.NaN;
    // A fraction or exponent would make it a double: the general parser's call.
    if (c === 0x2e || c === 0x65 || c === 0x45) return Number.NaN;
    if (n > EXACT_DIGITS) return Number(s.toString('latin1', start, this.i));
    return neg ? -v : v;
  }

  /**
   * A queue id, bare (`0:`) as fastjson writes it or quoted (`"0":`) as a standard JSON writer would; a
   * negative one is left to the general parser (it orders such keys differently).
   */
  queueId(): number {
    this.ws();
    const quoted = this.s[this.i] === QUOTE;
    if (quoted) this.i++;
    if (this.s[this.i] === MINUS) return Number.NaN;
    const q = this.int();
    return !quoted || this.s[this.i++] === QUOTE ? q : Number.NaN;
  }

  offsetTable(): ConsumerOffsetTable | undefined {
    const table: ConsumerOffsetTable = new Map();
    if (!this.take(OPEN)) return undefined;
    if (this.take(CLOSE)) return table;
    do {
      const key = this.string();
      if (key === undefined || !this.take(COLON) || !this.take(OPEN)) return undefined;
      const queues = new Map<number, number>();
      if (!this.take(CLOSE)) {
        let last = -1;
        do {
          const q = this.queueId();
          // Descending ids would come out in another order from the general route.
          if (!(q > last) || !this.take(COLON)) return undefined;
          const off = this.int();
          if (Number.isNaN(off)) return undefined;
          queues.set(q, off);
          last = q;
        } while (this.take(COMMA));
        if (!this.take(CLOSE)) return undefined;
      }
      table.set(key, queues);
    } while (this.take(COMMA));
    return this.take(CLOSE) ? table : undefined;
  }

  /** `{"counter":3,"timestamp":…}`: members that are plain numbers only. */
  skipFlatObject(): boolean {
    if (!this.take(OPEN)) return false;
    if (this.take(CLOSE)) return true;
    do {
      if (this.string() === undefined || !this.take(COLON) || Number.isNaN(this.int())) return false;
    } while (this.take(COMMA));
    return this.take(CLOSE);
  }
}
