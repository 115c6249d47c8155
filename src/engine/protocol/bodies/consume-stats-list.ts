import { FastjsonMap, toFastjson } from '../fastjson.js';
import { type ConsumeStats, consumeStatsBean, consumeStatsFromObject } from './consume-stats.js';
import { asArray, asNumber, asObject, asString, parseBodyObject, utf8 } from './json-util.js';

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
  return utf8(
    toFastjson({
      brokerAddr: l.brokerAddr,
      consumeStatsList: l.consumeStatsList.map(
        ([group, stats]) => new FastjsonMap([[group, stats.map(consumeStatsBean)]]),
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
        asArray(stats, `ConsumeStatsList[${group}]`).map((s) =>
          consumeStatsFromObject(asObject(s, 'ConsumeStats')),
        ),
      ]);
    }
  }
  return {
    brokerAddr: asString(obj.brokerAddr, 'ConsumeStatsList.brokerAddr', ''),
    totalDiff: asNumber(obj.totalDiff, 'ConsumeStatsList.totalDiff', 0),
    consumeStatsList: list,
  };
}
