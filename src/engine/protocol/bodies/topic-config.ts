import { FastjsonMap, toFastjson } from '../fastjson.js';
import { type DataVersion, dataVersionFromObject, newDataVersion } from './data-version.js';
import { asBool, asNumber, asObject, asString, BodyError, parseBodyObject, utf8 } from './json-util.js';

/** Perm bits (`PermName.java`). */
export const Perm = { PRIORITY: 8, READ: 4, WRITE: 2, INHERIT: 1 } as const;

export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG';

/** `TopicConfig` (protocol.md §7.2); defaults as in Java: 16/16 queues, perm RW, SINGLE_TAG. */
export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType;
  topicSysFlag: number;
  order: boolean;
  /** RocketMQ 5 topic attributes (`message.type` …); absent or empty on a 4.x topic. */
  attributes?: Record<string, string>;
}

export function newTopicConfig(topicName: string, init: Partial<TopicConfig> = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: 16,
    writeQueueNums: 16,
    perm: Perm.READ | Perm.WRITE,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    ...init,
  };
}

/**
 * Bean shape fastjson writes (keys get sorted by the writer). `attributes` is written when the topic has
 * any (as 5.x does) and left out otherwise, so bodies of untyped topics stay byte-identical to 4.9's;
 * `withEmptyAttributes` writes `{}` too, as 5.x's GET_TOPIC_CONFIG does.
 */
export function topicConfigBean(t: TopicConfig, withEmptyAttributes = false): Record<string, unknown> {
  const attrs = t.attributes ?? {};
  return {
    ...(withEmptyAttributes || Object.keys(attrs).length > 0 ? { attributes: FastjsonMap.java(attrs) } : {}),
    order: t.order,
    perm: t.perm,
    readQueueNums: t.readQueueNums,
    topicFilterType: t.topicFilterType,
    topicName: t.topicName,
    topicSysFlag: t.topicSysFlag,
    writeQueueNums: t.writeQueueNums,
  };
}

export function topicConfigFromObject(o: unknown, what = 'TopicConfig'): TopicConfig {
  const obj = asObject(o, what);
  const filter = obj.topicFilterType ?? 'SINGLE_TAG';
  const tc: TopicConfig = {
    topicName:
      typeof obj.topicName === 'string' ? obj.topicName : asString(obj.topicName, `${what}.topicName`),
    readQueueNums: num(obj, 'readQueueNums', what, 16),
    writeQueueNums: num(obj, 'writeQueueNums', what, 16),
    perm: num(obj, 'perm', what, Perm.READ | Perm.WRITE),
    topicFilterType:
      (typeof filter === 'string' ? filter : asString(filter, `${what}.topicFilterType`)) === 'MULTI_TAG'
        ? 'MULTI_TAG'
        : 'SINGLE_TAG',
    topicSysFlag: num(obj, 'topicSysFlag', what, 0),
    order: typeof obj.order === 'boolean' ? obj.order : asBool(obj.order, `${what}.order`),
  };
  if (obj.attributes != null) {
    const attributes = attributesFromObject(obj.attributes, `${what}.attributes`);
    if (attributes) tc.attributes = attributes;
  }
  return tc;
}

/**
 * A number field. The label naming it is built only when the value is not a plain number: topics.json with
 * 100,000 topics would otherwise build 700,000 label strings nobody reads.
 */
function num(obj: Record<string, unknown>, key: string, what: string, dflt: number): number {
  const v = obj[key];
  return typeof v === 'number' ? v : asNumber(v, `${what}.${key}`, dflt);
}

function attributesFromObject(o: unknown, what: string): Record<string, string> | undefined {
  const attributes: Record<string, string> = {};
  let any = false;
  for (const [k, v] of Object.entries(asObject(o, what))) {
    attributes[k] = asString(v, `${what}.${k}`);
    any = true;
  }
  return any ? attributes : undefined;
}

/** Text form used in compressed registrations: `name read write perm filterType` (TopicConfig.encode). */
export function topicConfigToText(t: TopicConfig): string {
  return `${t.topicName} ${t.readQueueNums} ${t.writeQueueNums} ${t.perm} ${t.topicFilterType}`;
}

