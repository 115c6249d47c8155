import { toFastjson } from '../fastjson.js';
import { asNumber, asObject, parseBodyObject, utf8 } from './json-util.js';

/** `DataVersion`: bumped by the broker whenever its topic config changes (protocol.md §7.1). */
export interface DataVersion {
  counter: number;
  timestamp: number;
}

export function newDataVersion(now = Date.now()): DataVersion {
  return { counter: 0, timestamp: now };
}

/** Next version, as DataVersion.nextVersion: counter + 1, timestamp = now. */
export function nextDataVersion(v: DataVersion, now = Date.now()): DataVersion {
  return { counter: v.counter + 1, timestamp: now };
}

export function dataVersionEquals(
  a: DataVersion | null | undefined,
  b: DataVersion | null | undefined,
): boolean {
  if (!a || !b) return a === b;
  return a.counter === b.counter && a.timestamp === b.timestamp;
}

export function dataVersionToJson(v: DataVersion): string {
  return toFastjson({ counter: v.counter, timestamp: v.timestamp });
}

export function encodeDataVersion(v: DataVersion): Buffer {
  return utf8(dataVersionToJson(v));
}

export function dataVersionFromObject(o: unknown, what = 'DataVersion'): DataVersion {
  const obj = asObject(o, what);
  return {
    counter: asNumber(obj.counter, `${what}.counter`, 0),
    timestamp: asNumber(obj.timestamp, `${what}.timestamp`, 0),
  };
}

export function decodeDataVersion(body: Buffer | string): DataVersion {
  return dataVersionFromObject(parseBodyObject(body, 'DataVersion'));
}
