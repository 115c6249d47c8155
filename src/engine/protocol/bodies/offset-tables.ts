import { FastjsonMap, toFastjson } from '../fastjson.js';
import { asNumber, asObject, parseBodyObject, utf8 } from './json-util.js';
import { scanConsumerOffsetTable } from './offset-table-scan.js';

/**
 * `ConsumerOffsetSerializeWrapper` (consumerOffset.json, GET_ALL_CONSUMER_OFFSET): `topic@group` →
 * queueId → offset, written with bare integer keys as fastjson does (`{0:12,1:7}`).
 */
export type ConsumerOffsetTable = Map<string, Map<number, number>>;

export function encodeConsumerOffsetTable(table: ConsumerOffsetTable): Buffer {
  const outer: Record<string, unknown> = {};
  for (const [key, queues] of table) outer[key] = new FastjsonMap([...queues.entries()]);
  return utf8(toFastjson({ offsetTable: outer }));
}

export function decodeConsumerOffsetTable(body: Buffer | string): ConsumerOffsetTable {
  const fast = scanConsumerOffsetTable(body);
  if (fast) return fast;
  const obj = parseBodyObject(body, 'ConsumerOffsetSerializeWrapper');
  const out: ConsumerOffsetTable = new Map();
  for (const [key, queues] of Object.entries(asObject(obj.offsetTable, 'offsetTable'))) {
    const m = new Map<number, number>();
    for (const [q, off] of Object.entries(asObject(queues, `offsetTable[${key}]`))) {
      m.set(asNumber(q, `offsetTable[${key}] key`), asNumber(off, `offsetTable[${key}][${q}]`));
    }
    out.set(key, m);
  }
  return out;
}

/** `DelayOffsetSerializeWrapper` (delayOffset.json, GET_ALL_DELAY_OFFSET): delay level → offset. */
export function encodeDelayOffsetTable(table: Map<number, number>): Buffer {
  return utf8(toFastjson({ offsetTable: new FastjsonMap([...table.entries()]) }));
}

export function decodeDelayOffsetTable(body: Buffer | string): Map<number, number> {
  const obj = parseBodyObject(body, 'DelayOffsetSerializeWrapper');
  const out = new Map<number, number>();
  for (const [k, v] of Object.entries(asObject(obj.offsetTable, 'offsetTable'))) {
    out.set(asNumber(k, 'delay level'), asNumber(v, `offsetTable[${k}]`));
  }
  return out;
}
