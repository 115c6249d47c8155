import { evaluate, type Properties } from './expression.js';
import { Sql92SyntaxError } from './lexer.js';
import { parseSelector } from './parser.js';
import { Sql92EvalError } from './values.js';

export { Sql92SyntaxError };

/** A compiled SQL92 message selector (RocketMQ's MessageSelector.bySql). */
export interface Sql92Filter {
  readonly expression: string;
  /** True only when the selector evaluates to TRUE; unknown (a missing property) and errors don't match. */
  matches(props: Properties): boolean;
}

/** Compile a selector; throws Sql92SyntaxError with a message naming the problem and its column. */
export function compileSql92(expression: string): Sql92Filter {
  if (expression.trim() === '') throw new Sql92SyntaxError('empty SQL92 expression');
  const tree = parseSelector(expression);
  return {
    expression,
    matches(props: Properties): boolean {
      try {
        return evaluate(tree, props) === true;
      } catch (e) {
        if (e instanceof Sql92EvalError) return false;
        throw e;
      }
    },
  };
}
