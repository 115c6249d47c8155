// /dashboard/*: DashboardController over the in-memory collector, plus /dashboard/live.query (mq's own):
// the landing page's one poll — the brokers as `mq clusterList --json` shows them and the TPS samples
// taken since the page's last poll.
import { clusterList } from '../../engine/admin/cluster-ops.js';
import type { ConsoleContext } from '../context.js';
import type { DailyFiles } from '../daily-files.js';
import { type ApiRequest, optParam, param, type Route } from '../http.js';
import { localDate, type TpsCollector } from '../tps-collector.js';

function since(req: ApiRequest, name = 'since'): number {
  const s = Number(optParam(req, name) ?? 0);
  return Number.isFinite(s) ? s : 0;
}

/** A day from memory, else from the data folder (a day before the console started). */
function day(
  inMemory: Record<string, string[]>,
  files: DailyFiles | undefined,
  date: string,
  kind: 'broker' | 'topic',
): Record<string, string[]> {
  if (Object.keys(inMemory).length || !files) return inMemory;
  const saved = files.read(date, kind) ?? {};
  if (kind === 'topic') return saved;
  // The data folder's broker lines carry put/get TPS after "time,tps"; the API answers the dashboard's two.
  return Object.fromEntries(
    Object.entries(saved).map(([k, lines]) => [k, lines.map((l) => l.split(',').slice(0, 2).join(','))]),
  );
}

export function dashboardRoutes(ctx: ConsoleContext, collector: TpsCollector, files?: DailyFiles): Route[] {
  return [
    {
      method: 'GET',
      path: '/dashboard/broker.query',
      handler: async (req) => {
        const date = param(req, 'date');
        return day(collector.brokerDay(date), files, date, 'broker');
      },
    },
    {
      method: 'GET',
      path: '/dashboard/topic.query',
      handler: async (req) => {
        const date = param(req, 'date');
        const topics = day(collector.topicDay(date), files, date, 'topic');
        const topic = optParam(req, 'topicName');
        return topic ? (topics[topic] ?? null) : topics;
      },
    },
    {
      method: 'GET',
      path: '/dashboard/topicCurrent.query',
      handler: async () => {
        // "topic,outCountToday" of the newest sample, as the dashboard answers it.
        const day = collector.topicDay(localDate(Date.now()));
        return Object.entries(day).map(([t, lines]) => `${t},${lines[lines.length - 1]!.split(',')[4]}`);
      },
    },
    {
      method: 'GET',
      path: '/dashboard/live.query',
      handler: async (req) => ({
        ...(await ctx.cache.get('dashboard/brokers', () => clusterList(ctx.admin), 1000)),
        brokerTps: collector.brokerSince(since(req)),
        topicTps: collector.topicSince(since(req, 'topicSince')),
        now: Date.now(),
      }),
    },
  ];
}
