import { toFastjson } from '../fastjson.js';
import { type SubscriptionData, subscriptionDataBean, subscriptionDataFromObject } from './heartbeat-data.js';
import { asArray, asBool, asNumber, asObject, asString, parseBodyObject, utf8 } from './json-util.js';

/** `ConsumeQueueData`: one 20-byte consume-queue entry as QUERY_CONSUME_QUEUE (321) reports it. */
export interface ConsumeQueueData {
  physicOffset: number;
  physicSize: number;
  tagsCode: number;
  /** Extended unit as JSON (only for entries whose tags code addresses the CQ extension). */
  extendDataJson?: string;
  bitMap?: string;
  /** Whether the asked group's filter would deliver this entry. */
  eval: boolean;
  msg?: string;
}

/** `QueryConsumeQueueResponseBody`: the queue's bounds, the entries asked for, the group's filter. */
export interface QueryConsumeQueueBody {
  subscriptionData?: SubscriptionData;
  filterData?: string;
  queueData?: ConsumeQueueData[];
  maxQueueIndex: number;
  minQueueIndex: number;
}

export function encodeQueryConsumeQueueBody(b: QueryConsumeQueueBody): Buffer {
  return utf8(
    toFastjson({
      filterData: b.filterData,
      maxQueueIndex: b.maxQueueIndex,
      minQueueIndex: b.minQueueIndex,
      queueData: b.queueData?.map((d) => ({
        bitMap: d.bitMap,
        eval: d.eval,
        extendDataJson: d.extendDataJson,
        msg: d.msg,
        physicOffset: d.physicOffset,
        physicSize: d.physicSize,
        tagsCode: d.tagsCode,
      })),
      subscriptionData: b.subscriptionData ? subscriptionDataBean(b.subscriptionData) : undefined,
    }),
  );
}

const optString = (v: unknown, what: string) =>
  v === undefined || v === null ? undefined : asString(v, what);

export function decodeQueryConsumeQueueBody(body: Buffer | string): QueryConsumeQueueBody {
  const o = parseBodyObject(body, 'QueryConsumeQueueResponseBody');
  return {
    subscriptionData:
      o.subscriptionData === undefined || o.subscriptionData === null
        ? undefined
        : subscriptionDataFromObject(o.subscriptionData),
    filterData: optString(o.filterData, 'filterData'),
    queueData:
      o.queueData === undefined || o.queueData === null
        ? undefined
        : asArray(o.queueData, 'queueData').map((x, i) => {
            const d = asObject(x, `queueData[${i}]`);
            return {
              physicOffset: asNumber(d.physicOffset, 'physicOffset', 0),
              physicSize: asNumber(d.physicSize, 'physicSize', 0),
              tagsCode: asNumber(d.tagsCode, 'tagsCode', 0),
              extendDataJson: optString(d.extendDataJson, 'extendDataJson'),
              bitMap: optString(d.bitMap, 'bitMap'),
              eval: asBool(d.eval, 'eval'),
              msg: optString(d.msg, 'msg'),
            };
          }),
    maxQueueIndex: asNumber(o.maxQueueIndex, 'maxQueueIndex', 0),
    minQueueIndex: asNumber(o.minQueueIndex, 'minQueueIndex', 0),
  };
}
