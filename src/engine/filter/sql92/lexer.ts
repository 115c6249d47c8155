/**
 * Tokens of RocketMQ's SQL92 message selector (the JMS selector grammar of SelectorParser.jj): keywords
 * and identifiers ignore case, strings are single-quoted with '' for a quote, `--` and `/* … *\/`
 * comments are skipped.
 */
export type TokenKind =
  | 'NOT'
  | 'AND'
  | 'OR'
  | 'BETWEEN'
  | 'IN'
  | 'TRUE'
  | 'FALSE'
  | 'NULL'
  | 'IS'
  | 'DECIMAL'
  | 'FLOAT'
  | 'STRING'
  | 'ID'
  | 'OP'
  | 'EOF';

export interface Token {
  kind: TokenKind;
  /** Source text (for STRING: the unquoted value; for OP: the operator). */
  text: string;
  pos: number;
}

export class Sql92SyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Sql92SyntaxError';
  }
}

const KEYWORDS = new Set(['NOT', 'AND', 'OR', 'BETWEEN', 'IN', 'TRUE', 'FALSE', 'NULL', 'IS']);
const OPERATORS = ['<>', '>=', '<=', '=', '>', '<', '(', ')', ',', '+', '-'];

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdStart = (c: string) => /[A-Za-z_$]/.test(c);
const isIdPart = (c: string) => /[A-Za-z0-9_$]/.test(c);

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (src.startsWith('--', i)) {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new Sql92SyntaxError(`unterminated comment at column ${i + 1}`);
      i = end + 2;
      continue;
    }
    const start = i;
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new Sql92SyntaxError(`unterminated string starting at column ${start + 1}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += src[i];
        i++;
      }
      out.push({ kind: 'STRING', text: value, pos: start });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1] ?? ''))) {
      out.push(number(src, i));
      i += out[out.length - 1]!.text.length;
      continue;
    }
    if (isIdStart(c)) {
      while (i < n && isIdPart(src[i]!)) i++;
      const text = src.slice(start, i);
      const upper = text.toUpperCase();
      out.push({ kind: KEYWORDS.has(upper) ? (upper as TokenKind) : 'ID', text, pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new Sql92SyntaxError(`unexpected character '${c}' at column ${i + 1}`);
    out.push({ kind: 'OP', text: op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'EOF', text: '', pos: n });
  return out;
}

/** DECIMAL_LITERAL (`0` or a non-zero-led integer, optional L) or FLOATING_POINT_LITERAL. */
function number(src: string, at: number): Token {
  const float = /^(\d+\.\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|\d+[eE][+-]?\d+)/.exec(src.slice(at));
  if (float) return { kind: 'FLOAT', text: float[0], pos: at };
  const dec = /^(0|[1-9]\d*)[lL]?/.exec(src.slice(at))!;
  return { kind: 'DECIMAL', text: dec[0], pos: at };
}
