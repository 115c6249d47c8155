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
  if (!sc) return undefined;
  let table: ConsumerOffsetTable | undefined;
  const ok = sc.members(() => {
    const name = sc.text();
    if (name === 'offsetTable') {
      if (table) return false;
      table = offsetTable(sc);
      return table !== undefined;
    }
    return name === 'dataVersion' && sc.intObject() !== undefined;
  });
  return ok && sc.atEnd() ? (table ?? new Map()) : undefined;
}

function offsetTable(sc: JsonScan): ConsumerOffsetTable | undefined {
  const table: ConsumerOffsetTable = new Map();
  const ok = sc.members(() => {
    const key = sc.text();
    const queues = queueOffsets(sc);
    if (queues) table.set(key, queues);
    return queues !== undefined;
  });
  return ok ? table : undefined;
}

/** `{0:12,1:7}`: queue ids (bare, so not `members`) in ascending order, to their offsets. */
function queueOffsets(sc: JsonScan): Map<number, number> | undefined {
  const queues = new Map<number, number>();
  if (!sc.take(OPEN)) return undefined;
  if (sc.take(CLOSE)) return queues;
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
  return sc.take(CLOSE) ? queues : undefined;
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
