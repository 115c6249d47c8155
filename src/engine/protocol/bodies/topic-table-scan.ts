import type { DataVersion } from './data-version.js';
import { JsonScan, names } from './json-scan.js';
import { Perm, type TopicConfig } from './topic-config.js';

/**
 * One pass over topics.json's usual shape, `{"dataVersion":{…},"topicConfigTable":{"T":{"order":false,…}}}`
 * (compact, or pretty-printed as Java writes it), straight into a Map. With 120,000 topics (19 MB) the general
 * route (JSON.parse into a 120,000-key object, then a TopicConfig copy of each) took ~0.5 s of the broker's
 * start and tens of MB of garbage. Anything unusual — an escape anywhere, a number in quotes or with a
 * fraction, a null, an object member it does not know, a topic named like an array index (the general route
 * orders those first) — returns undefined and the general parser decides, with the same result.
 */
export function scanTopicConfigTable(
  text: Buffer | string,
): { table: Map<string, TopicConfig>; dataVersion: DataVersion | undefined } | undefined {
  const sc = JsonScan.of(text);
  if (!sc) return undefined;
  let table: Map<string, TopicConfig> | undefined;
  let dataVersion: DataVersion | undefined;
  const ok = sc.members(() => {
    const name = sc.text();
    if (name === 'topicConfigTable') {
      table = topicTable(sc);
      return table !== undefined;
    }
    if (name !== 'dataVersion') return false;
    const v = sc.intObject();
    if (v) dataVersion = { counter: v.get('counter') ?? 0, timestamp: v.get('timestamp') ?? 0 };
    return v !== undefined;
  });
  return ok && sc.atEnd() ? { table: table ?? new Map(), dataVersion } : undefined;
}

const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

function topicTable(sc: JsonScan): Map<string, TopicConfig> | undefined {
  const table = new Map<string, TopicConfig>();
  const ok = sc.members(() => {
    const key = sc.text();
    const c = key.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39 && ARRAY_INDEX.test(key)) return false;
    const tc = topicConfig(sc, key, sc.a, sc.b);
    if (tc) table.set(key, tc);
    return tc !== undefined;
  });
  return ok ? table : undefined;
}

const MULTI_TAG = Buffer.from('MULTI_TAG', 'latin1');
const M = names(
  'topicName',
  'readQueueNums',
  'writeQueueNums',
  'perm',
  'topicSysFlag',
  'topicFilterType',
  'order',
  'attributes',
);

/**
 * One TopicConfig bean, with topicConfigFromObject's defaults for members left out. Its topicName is the
 * table key's string when the bytes match (one string for both, not two).
 */
function topicConfig(sc: JsonScan, key: string, keyAt: number, keyEnd: number): TopicConfig | undefined {
  let topicName: string | undefined;
  let readQueueNums = 16;
  let writeQueueNums = 16;
  let perm = Perm.READ | Perm.WRITE;
  let topicFilterType: TopicConfig['topicFilterType'] = 'SINGLE_TAG';
  let topicSysFlag = 0;
  let order: boolean | undefined = false;
  let attributes: Record<string, string> | undefined;
  const ok = sc.members(() => {
    if (sc.is(M.topicName)) {
      if (!sc.span()) return false;
      topicName = sc.same(keyAt, keyEnd) ? key : sc.text();
    } else if (sc.is(M.readQueueNums)) readQueueNums = sc.int();
    else if (sc.is(M.writeQueueNums)) writeQueueNums = sc.int();
    else if (sc.is(M.perm)) perm = sc.int();
    else if (sc.is(M.topicSysFlag)) topicSysFlag = sc.int();
    else if (sc.is(M.topicFilterType)) {
      if (!sc.span()) return false;
      topicFilterType = sc.is(MULTI_TAG) ? 'MULTI_TAG' : 'SINGLE_TAG';
    } else if (sc.is(M.order)) {
      order = sc.bool();
      return order !== undefined;
    } else if (sc.is(M.attributes)) {
      attributes = stringMap(sc);
      return attributes !== undefined;
    } else return sc.skipScalar();
    return true;
  });
  if (!ok || topicName === undefined) return undefined;
  if (Number.isNaN(readQueueNums + writeQueueNums + perm + topicSysFlag)) return undefined;
  // Same members in the same order as topicConfigFromObject's, so both share one hidden class.
  const tc: TopicConfig = {
    topicName,
    readQueueNums,
    writeQueueNums,
    perm,
    topicFilterType,
    topicSysFlag,
    order,
  };
  if (attributes && Object.keys(attributes).length > 0) tc.attributes = attributes;
  return tc;
}

/** `{"k":"v",…}` with string values only. */
function stringMap(sc: JsonScan): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const ok = sc.members(() => {
    const k = sc.text();
    const v = sc.string();
    if (v !== undefined) out[k] = v;
    return v !== undefined;
  });
  return ok ? out : undefined;
}
