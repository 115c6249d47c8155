import { FastjsonDouble, FastjsonMap, toFastjson } from '../fastjson.js';
import type { ConsumeStats } from './consume-stats.js';
import { asArray, asNumber, asObject, asString, parseBodyObject, utf8 } from './json-util.js';
import { messageQueueBean, messageQueueFromKey } from './message-queue-key.js';

/**
 * `ConsumeStatsList`: the GET_BROKER_CONSUME_STATS (317) body behind `mqadmin brokerConsumeStats`. Java
 * writes `consumeStatsList` as a list of one-entry maps, `{group: [ConsumeStats per topic]}`.
 */
export interface ConsumeStatsList {
  brokerAddr: string;
  totalDiff: number;
  consumeStatsList: Array<[group: string, stats: ConsumeStats[]]>;
}

export function encodeConsumeStatsList(l: ConsumeStatsList): Buffer {
  const statsBean = (s: ConsumeStats) => ({
    consumeTps: new FastjsonDouble(s.consumeTps),
    offsetTable: new FastjsonMap(s.offsetTable.map(([mq, w]) => [messageQueueBean(mq), { ...w }])),
  });
  return utf8(
    toFastjson({
      brokerAddr: l.brokerAddr,
      consumeStatsList: l.consumeStatsList.map(
        ([group, stats]) => new FastjsonMap([[group, stats.map(statsBean)]]),
      ),
      totalDiff: l.totalDiff,
    }),
  );
}

export function decodeConsumeStatsList(body: Buffer | string): ConsumeStatsList {
  const obj = parseBodyObject(body, 'ConsumeStatsList');
  const list: ConsumeStatsList['consumeStatsList'] = [];
  for (const item of asArray(obj.consumeStatsList, 'ConsumeStatsList.consumeStatsList')) {
    for (const [group, stats] of Object.entries(asObject(item, 'ConsumeStatsList entry'))) {
      list.push([
        group,
        asArray(stats, `ConsumeStatsList[${group}]`).map((s) => statsFromObject(asObject(s, 'ConsumeStats'))),
      ]);
    }
  }
  return {
    brokerAddr: asString(obj.brokerAddr, 'ConsumeStatsList.brokerAddr', ''),
    totalDiff: asNumber(obj.totalDiff, 'ConsumeStatsList.totalDiff', 0),
    consumeStatsList: list,
  };
}

function statsFromObject(o: Record<string, unknown>): ConsumeStats {
  const offsetTable: ConsumeStats['offsetTable'] = [];
  for (const [k, v] of Object.entries(asObject(o.offsetTable, 'ConsumeStats.offsetTable'))) {
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
  return { consumeTps: asNumber(o.consumeTps, 'ConsumeStats.consumeTps', 0), offsetTable };
}
