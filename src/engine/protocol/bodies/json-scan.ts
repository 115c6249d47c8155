/**
 * A cursor over the bytes of a big config file in the plain JSON shape fastjson writes (compact or Java's
 * pretty-printed form), for readers that build their table in one pass instead of JSON.parse + copying
 * (offset-table-scan.ts, topic-table-scan.ts). Every method returns undefined/NaN/false on anything it
 * does not expect, and its caller then leaves the whole text to the general parser, which has the final word.
 * Strings are read without escapes: `scanBytes` hands back no scanner for a text that has any.
 */
export class JsonScan {
  i = 0;
  private constructor(readonly s: Buffer) {}

  /**
   * Bytes, not the string: a name sliced from a string would keep the whole file's text alive. Undefined
   * when the text has an escape anywhere (names in these files cannot need one).
   */
  static of(text: Buffer | string): JsonScan | undefined {
    const s = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    return s.includes(BACKSLASH) ? undefined : new JsonScan(s);
  }

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

  /** Only whitespace is left. */
  atEnd(): boolean {
    this.ws();
    return this.i === this.s.length;
  }

  /** Start and end of the last string `span` read. */
  a = 0;
  b = 0;

  /** Reads a string, leaving its bytes at [a, b): no string is made (a key compared with `is` needs none). */
  span(): boolean {
    if (!this.take(QUOTE)) return false;
    // A JS loop: names are short, and Buffer.indexOf's call into C++ cost more than the scan itself.
    const s = this.s;
    let end = this.i;
    while (end < s.length && s[end] !== QUOTE) end++;
    if (end === s.length) return false;
    this.a = this.i;
    this.b = end;
    this.i = end + 1;
    return true;
  }

  /** The last span is `name` (ASCII bytes). */
  is(name: Uint8Array): boolean {
    const { s, a } = this;
    if (this.b - a !== name.length) return false;
    for (let k = 0; k < name.length; k++) if (s[a + k] !== name[k]) return false;
    return true;
  }

  /** The last span has the same bytes as [a, b). */
  same(a: number, b: number): boolean {
    const { s } = this;
    const d = this.a - a;
    if (this.b - this.a !== b - a) return false;
    for (let k = a; k < b; k++) if (s[k] !== s[k + d]) return false;
    return true;
  }

  text(): string {
    return this.s.toString('utf8', this.a, this.b);
  }

  string(): string | undefined {
    return this.span() ? this.text() : undefined;
  }

  /** An integer without leading zeros, fraction or exponent (those are the general parser's call), or NaN. */
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
    while (c !== undefined && c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      c = s[++this.i];
    }
    const n = this.i - digits;
    if (n === 0 || (n > 1 && s[digits] === ZERO)) return Number.NaN;
    if (c === 0x2e || c === 0x65 || c === 0x45) return Number.NaN;
    if (n > EXACT_DIGITS) return Number(s.toString('latin1', start, this.i));
    return neg ? -v : v;
  }

  /** `true` or `false`, else undefined. */
  bool(): boolean | undefined {
    this.ws();
    const s = this.s;
    const i = this.i;
    if (s[i] === 0x74 && s[i + 1] === 0x72 && s[i + 2] === 0x75 && s[i + 3] === 0x65) {
      this.i += 4;
      return true;
    }
    if (s[i] === 0x66 && s[i + 1] === 0x61 && s[i + 2] === 0x6c && s[i + 3] === 0x73 && s[i + 4] === 0x65) {
      this.i += 5;
      return false;
    }
    return undefined;
  }

  /** A string, integer or boolean member value nobody reads; false on anything else. */
  skipScalar(): boolean {
    this.ws();
    const c = this.s[this.i];
    if (c === QUOTE) return this.string() !== undefined;
    if (c === 0x74 || c === 0x66) return this.bool() !== undefined;
    return !Number.isNaN(this.int());
  }

  /**
   * `{"name":value,…}`: reads each member's name into the span [a, b) and its colon, then `member` reads the
   * value (take the name from the span first: reading the value moves it). False when the object's shape or
   * a member fails.
   */
  members(member: () => boolean): boolean {
    if (!this.take(OPEN)) return false;
    if (this.take(CLOSE)) return true;
    do {
      if (!this.span() || !this.take(COLON) || !member()) return false;
    } while (this.take(COMMA));
    return this.take(CLOSE);
  }

  /** `{"counter":3,"timestamp":…}`: an object whose members are integers. */
  intObject(): Map<string, number> | undefined {
    const out = new Map<string, number>();
    const ok = this.members(() => {
      const k = this.text();
      const v = this.int();
      out.set(k, v);
      return !Number.isNaN(v);
    });
    return ok ? out : undefined;
  }
}

/** Member names to compare spans with (`JsonScan.is`). */
export const names = <K extends string>(...keys: K[]): Record<K, Uint8Array> =>
  Object.fromEntries(keys.map((k) => [k, Buffer.from(k, 'latin1')])) as unknown as Record<K, Uint8Array>;

export const OPEN = 0x7b;
export const CLOSE = 0x7d;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const QUOTE = 0x22;
export const MINUS = 0x2d;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;
/** Up to 15 digits accumulate exactly in a double; longer runs go through Number() (correctly rounded). */
const EXACT_DIGITS = 15;
