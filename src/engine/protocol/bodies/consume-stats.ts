import { FastjsonDouble, FastjsonMap, toFastjson } from '../fastjson.js';
import { asNumber, asObject, parseBodyObject, utf8 } from './json-util.js';
import { type MessageQueueData, messageQueueBean, messageQueueFromKey } from './message-queue-key.js';

/** `OffsetWrapper`: one queue's broker/consumer offsets in ConsumeStats. */
export interface OffsetWrapper {
  brokerOffset: number;
  consumerOffset: number;
  lastTimestamp: number;
}

/** `ConsumeStats` (protocol.md §7.6): the GET_CONSUME_STATS (208) body, keyed by MessageQueue objects. */
export interface ConsumeStats {
  consumeTps: number;
  offsetTable: Array<[MessageQueueData, OffsetWrapper]>;
}

/** The fastjson bean of one ConsumeStats (also an element of ConsumeStatsList). */
export function consumeStatsBean(s: ConsumeStats): Record<string, unknown> {
  const table = new FastjsonMap(
    s.offsetTable.map(([mq, w]) => [
      messageQueueBean(mq),
      { brokerOffset: w.brokerOffset, consumerOffset: w.consumerOffset, lastTimestamp: w.lastTimestamp },
    ]),
  );
  return { consumeTps: new FastjsonDouble(s.consumeTps), offsetTable: table };
}

export function encodeConsumeStats(s: ConsumeStats): Buffer {
  return utf8(toFastjson(consumeStatsBean(s)));
}

/** One parsed ConsumeStats object (also an element of ConsumeStatsList). */
export function consumeStatsFromObject(obj: Record<string, unknown>): ConsumeStats {
  const offsetTable: Array<[MessageQueueData, OffsetWrapper]> = [];
  for (const [k, v] of Object.entries(asObject(obj.offsetTable, 'ConsumeStats.offsetTable'))) {
    const w = asObject(v, 'OffsetWrapper');
    offsetTable.push([
      messageQueueFromKey(k),
      {
        brokerOffset: asNumber(w.brokerOffset, 'brokerOffset', 0),
        consumerOffset: asNumber(w.consumerOffset, 'consumerOffset', 0),
        lastTimestamp: asNumber(w.lastTimestamp, 'lastTimestamp', 0),
      },
    ]);
  }
  return { consumeTps: asNumber(obj.consumeTps, 'ConsumeStats.consumeTps', 0), offsetTable };
}

export function decodeConsumeStats(body: Buffer | string): ConsumeStats {
  return consumeStatsFromObject(parseBodyObject(body, 'ConsumeStats'));
}

/** `TopicOffset`: one queue's bounds in TopicStatsTable. */
export interface TopicOffset {
  minOffset: number;
  maxOffset: number;
  lastUpdateTimestamp: number;
}

/** `TopicStatsTable`: the GET_TOPIC_STATS_INFO (202) body. */
export interface TopicStatsTable {
  offsetTable: Array<[MessageQueueData, TopicOffset]>;
}

export function encodeTopicStatsTable(t: TopicStatsTable): Buffer {
  const table = new FastjsonMap(
    t.offsetTable.map(([mq, o]) => [
      messageQueueBean(mq),
      { lastUpdateTimestamp: o.lastUpdateTimestamp, maxOffset: o.maxOffset, minOffset: o.minOffset },
    ]),
  );
  return utf8(toFastjson({ offsetTable: table }));
}

export function decodeTopicStatsTable(body: Buffer | string): TopicStatsTable {
  const obj = parseBodyObject(body, 'TopicStatsTable');
  const offsetTable: Array<[MessageQueueData, TopicOffset]> = [];
  for (const [k, v] of Object.entries(asObject(obj.offsetTable, 'TopicStatsTable.offsetTable'))) {
    const o = asObject(v, 'TopicOffset');
    offsetTable.push([
      messageQueueFromKey(k),
      {
        minOffset: asNumber(o.minOffset, 'minOffset', 0),
        maxOffset: asNumber(o.maxOffset, 'maxOffset', 0),
        lastUpdateTimestamp: asNumber(o.lastUpdateTimestamp, 'lastUpdateTimestamp', 0),
      },
    ]);
  }
  return { offsetTable };
}

/** `ResetOffsetBody`: `{"offsetTable":{{MessageQueue}:offset}}` (INVOKE_BROKER_TO_RESET_OFFSET reply, 220 push). */
export interface ResetOffsetBody {
  offsetTable: Array<[MessageQueueData, number]>;
}

export function encodeResetOffsetBody(b: ResetOffsetBody): Buffer {
  return utf8(
    toFastjson({
      offsetTable: new FastjsonMap(b.offsetTable.map(([mq, off]) => [messageQueueBean(mq), off])),
    }),
  );
}

export function decodeResetOffsetBody(body: Buffer | string): ResetOffsetBody {
  const obj = parseBodyObject(body, 'ResetOffsetBody');
  const offsetTable: Array<[MessageQueueData, number]> = [];
  for (const [k, v] of Object.entries(asObject(obj.offsetTable, 'ResetOffsetBody.offsetTable'))) {
    offsetTable.push([messageQueueFromKey(k), asNumber(v, 'offset')]);
  }
  return { offsetTable };
}
