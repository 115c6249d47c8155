import { compileSql92, type Sql92Filter } from '../../filter/sql92/index.js';
import { parseProperties, recordPropertiesString } from '../../protocol/message/index.js';

/**
 * Compiled SQL92 selectors by expression (Java's ConsumerFilterManager keeps one per topic and group; the
 * expression is what matters for the answer). Bounded: subscriptions change rarely, so a full table is
 * simply cleared.
 */
export class Sql92Filters {
  private readonly compiled = new Map<string, Sql92Filter>();

  constructor(private readonly max = 1024) {}

  /** The compiled selector; throws Sql92SyntaxError for a bad one. */
  get(expression: string): Sql92Filter {
    let f = this.compiled.get(expression);
    if (!f) {
      f = compileSql92(expression);
      if (this.compiled.size >= this.max) this.compiled.clear();
      this.compiled.set(expression, f);
    }
    return f;
  }

  /**
   * The pull path's second filter stage: evaluate the selector on a stored record's properties
   * (ExpressionMessageFilter.isMatchedByCommitLog). A record whose properties can't be read doesn't match.
   */
  recordFilter(expression: string): (record: Buffer) => boolean {
    const f = this.get(expression);
    return (record) => {
      let props: string;
      try {
        props = recordPropertiesString(record);
      } catch {
        return false;
      }
      return f.matches(parseProperties(props));
    };
  }
}
