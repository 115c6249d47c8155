import Table from 'cli-table3';
import { jformat } from './printf.js';

/** Tables on a terminal; mqadmin's printf columns when piped. MQ_TABLE=1 / MQ_PLAIN=1 force either. */
export function useTables(): boolean {
  if (process.env.MQ_PLAIN === '1') return false;
  if (process.env.MQ_TABLE === '1') return true;
  return process.stdout.isTTY === true;
}

export interface TableSpec {
  /** Column titles exactly as mqadmin prints them (`#Topic`, …). */
  head: string[];
  rows: unknown[][];
  /** printf format of the header line (mqadmin's), e.g. "%-64s  %-32s%n". */
  headFormat: string;
  /** printf format of a row; defaults to headFormat. */
  rowFormat?: string;
  /** Columns right-aligned in the boxed table (numbers). */
  numeric?: number[];
}

/** Renders a table either boxed (cli-table3) or as mqadmin's aligned text. Always ends with a newline. */
export function renderTable(spec: TableSpec, tables = useTables()): string {
  if (!tables) {
    const rowFmt = spec.rowFormat ?? spec.headFormat;
    return jformat(spec.headFormat, ...spec.head) + spec.rows.map((r) => jformat(rowFmt, ...r)).join('');
  }
  const t = new Table({
    head: spec.head.map((h) => h.replace(/^#/, '')),
    style: { head: ['cyan'], border: ['grey'] },
    colAligns: spec.head.map((_, i) => (spec.numeric?.includes(i) ? 'right' : 'left')),
  });
  for (const r of spec.rows) t.push(r.map((c) => (c === null || c === undefined ? '' : String(c))));
  return `${t.toString()}\n`;
}

/** "key=value" blocks as mqadmin prints configs: `%-50s=  %s`. */
export function renderProperties(props: Record<string, string>, keyWidth = 50): string {
  return Object.entries(props)
    .map(([k, v]) => jformat(`%-${keyWidth}s=  %s%n`, k, v))
    .join('');
}
