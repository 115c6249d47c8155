import { type Expr, isBoolean } from './expression.js';
import { Sql92SyntaxError, type Token, type TokenKind, tokenize } from './lexer.js';
import { compareValues, JNumber, type Value } from './values.js';

/**
 * Recursive descent over SelectorParser.jj's grammar, with its precedence (OR < AND < =,<>,IS <
 * >,<,BETWEEN,IN < unary +,-,NOT) and the checks RocketMQ makes while compiling: only numbers are ordered
 * (`a > 'x'` is refused), NULL is tested with IS NULL, IN takes a property and string literals, BETWEEN's
 * constant bounds must be in order, and the whole selector must be a condition.
 */
export function parseSelector(src: string): Expr {
  const p = new Parser(tokenize(src));
  const e = p.orExpression();
  p.expectEnd();
  return asBoolean(e);
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
/** Java's Double.MIN_VALUE (smallest positive double). */
const DOUBLE_MIN = 4.9e-324;

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(offset = 0): Token {
    return this.toks[Math.min(this.i + offset, this.toks.length - 1)]!;
  }

  private isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'OP' && t.text === op;
  }

  private is(kind: TokenKind, offset = 0): boolean {
    return this.peek(offset).kind === kind;
  }

  private next(): Token {
    return this.toks[this.i++]!;
  }

  private fail(expected: string): never {
    const t = this.peek();
    const found = t.kind === 'EOF' ? 'the end' : `'${t.kind === 'STRING' ? `'${t.text}'` : t.text}'`;
    throw new Sql92SyntaxError(`expected ${expected} but found ${found} at column ${t.pos + 1}`);
  }

  private expectOp(op: string): void {
    if (!this.isOp(op)) this.fail(`'${op}'`);
    this.i++;
  }

  expectEnd(): void {
    if (!this.is('EOF')) this.fail('an operator or the end');
  }

  orExpression(): Expr {
    let l = this.andExpression();
    while (this.is('OR')) {
      this.i++;
      l = { k: 'or', l: asBoolean(l), r: asBoolean(this.andExpression()) };
    }
    return l;
  }

  private andExpression(): Expr {
    let l = this.equalityExpression();
    while (this.is('AND')) {
      this.i++;
      l = { k: 'and', l: asBoolean(l), r: asBoolean(this.equalityExpression()) };
    }
    return l;
  }

  private equalityExpression(): Expr {
    let l = this.comparisonExpression();
    for (;;) {
      if (this.isOp('=')) {
        this.i++;
        l = createEqual(l, this.comparisonExpression());
      } else if (this.isOp('<>')) {
        this.i++;
        l = { k: 'not', e: createEqual(l, this.comparisonExpression()) };
      } else if (this.is('IS') && this.is('NULL', 1)) {
        this.i += 2;
        l = { k: 'eq', l, r: NULL };
      } else if (this.is('IS') && this.is('NOT', 1) && this.is('NULL', 2)) {
        this.i += 3;
        l = { k: 'not', e: { k: 'eq', l, r: NULL } };
      } else if (this.is('IS')) {
        this.i++;
        this.fail('NULL or NOT NULL after IS');
      } else return l;
    }
  }

  private comparisonExpression(): Expr {
    let l = this.unaryExpr();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'OP' && (t.text === '>' || t.text === '>=' || t.text === '<' || t.text === '<=')) {
        this.i++;
        l = createOrdered(t.text, l, this.unaryExpr());
      } else if (this.is('BETWEEN') || (this.is('NOT') && this.is('BETWEEN', 1))) {
        const not = this.is('NOT');
        this.i += not ? 2 : 1;
        const low = this.unaryExpr();
        if (!this.is('AND')) this.fail('AND in BETWEEN … AND …');
        this.i++;
        const high = this.unaryExpr();
        l = not ? createNotBetween(l, low, high) : createBetween(l, low, high);
      } else if (this.is('IN') || (this.is('NOT') && this.is('IN', 1))) {
        const not = this.is('NOT');
        this.i += not ? 2 : 1;
        this.expectOp('(');
        const list = new Set<string>();
        for (;;) {
          if (!this.is('STRING')) this.fail('a string literal in the IN list');
          list.add(this.next().text);
          if (this.isOp(',')) this.i++;
          else break;
        }
        this.expectOp(')');
        if (l.k !== 'prop') throw new Sql92SyntaxError(`IN needs a property on its left, not ${describe(l)}`);
        l = { k: 'in', prop: l, list, not };
      } else return l;
    }
  }

  private unaryExpr(): Expr {
    if (this.isOp('+')) {
      this.i++;
      return this.unaryExpr();
    }
    if (this.isOp('-')) {
      this.i++;
      return { k: 'neg', e: this.unaryExpr() };
    }
    if (this.is('NOT')) {
      this.i++;
      return { k: 'not', e: asBoolean(this.unaryExpr()) };
    }
    return this.primaryExpr();
  }

  private primaryExpr(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'STRING':
        this.i++;
        return { k: 'const', v: t.text, bool: false };
      case 'DECIMAL':
        this.i++;
        return { k: 'const', v: decimal(t.text), bool: false };
      case 'FLOAT':
        this.i++;
        return { k: 'const', v: float(t.text), bool: false };
      case 'TRUE':
      case 'FALSE':
        this.i++;
        return { k: 'const', v: t.kind === 'TRUE', bool: true };
      case 'NULL':
        this.i++;
        return NULL;
      case 'ID':
        this.i++;
        return { k: 'prop', name: t.text };
      default:
        if (this.isOp('(')) {
          this.i++;
          const e = this.orExpression();
          this.expectOp(')');
          return e;
        }
        return this.fail('a property, a literal or (');
    }
  }
}

