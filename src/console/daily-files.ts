// The dashboard's data folder (--data-dir): `<dir>/dashboard/<yyyy-MM-dd>_broker.json` and `_topic.json`,
// each a JSON map of broker (`brokerName:id`) or topic to its sample lines of that day, as rocketmq-dashboard's
// DashboardCollectTask writes them every minute. Broker lines are "time,tps" there; this console appends
// ",putTps,getTps" (the dashboard reads the first two fields only) so the live chart's two lines come back
// after a restart. Today's and yesterday's files are loaded at start; other days are read when asked for.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrokerSample, localDate, type TopicSample, type TpsCollector } from './tps-collector.js';

type DayMap = Record<string, string[]>;

export class DailyFiles {
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.dir = join(dataDir, 'dashboard');
    mkdirSync(this.dir, { recursive: true });
  }

  private file(date: string, kind: 'broker' | 'topic'): string {
    return join(this.dir, `${date}_${kind}.json`);
  }

  /** A day's file, or undefined when there is none; a file that is not a map of string lists is set aside. */
  read(date: string, kind: 'broker' | 'topic'): DayMap | undefined {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
    const file = this.file(date, kind);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const o = JSON.parse(text) as unknown;
      if (!o || typeof o !== 'object' || Array.isArray(o)) throw new Error('not a JSON object');
      for (const [k, v] of Object.entries(o))
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
          throw new Error(`${k}: not a list of "time,value,…" lines`);
      return o as DayMap;
    } catch (err) {
      // Kept, not overwritten by the next save: the operator may want it.
      const aside = `${file}.bad-${Date.now()}`;
      renameSync(file, aside);
      this.log(`data file ${file}: ${(err as Error).message}; moved to ${aside}`);
      return undefined;
    }
  }

  /** Writes the collector's samples of each given day (write to a temp file, then rename). */
  save(collector: TpsCollector, dates: Iterable<string>): void {
    for (const date of new Set(dates)) {
      const broker = collector.brokerDay(date, true);
      const topic = collector.topicDay(date);
      for (const [kind, map] of [
        ['broker', broker],
        ['topic', topic],
      ] as const) {
        if (Object.keys(map).length === 0) continue;
        const file = this.file(date, kind);
        writeFileSync(`${file}.tmp`, JSON.stringify(map));
        renameSync(`${file}.tmp`, file);
      }
    }
  }

  /** Today's and yesterday's samples back into the collector (the charts' history across restarts). */
  load(collector: TpsCollector, now = Date.now()): number {
    const brokers: Record<string, BrokerSample[]> = {};
    const topics: Record<string, TopicSample[]> = {};
    const num = (s: string | undefined) => (s === undefined || s === '' ? Number.NaN : Number(s));
    for (const date of [localDate(now - 86_400_000), localDate(now)]) {
      for (const [k, lines] of Object.entries(this.read(date, 'broker') ?? {})) {
        for (const line of lines) {
          const [t, tps, put, get] = line.split(',').map((x) => x.trim());
          if (!Number.isFinite(num(t))) continue;
          (brokers[k] ??= []).push([num(t), num(put), num(get), num(tps)]);
        }
      }
      for (const [k, lines] of Object.entries(this.read(date, 'topic') ?? {})) {
        for (const line of lines) {
          const f = line.split(',').map(num);
          if (f.length < 5 || !Number.isFinite(f[0])) continue;
          (topics[k] ??= []).push([f[0]!, f[1]!, f[2]!, f[3]!, f[4]!]);
        }
      }
    }
    return collector.restore(brokers, topics, now);
  }
}