export function topicConfigFromText(text: string): TopicConfig {
  const parts = text.split(' ');
  // 5.x appends the attributes as a sixth, JSON field (TopicConfig.encode); it ignores one it cannot parse.
  if (parts.length < 5)
    throw new BodyError(`TopicConfig text has ${parts.length} fields, expected 5: ${text}`);
  const [name, r, w, p, f, attrs] = parts;
  const nums = [r, w, p].map((x) => {
    if (!/^-?\d+$/.test(x)) throw new BodyError(`TopicConfig text has a bad number ${JSON.stringify(x)}`);
    return Number(x);
  });
  return newTopicConfig(name, {
    readQueueNums: nums[0],
    writeQueueNums: nums[1],
    perm: nums[2],
    topicFilterType: f === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    ...attributesFromText(attrs),
  });
}

function attributesFromText(text: string | undefined): { attributes?: Record<string, string> } {
  if (!text) return {};
  try {
    const attributes = attributesFromObject(JSON.parse(text), 'attributes');
    return attributes ? { attributes } : {};
  } catch {
    return {};
  }
}

/** `TopicConfigSerializeWrapper`: all of a broker's topics plus its DataVersion. */
export interface TopicConfigSerializeWrapper {
  topicConfigTable: Record<string, TopicConfig>;
  dataVersion: DataVersion;
}

/**
 * A topic table to encode: the broker's own Map, or a Record as decoded. The broker's table goes out as its
 * Map: a 120,000-key object built from it (Object.fromEntries) and read back (Object.values) cost ~0.4 s
 * of a registration, V8 keeping such objects as dictionaries.
 */
export type TopicTable = Record<string, TopicConfig> | ReadonlyMap<string, TopicConfig>;

export function topicTableEntries(t: TopicTable): [string, TopicConfig][] {
  return t instanceof Map ? [...t] : Object.entries(t);
}

export function topicTableValues(t: TopicTable): TopicConfig[] {
  return t instanceof Map ? [...t.values()] : Object.values(t);
}

export function topicTableSize(t: TopicTable): number {
  return t instanceof Map ? t.size : Object.keys(t).length;
}

/** A TopicConfigSerializeWrapper to encode (its table may be a Map). */
export interface TopicConfigWrapperOut {
  topicConfigTable: TopicTable;
  dataVersion: DataVersion;
}

/**
 * Table size of the broker's topic map (`new ConcurrentHashMap<>(1024)` in TopicConfigManager): fastjson
 * writes the map in its iteration order, so this decides the byte order of topics in the JSON.
 */
export const TOPIC_TABLE_SIZE = 2048;

export function topicConfigWrapperBean(
  w: TopicConfigWrapperOut,
  tableSize = TOPIC_TABLE_SIZE,
): Record<string, unknown> {
  const table = new FastjsonMap(
    topicTableEntries(w.topicConfigTable).map(([name, tc]) => [name, topicConfigBean(tc)]),
    tableSize,
  );
  return {
    dataVersion: { counter: w.dataVersion.counter, timestamp: w.dataVersion.timestamp },
    topicConfigTable: table,
  };
}

export function encodeTopicConfigWrapper(w: TopicConfigWrapperOut, tableSize = TOPIC_TABLE_SIZE): Buffer {
  return utf8(toFastjson(topicConfigWrapperBean(w, tableSize)));
}

export function topicConfigWrapperFromObject(
  o: unknown,
  what = 'TopicConfigSerializeWrapper',
): TopicConfigSerializeWrapper {
  const obj = asObject(o, what);
  const table: Record<string, TopicConfig> = {};
  const src = asObject(obj.topicConfigTable, `${what}.topicConfigTable`);
  for (const name in src) table[name] = topicConfigFromObject(src[name], `${what}.topicConfigTable[${name}]`);
  return {
    topicConfigTable: table,
    dataVersion: obj.dataVersion ? dataVersionFromObject(obj.dataVersion) : newDataVersion(),
  };
}

export function decodeTopicConfigWrapper(body: Buffer | string): TopicConfigSerializeWrapper {
  return topicConfigWrapperFromObject(parseBodyObject(body, 'TopicConfigSerializeWrapper'));
}
