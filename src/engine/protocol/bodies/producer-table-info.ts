import { toFastjson } from '../fastjson.js';
import { asArray, asNumber, asObject, asString, parseBodyObject, utf8 } from './json-util.js';

/** `ProducerInfo`: one producer connection as GET_ALL_PRODUCER_INFO (328) lists it. */
export interface ProducerInfo {
  clientId: string;
  /** Netty's remoteAddress().toString(): "/host:port". */
  remoteIP: string;
  language: string;
  version: number;
  lastUpdateTimestamp: number;
}

/** `ProducerTableInfo`: producer group → its connections. */
export interface ProducerTableInfo {
  data: Record<string, ProducerInfo[]>;
}

export function encodeProducerTableInfo(t: ProducerTableInfo): Buffer {
  return utf8(toFastjson({ data: t.data }));
}

export function decodeProducerTableInfo(body: Buffer | string): ProducerTableInfo {
  const o = parseBodyObject(body, 'ProducerTableInfo');
  const data: Record<string, ProducerInfo[]> = {};
  if (o.data !== undefined && o.data !== null) {
    for (const [group, list] of Object.entries(asObject(o.data, 'ProducerTableInfo.data'))) {
      data[group] = asArray(list, `data[${group}]`).map((x) => {
        const p = asObject(x, 'ProducerInfo');
        return {
          clientId: asString(p.clientId, 'clientId', ''),
          remoteIP: asString(p.remoteIP, 'remoteIP', ''),
          language: asString(p.language, 'language', 'JAVA'),
          version: asNumber(p.version, 'version', 0),
          lastUpdateTimestamp: asNumber(p.lastUpdateTimestamp, 'lastUpdateTimestamp', 0),
        };
      });
    }
  }
  return { data };
}
