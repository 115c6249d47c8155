import { compareValues, JNumber, javaEquals, parseDouble, Sql92EvalError, type Value } from './values.js';

/**
 * The compiled selector: a tree evaluated against a message's properties with SQL's three-valued logic
 * (null = unknown), as RocketMQ's filter expressions do. Only TRUE matches.
 */
export type Expr =
  | { k: 'const'; v: Value; bool: boolean }
  | { k: 'prop'; name: string }
  | { k: 'cmp'; op: '>' | '>=' | '<' | '<='; l: Expr; r: Expr }
  | { k: 'eq'; l: Expr; r: Expr }
  | { k: 'and' | 'or'; l: Expr; r: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'neg'; e: Expr }
  | { k: 'cast'; e: Expr }
  | { k: 'in'; prop: Expr; list: Set<string>; not: boolean };

export type Properties = Record<string, string | undefined>;

/** Whether the node is one of Java's BooleanExpressions (usable where a condition is expected). */
export function isBoolean(e: Expr): boolean {
  return e.k === 'const' ? e.bool : e.k !== 'prop' && e.k !== 'neg';
}

export function evaluate(e: Expr, props: Properties): Value {
  switch (e.k) {
    case 'const':
      return e.v;
    case 'prop':
      return props[e.name] ?? null;
    case 'cmp': {
      const lv = evaluate(e.l, props);
      if (lv === null) return null;
      const rv = evaluate(e.r, props);
      if (rv === null) return null;
      let c: number;
      if (typeof lv === 'string' && typeof rv === 'string') {
        // Two properties: both read as doubles, or it is an error.
        c = compareValues(toDouble(lv), toDouble(rv));
      } else c = compareValues(lv, rv);
      return e.op === '>' ? c > 0 : e.op === '>=' ? c >= 0 : e.op === '<' ? c < 0 : c <= 0;
    }
    case 'eq': {
      const lv = evaluate(e.l, props);
      const rv = evaluate(e.r, props);
      if ((lv === null) !== (rv === null)) return lv === null ? null : false;
      if (lv === null || rv === null) return true; // IS NULL of a missing property
      if (javaEquals(lv, rv)) return true;
      return compareValues(lv, rv) === 0;
    }
    case 'and': {
      const lv = evaluate(e.l, props) as boolean | null;
      if (lv === false) return false;
      const rv = evaluate(e.r, props) as boolean | null;
      if (rv === false) return false;
      return lv === null || rv === null ? null : true;
    }
    case 'or': {
      const lv = evaluate(e.l, props) as boolean | null;
      if (lv === true) return true;
      const rv = evaluate(e.r, props) as boolean | null;
      if (rv === true) return true;
      return lv === null || rv === null ? null : false;
    }
    case 'not': {
      const v = evaluate(e.e, props);
      return v === null ? null : !v;
    }
    case 'neg': {
      const v = evaluate(e.e, props);
      if (!(v instanceof JNumber)) return null;
      if (v.type === 'double') return new JNumber('double', -(v.v as number));
      const n = -(v.v as bigint);
      // Java's int/long negation wraps at the minimum value.
      const wrapped = v.type === 'int' ? BigInt.asIntN(32, n) : BigInt.asIntN(64, n);
      return new JNumber(v.type, wrapped);
    }
    case 'cast': {
      const v = evaluate(e.e, props);
      if (v === null) return null;
      return v === true;
    }
    case 'in': {
      const v = evaluate(e.prop, props);
      if (typeof v !== 'string') return null;
      return e.list.has(v) !== e.not;
    }
  }
}

function toDouble(s: string): JNumber {
  try {
    return parseDouble(s);
  } catch {
    throw new Sql92EvalError(`It's illegal to compare string by '>=', '>', '<', '<='. value=${s}`);
  }
}
