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
  topicConfigFromText,
  topicConfigToText,
  topicConfigWrapperBean,
  topicConfigWrapperFromObject,
} from './topic-config.js';

/** REGISTER_BROKER body (protocol.md §7.2). */
export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
}

/**
 * Encodes the body; `compressed` selects the zlib form (header `compressed=true`). `tableSize` is the
 * initial table size of the Java map the topics would sit in (the broker's TopicConfigManager: 2048), so
 * topics come out in the order a Java broker writes them.
 */
export function encodeRegisterBrokerBody(
  b: RegisterBrokerBody,
  compressed = false,
  tableSize = TOPIC_TABLE_SIZE,
): Buffer {
  if (!compressed) return encodePlain(b, tableSize);
  // Java uses Deflater(BEST_COMPRESSION) in a DeflaterOutputStream: a zlib stream at level 9.
  return deflateSync(compressedRaw(b, tableSize), { level: 9 });
}

const deflateAsync = promisify(deflate);

/**
 * The same bytes as encodeRegisterBrokerBody, with the deflate (~250 ms for 100,000 topics) done in libuv's
 * thread pool instead of on the event loop, which keeps serving sends and pulls meanwhile.
 */
export async function encodeRegisterBrokerBodyAsync(
  b: RegisterBrokerBody,
  compressed = false,
  tableSize = TOPIC_TABLE_SIZE,
): Promise<Buffer> {
  if (!compressed) return encodePlain(b, tableSize);
  return deflateAsync(compressedRaw(b, tableSize), { level: 9 });
}

function encodePlain(b: RegisterBrokerBody, tableSize: number): Buffer {
  return utf8(
    toFastjson({
      filterServerList: b.filterServerList,
      topicConfigSerializeWrapper: topicConfigWrapperBean(b.topicConfigSerializeWrapper, tableSize),
    }),
  );
}

/**
 * The compressed form before deflate: length-prefixed DataVersion, topic count, length-prefixed topic
 * texts and filter list, written into one buffer (not two small Buffers per topic: 240,000 at 120,000).
 */
function compressedRaw(b: RegisterBrokerBody, tableSize: number): Buffer {
  // Java clones the table into a default ConcurrentHashMap (iterating the original) and writes that.
  const byName = (t: TopicConfig) => javaHashMapHash(t.topicName);
  const original = javaHashOrder(
    Object.values(b.topicConfigSerializeWrapper.topicConfigTable),
    byName,
    tableSize,
  );
  const texts = javaHashOrder(original, byName, 16).map(topicConfigToText);
  const head = dataVersionToJson(b.topicConfigSerializeWrapper.dataVersion);
  const tail = toFastjson(b.filterServerList);
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
  const readChunk = (what: string): Buffer => {
    if (off + 4 > raw.length) throw new BodyError(`RegisterBrokerBody: truncated before ${what} length`);
    const len = raw.readInt32BE(off);
    off += 4;
    if (len < 0 || off + len > raw.length)
      throw new BodyError(`RegisterBrokerBody: bad ${what} length ${len}`);
    const out = raw.subarray(off, off + len);
    off += len;
    return out;
  };
  const dataVersion = decodeDataVersion(readChunk('dataVersion'));
  if (off + 4 > raw.length) throw new BodyError('RegisterBrokerBody: truncated before topic count');
  const n = raw.readInt32BE(off);
  off += 4;
  if (n < 0 || n > raw.length) throw new BodyError(`RegisterBrokerBody: bad topic count ${n}`);
  const table: Record<string, TopicConfig> = {};
  for (let i = 0; i < n; i++) {
    const tc = topicConfigFromText(readChunk('topic config').toString('utf8'));
    table[tc.topicName] = tc;
  }
  const filterJson = readChunk('filterServerList').toString('utf8');
  const filters = filterJson.length === 0 ? [] : parseFilterList(filterJson);
  return { topicConfigSerializeWrapper: { topicConfigTable: table, dataVersion }, filterServerList: filters };
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
