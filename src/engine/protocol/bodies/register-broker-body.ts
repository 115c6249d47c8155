import { promisify } from 'node:util';
import { deflate, deflateSync, inflateSync } from 'node:zlib';
import { toFastjson } from '../fastjson.js';
import { javaHashMapHash, javaHashOrder } from '../java-hashmap-order.js';
import { dataVersionToJson, decodeDataVersion } from './data-version.js';
import { asArray, asString, BodyError, parseBodyObject, utf8 } from './json-util.js';
import {
  TOPIC_TABLE_SIZE,
  type TopicConfig,
  type TopicConfigSerializeWrapper,
  type TopicConfigWrapperOut,
  topicConfigFromText,
  topicConfigToText,
  topicConfigWrapperBean,
  topicConfigWrapperFromObject,
  topicTableValues,
} from './topic-config.js';

/** REGISTER_BROKER body (protocol.md §7.2). */
export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
}

/** A body to encode: its topic table may be the broker's Map. */
export interface RegisterBrokerBodyOut {
  topicConfigSerializeWrapper: TopicConfigWrapperOut;
  filterServerList: string[];
}

/**
 * Encodes the body; `compressed` selects the zlib form (header `compressed=true`). `tableSize` is the
 * initial table size of the Java map the topics would sit in (the broker's TopicConfigManager: 2048), so
 * topics come out in the order a Java broker writes them.
 */
export function encodeRegisterBrokerBody(
  b: RegisterBrokerBodyOut,
  compressed = false,
  tableSize = TOPIC_TABLE_SIZE,
): Buffer {
  if (!compressed) return encodePlain(b, tableSize);
  const raw = compressedRaw(b, tableSize);
  return deflateSync(raw, { level: deflateLevel(raw) });
}

/**
 * Java uses Deflater(BEST_COMPRESSION) in a DeflaterOutputStream: a zlib stream at level 9, and so do we up
 * to 1 MB of content. Beyond, zlib's default level: on a big table's repetitive text level 9 searches ~9×
 * longer for a body ~5% smaller (100,000 topics: 265 ms → 29 ms, 288 → 302 KB), and that time is on the
 * path from start to registered. Any level inflates the same (the bytes never matched Java's zlib anyway).
 */
function deflateLevel(raw: Buffer): number {
  return raw.length <= 1024 * 1024 ? 9 : 6;
}

const deflateAsync = promisify(deflate);

/**
 * The same bytes as encodeRegisterBrokerBody, with the deflate (~250 ms for 100,000 topics) done in libuv's
 * thread pool instead of on the event loop, which keeps serving sends and pulls meanwhile.
 */
export async function encodeRegisterBrokerBodyAsync(
  b: RegisterBrokerBodyOut,
  compressed = false,
  tableSize = TOPIC_TABLE_SIZE,
): Promise<Buffer> {
  if (!compressed) return encodePlain(b, tableSize);
  const raw = compressedRaw(b, tableSize);
  return deflateAsync(raw, { level: deflateLevel(raw) });
}

function encodePlain(b: RegisterBrokerBodyOut, tableSize: number): Buffer {
  return utf8(
    toFastjson({
      filterServerList: b.filterServerList,
      topicConfigSerializeWrapper: topicConfigWrapperBean(b.topicConfigSerializeWrapper, tableSize),
    }),
  );
}

/**
 * The compressed form before deflate: length-prefixed DataVersion, topic count, length-prefixed topic
 * texts and filter list. When every text is ASCII (topic names nearly always are) the whole content is
 * built as one string with the 4-byte prefixes as chars and written once as latin1: two calls into C++ per
 * topic (byteLength, write) were most of the ~230 ms this took at 120,000 topics.
 */
function compressedRaw(b: RegisterBrokerBodyOut, tableSize: number): Buffer {
  // Java clones the table into a default ConcurrentHashMap (iterating the original) and writes that.
  const topics = topicTableValues(b.topicConfigSerializeWrapper.topicConfigTable);
  const hash = Int32Array.from(topics, (t) => javaHashMapHash(t.topicName));
  const byIndex = (i: number) => hash[i]!;
  const order = javaHashOrder(javaHashOrder([...topics.keys()], byIndex, tableSize), byIndex, 16);
  const texts = order.map((i) => topicConfigToText(topics[i]!));
  const head = dataVersionToJson(b.topicConfigSerializeWrapper.dataVersion);
  const tail = toFastjson(b.filterServerList);
  if (!ASCII.test(head + texts.join('') + tail)) return compressedRawUtf8(head, texts, tail);
  const parts: string[] = [prefixed(head), int32Chars(texts.length)];
  for (const t of texts) parts.push(prefixed(t));
  parts.push(prefixed(tail));
  return Buffer.from(parts.join(''), 'latin1');
}

const ASCII = /^[\x00-\x7f]*$/;

