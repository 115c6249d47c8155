import { FastjsonMap, toFastjson } from '../fastjson.js';
import { asObject, asString, parseBodyObject, utf8 } from './json-util.js';

/** `KVTable` body: `{"table":{k:v}}` (protocol.md §7.7, §7.9). */
export interface KVTable {
  table: Record<string, string>;
}

export function encodeKVTable(t: KVTable): Buffer {
  return utf8(toFastjson({ table: FastjsonMap.java(t.table) })); // a Java HashMap
}

export function decodeKVTable(body: Buffer | string): KVTable {
  const obj = parseBodyObject(body, 'KVTable');
  const table: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(obj.table, 'table'))) table[k] = asString(v, `table[${k}]`);
  return { table };
}
