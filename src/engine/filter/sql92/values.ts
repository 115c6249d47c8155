/**
 * Values of the selector language with Java's types, because RocketMQ's comparisons depend on them:
 * an integer literal is an Integer when it fits 32 bits and a Long otherwise, a literal with a point or
 * exponent is a Double, and property values are Strings converted to the other side's type when compared
 * (Integer.valueOf, Long.valueOf, Double.valueOf; a string that does not convert is an evaluation error,
 * so the message does not match).
 */
export class JNumber {
  constructor(
    readonly type: 'int' | 'long' | 'double',
    /** bigint for int/long, number for double. */
    readonly v: bigint | number,
  ) {}

  toString(): string {
    return String(this.v);
  }
}

export type Value = null | boolean | string | JNumber;

/** A comparison that Java answers with an exception (a bad number, a bad type): no match. */
export class Sql92EvalError extends Error {}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function parseIntegral(s: string, type: 'int' | 'long'): JNumber {
  if (!/^[+-]?\d+$/.test(s)) throw new Sql92EvalError(`For input string: "${s}"`);
  const v = BigInt(s);
  const [min, max] = type === 'int' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
  if (v < min || v > max) throw new Sql92EvalError(`For input string: "${s}"`);
  return new JNumber(type, v);
}

/** Java Double.valueOf: surrounding whitespace allowed, NaN/Infinity, an optional f/F/d/D suffix. */
export function parseDouble(s: string): JNumber {
  const t = s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const m = /^([+-]?)(NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/.exec(t);
  if (!m || (m[2] === 'NaN' || m[2] === 'Infinity' ? /[fFdD]$/.test(t) : false))
    throw new Sql92EvalError(`For input string: "${s}"`);
  return new JNumber('double', Number(m[1] + m[2]));
}

function widen(n: JNumber, to: 'long' | 'double'): JNumber {
  return to === 'double' ? new JNumber('double', Number(n.v)) : new JNumber('long', n.v);
}

const RANK = { int: 0, long: 1, double: 2 } as const;

/** Java Double.compare: NaN above everything (and equal to itself), -0.0 below 0.0. */
function compareDouble(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  if (a === 0 && b === 0) return Object.is(a, -0) ? (Object.is(b, -0) ? 0 : -1) : Object.is(b, -0) ? 1 : 0;
  return 0;
}

function compareSame(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  if (a instanceof JNumber && b instanceof JNumber) {
    if (a.type === 'double') return compareDouble(a.v as number, b.v as number);
    return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  }
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const x = a as string;
  const y = b as string;
  return x < y ? -1 : x > y ? 1 : 0;
}

function typeOf(v: Exclude<Value, null>): 'boolean' | 'string' | 'int' | 'long' | 'double' {
  return v instanceof JNumber ? v.type : (typeof v as 'boolean' | 'string');
}

/** ComparisonExpression.__compare with string conversion on (as SelectorParser.parse sets it). */
export function compareValues(lv: Exclude<Value, null>, rv: Exclude<Value, null>): number {
  const lt = typeOf(lv);
  const rt = typeOf(rv);
  if (lt === rt) return compareSame(lv, rv);
  if (lt === 'boolean') {
    // Java casts the Boolean to String here and throws.
    if (rt === 'string') throw new Sql92EvalError('a boolean cannot be compared with a string');
    return -1;
  }
  if (lt === 'int' || lt === 'long' || lt === 'double') {
    const l = lv as JNumber;
    if (rt === 'string') {
      const r = lt === 'double' ? parseDouble(rv as string) : parseIntegral(rv as string, lt);
      return compareSame(l, r);
    }
    if (rt === 'boolean') return -1;
    const r = rv as JNumber;
    const to = RANK[l.type] > RANK[r.type] ? l.type : r.type;
    return compareSame(
      l.type === to ? l : widen(l, to as 'long' | 'double'),
      r.type === to ? r : widen(r, to as 'long' | 'double'),
    );
  }
  // lt === 'string'
  const s = lv as string;
  if (rt === 'boolean') return compareSame(s.toLowerCase() === 'true', rv);
  const r = rv as JNumber;
  const l = r.type === 'double' ? parseDouble(s) : parseIntegral(s, r.type);
  return compareSame(l, r);
}

/** Object.equals across Java types: same type and value (Integer 5 does not equal Long 5). */
export function javaEquals(a: Exclude<Value, null>, b: Exclude<Value, null>): boolean {
  if (a instanceof JNumber || b instanceof JNumber) {
    if (!(a instanceof JNumber && b instanceof JNumber) || a.type !== b.type) return false;
    // Double.equals compares bits: NaN equals NaN, 0.0 does not equal -0.0 (Object.is).
    return a.type === 'double' ? Object.is(a.v, b.v) : a.v === b.v;
  }
  return a === b;
}