const NULL: Expr = { k: 'const', v: null, bool: true };

function decimal(text: string): JNumber {
  const digits = text.replace(/[lL]$/, '');
  const v = BigInt(digits);
  if (v < LONG_MIN || v > LONG_MAX) throw new Sql92SyntaxError(`${text} does not fit a long`);
  return new JNumber(v >= INT_MIN && v <= INT_MAX ? 'int' : 'long', v);
}

function float(text: string): JNumber {
  const v = Number(text);
  if (v === Number.POSITIVE_INFINITY)
    throw new Sql92SyntaxError(`${text} is greater than ${Number.MAX_VALUE}`);
  // RocketMQ refuses any floating literal below Double.MIN_VALUE, 0.0 included (write 0 instead).
  if (v < DOUBLE_MIN) throw new Sql92SyntaxError(`${text} is less than 4.9E-324`);
  return new JNumber('double', v);
}

function describe(e: Expr): string {
  if (e.k === 'const') return e.v === null ? 'NULL' : typeof e.v === 'string' ? `'${e.v}'` : String(e.v);
  if (e.k === 'prop') return e.name;
  return 'an expression';
}

function asBoolean(e: Expr): Expr {
  if (isBoolean(e)) return e;
  if (e.k === 'prop') return { k: 'cast', e };
  throw new Sql92SyntaxError(`${describe(e)} is not a condition`);
}

function createEqual(l: Expr, r: Expr): Expr {
  for (const x of [l, r]) {
    if (x.k === 'const' && x.v === null)
      throw new Sql92SyntaxError("NULL cannot be compared with '=' (use IS NULL)");
  }
  if (l.k === 'const' && r.k === 'const' && l.bool && !r.bool)
    throw new Sql92SyntaxError(`${describe(l)} cannot be compared with ${describe(r)}`);
  return { k: 'eq', l, r };
}

function checkOrderable(e: Expr): void {
  if (e.k === 'const') {
    if (e.v instanceof JNumber) return;
    throw new Sql92SyntaxError(`${describe(e)} cannot be compared with >, >=, < or <= (only numbers can)`);
  }
  if (isBoolean(e)) throw new Sql92SyntaxError('a condition cannot be compared with >, >=, < or <=');
}

function createOrdered(op: string, l: Expr, r: Expr): Expr {
  checkOrderable(l);
  checkOrderable(r);
  return { k: 'cmp', op: op as '>' | '>=' | '<' | '<=', l, r };
}

function createBetween(v: Expr, low: Expr, high: Expr): Expr {
  if (low.k === 'const' && high.k === 'const') {
    if (low.v === null || high.v === null) throw new Sql92SyntaxError('BETWEEN bounds cannot be NULL');
    if (compareValues(high.v as Exclude<Value, null>, low.v as Exclude<Value, null>) < 0)
      throw new Sql92SyntaxError(
        `BETWEEN ${describe(low)} AND ${describe(high)}: the lower bound must not exceed the upper`,
      );
  }
  return { k: 'and', l: createOrdered('>=', v, low), r: createOrdered('<=', v, high) };
}

function createNotBetween(v: Expr, low: Expr, high: Expr): Expr {
  return { k: 'or', l: createOrdered('<', v, low), r: createOrdered('>', v, high) };
}
