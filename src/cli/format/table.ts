import Table from 'cli-table3';
import { jformat } from './printf.js';

/**
 * Whether mq's own commands (`compact: true` specs) draw a compact table: on a terminal only;
 * MQ_TABLE=1 / MQ_PLAIN=1 force either. mqadmin commands never do (see renderTable).
 */
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
  /** Columns right-aligned in the compact table (numbers). */
  numeric?: number[];
  /**
   * mq's own commands (producer, consumer, benchmark, …) set this: a compact borderless table on a terminal.
   * mqadmin commands leave it unset and print Java's aligned columns everywhere, TTY or pipe, so scripts
   * and eyes trained on Java's mqadmin read the same text.
   */
  compact?: boolean;
}

/** cli-table3 with no borders: columns separated by two spaces. */
const COMPACT_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/** Renders mqadmin's aligned text, or for `compact` specs on a terminal a borderless table. Ends with a newline. */
export function renderTable(spec: TableSpec, tables = spec.compact === true && useTables()): string {
  if (!tables) {
    const rowFmt = spec.rowFormat ?? spec.headFormat;
    return jformat(spec.headFormat, ...spec.head) + spec.rows.map((r) => jformat(rowFmt, ...r)).join('');
  }
  const t = new Table({
    head: spec.head.map((h) => h.replace(/^#/, '')),
    chars: COMPACT_CHARS,
    style: { head: ['bold'], border: [], 'padding-left': 0, 'padding-right': 0 },
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