/** A 32-bit big-endian int as four latin1 chars. */
function int32Chars(n: number): string {
  return String.fromCharCode((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

/** `s` with its length in front, for an ASCII `s` (length = byte length); checked on the whole by the caller. */
function prefixed(s: string): string {
  return int32Chars(s.length) + s;
}

/** The same layout for texts with non-ASCII characters: each written as UTF-8 after its byte length. */
function compressedRawUtf8(head: string, texts: string[], tail: string): Buffer {
  let size = 4 + Buffer.byteLength(head) + 4 + 4 + Buffer.byteLength(tail);
  for (const t of texts) size += 4 + Buffer.byteLength(t);
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  const put = (s: string) => {
    const n = out.write(s, off + 4);
    out.writeInt32BE(n, off);
    off += 4 + n;
  };
  put(head);
  out.writeInt32BE(texts.length, off);
  off += 4;
  for (const t of texts) put(t);
  put(tail);
  return out;
}

/** Decodes either form; throws BodyError on anything malformed. */
export function decodeRegisterBrokerBody(body: Buffer, compressed: boolean): RegisterBrokerBody {
  const b = decodeRegisterBrokerBodyTable(body, compressed);
  const table = b.topicConfigSerializeWrapper.topicConfigTable;
  return {
    topicConfigSerializeWrapper: {
      topicConfigTable:
        table instanceof Map ? Object.fromEntries(table) : (table as Record<string, TopicConfig>),
      dataVersion: b.topicConfigSerializeWrapper.dataVersion,
    },
    filterServerList: b.filterServerList,
  };
}

/**
 * decodeRegisterBrokerBody for the name server: a compressed body's topics come as a Map (in body order),
 * not as a 120,000-key object that V8 keeps as a slow dictionary.
 */
export function decodeRegisterBrokerBodyTable(body: Buffer, compressed: boolean): RegisterBrokerBodyOut {
  if (!compressed) {
    const obj = parseBodyObject(body, 'RegisterBrokerBody');
    return {
      topicConfigSerializeWrapper: topicConfigWrapperFromObject(
        obj.topicConfigSerializeWrapper,
        'RegisterBrokerBody.topicConfigSerializeWrapper',
      ),
      filterServerList: asArray(obj.filterServerList, 'RegisterBrokerBody.filterServerList').map((s, i) =>
        asString(s, `filterServerList[${i}]`),
      ),
    };
  }
  let raw: Buffer;
  try {
    raw = inflateSync(body);
  } catch (err) {
    throw new BodyError(`RegisterBrokerBody: compressed body does not inflate: ${(err as Error).message}`);
  }
  let off = 0;
  /** Moves past the next length-prefixed chunk; returns where it starts. */
  const chunk = (what: string): number => {
    if (off + 4 > raw.length) throw new BodyError(`RegisterBrokerBody: truncated before ${what} length`);
    const len = raw.readInt32BE(off);
    off += 4;
    if (len < 0 || off + len > raw.length)
      throw new BodyError(`RegisterBrokerBody: bad ${what} length ${len}`);
    off += len;
    return off - len;
  };
  let at = chunk('dataVersion');
  const dataVersion = decodeDataVersion(raw.subarray(at, off));
  if (off + 4 > raw.length) throw new BodyError('RegisterBrokerBody: truncated before topic count');
  const n = raw.readInt32BE(off);
  off += 4;
  if (n < 0 || n > raw.length) throw new BodyError(`RegisterBrokerBody: bad topic count ${n}`);
  const table = new Map<string, TopicConfig>();
  for (let i = 0; i < n; i++) {
    at = chunk('topic config');
    const tc = topicFromRaw(raw, at, off) ?? topicConfigFromText(raw.toString('utf8', at, off));
    table.set(tc.topicName, tc);
  }
  at = chunk('filterServerList');
  const filters = off === at ? [] : parseFilterList(raw.toString('utf8', at, off));
  return { topicConfigSerializeWrapper: { topicConfigTable: table, dataVersion }, filterServerList: filters };
}

const SPACE = 0x20;
const MULTI_TAG = Buffer.from('MULTI_TAG', 'latin1');

/**
 * topicConfigFromText's usual case read straight from the bytes: `name read write perm filterType`, plain
 * integers of up to 15 digits, no 6th (attributes) field. Undefined for anything else, which then goes
 * through topicConfigFromText (and its errors). A string split, three regex tests and an object spread per
 * topic were ~0.3 s of a name server's registration of 120,000 topics.
 */
function topicFromRaw(raw: Buffer, start: number, end: number): TopicConfig | undefined {
  let i = start;
  while (i < end && raw[i] !== SPACE) i++;
  const nameEnd = i;
  const nums = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    if (raw[i] !== SPACE) return undefined;
    i++;
    const neg = raw[i] === 0x2d;
    if (neg) i++;
    const digits = i;
    let v = 0;
    for (let c = raw[i]!; i < end && c >= 0x30 && c <= 0x39; c = raw[++i]!) v = v * 10 + (c - 0x30);
    if (i === digits || i - digits > 15) return undefined;
    nums[k] = neg ? -v : v;
  }
  if (i >= end || raw[i] !== SPACE) return undefined;
  const filterAt = ++i;
  while (i < end && raw[i] !== SPACE) i++;
  if (i !== end) return undefined;
  const multi =
    end - filterAt === MULTI_TAG.length && raw.compare(MULTI_TAG, 0, MULTI_TAG.length, filterAt, end) === 0;
  return {
    topicName: raw.toString('utf8', start, nameEnd),
    readQueueNums: nums[0]!,
    writeQueueNums: nums[1]!,
    perm: nums[2]!,
    topicFilterType: multi ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  };
}

function parseFilterList(text: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new BodyError('RegisterBrokerBody: filterServerList is not JSON');
  }
  return asArray(v, 'filterServerList').map((s, i) => asString(s, `filterServerList[${i}]`));
}

/** Old brokers (request version < 37) send a bare TopicConfigSerializeWrapper instead. */
export function decodeLegacyRegisterBody(body: Buffer): RegisterBrokerBody {
  const obj = parseBodyObject(body, 'TopicConfigSerializeWrapper');
  return { topicConfigSerializeWrapper: topicConfigWrapperFromObject(obj), filterServerList: [] };
}
