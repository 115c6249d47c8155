import { CLOSE, COLON, COMMA, JsonScan, MINUS, OPEN, QUOTE } from './json-scan.js';
import type { ConsumerOffsetTable } from './offset-tables.js';

/**
 * One pass over consumerOffset.json's usual shape, `{"offsetTable":{"topic@group":{0:12,1:7},…}}` (any
 * whitespace, as Java's pretty-printed file has; quoted or bare queue ids; a 5.x `dataVersion` member),
 * straight into the table. With 100,000 topic@group entries (6.7 MB) the general route (quote the bare keys,
 * JSON.parse, copy the objects into Maps) took ~1.1 s of the broker's start and ~100 MB of garbage; this
 * takes a fifth of that. Anything else — escapes in a name, fractions, exponents, leading zeros, queue ids
 * out of ascending order, other members — returns undefined and the general parser decides, so both routes
 * always agree on what they accept.
 */
export function scanConsumerOffsetTable(text: Buffer | string): ConsumerOffsetTable | undefined {
  const sc = JsonScan.of(text);
  if (!sc?.take(OPEN)) return undefined;
  let table: ConsumerOffsetTable | undefined;
  if (!sc.take(CLOSE)) {
    do {
      const name = sc.string();
      if (name === undefined || !sc.take(COLON)) return undefined;
      if (name === 'offsetTable') {
        if (table) return undefined;
        table = offsetTable(sc);
        if (!table) return undefined;
      } else if (name !== 'dataVersion' || !sc.intObject()) return undefined;
    } while (sc.take(COMMA));
    if (!sc.take(CLOSE)) return undefined;
  }
  return sc.atEnd() ? (table ?? new Map()) : undefined;
}

function offsetTable(sc: JsonScan): ConsumerOffsetTable | undefined {
  const table: ConsumerOffsetTable = new Map();
  if (!sc.take(OPEN)) return undefined;
  if (sc.take(CLOSE)) return table;
  do {
    const key = sc.string();
    if (key === undefined || !sc.take(COLON) || !sc.take(OPEN)) return undefined;
    const queues = new Map<number, number>();
    if (!sc.take(CLOSE)) {
      let last = -1;
      do {
        const q = queueId(sc);
        // Descending ids would come out in another order from the general route.
        if (!(q > last) || !sc.take(COLON)) return undefined;
        const off = sc.int();
        if (Number.isNaN(off)) return undefined;
        queues.set(q, off);
        last = q;
      } while (sc.take(COMMA));
      if (!sc.take(CLOSE)) return undefined;
    }
    table.set(key, queues);
  } while (sc.take(COMMA));
  return sc.take(CLOSE) ? table : undefined;
}

/**
 * A queue id, bare (`0:`) as fastjson writes it or quoted (`"0":`) as a standard JSON writer would; a
 * negative one is left to the general parser (it orders such keys differently).
 */
function queueId(sc: JsonScan): number {
  sc.ws();
  const quoted = sc.s[sc.i] === QUOTE;
  if (quoted) sc.i++;
  if (sc.s[sc.i] === MINUS) return Number.NaN;
  const q = sc.int();
  return !quoted || sc.s[sc.i++] === QUOTE ? q : Number.NaN;
}
