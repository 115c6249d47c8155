// The landing page: every broker with its put/get TPS, and charts over time of broker TPS and of the
// busiest topics, updated by one poll a second (only the samples since the last poll travel).
import { get, showError } from '../api.js';
import { TimeChart } from '../chart.js';
import { clear, fmt, h, table } from '../dom.js';
import type { BrokerRow } from '../types.js';

interface Live {
  brokers: BrokerRow[];
  brokerTps: Record<string, Array<[number, number, number, number]>>;
  topicTps: Record<string, Array<[number, number, number, number, number]>>;
  now: number;
}

const TOP_TOPICS = 5;

export function dashboardPage(root: HTMLElement): () => void {
  const summary = h('div', { class: 'row', id: 'summary' });
  const brokerBox = h('div', { id: 'brokers' });
  const chartEl = h('div', { id: 'broker-chart' });
  const topicEl = h('div', { id: 'topic-chart' });
  root.append(
    h('h2', {}, 'Dashboard'),
    h('div', { class: 'card' }, summary),
    h('div', { class: 'card' }, h('h3', {}, 'Brokers'), brokerBox),
    h('div', { class: 'card' }, chartEl),
    h(
      'div',
      { class: 'card' },
      topicEl,
      h(
        'div',
        { class: 'muted', id: 'topic-chart-note' },
        'topics are sampled less often than brokers (--topic-sample-interval)',
      ),
    ),
  );
  const brokerChart = new TimeChart(chartEl, 'Broker TPS (put / get)');
  const topicChart = new TimeChart(topicEl, `Top ${TOP_TOPICS} topics, in TPS`);
  const brokerSamples = new Map<string, Array<[number, number, number, number]>>();
  const topicSamples = new Map<string, Array<[number, number, number, number, number]>>();
  let since = 0;
  let topicSince = 0;
  let stopped = false;
  let timer: number | undefined;

  const render = (live: Live) => {
    const rows = live.brokers;
    clear(
      summary,
      h('div', { class: 'stat' }, 'clusters', h('b', {}, new Set(rows.map((r) => r.clusterName)).size)),
      h('div', { class: 'stat' }, 'brokers', h('b', { id: 'broker-count' }, rows.length)),
      h(
        'div',
        { class: 'stat' },
        'put TPS',
        h('b', { id: 'total-put' }, fmt(rows.reduce((s, r) => s + r.inTps, 0))),
      ),
      h(
        'div',
        { class: 'stat' },
        'get TPS',
        h('b', { id: 'total-get' }, fmt(rows.reduce((s, r) => s + r.outTps, 0))),
      ),
    );
    clear(
      brokerBox,
      table(
        rows,
        [
          { title: 'cluster', cell: (r) => r.clusterName },
          { title: 'broker', cell: (r) => r.brokerName, cls: 'broker-name' },
          { title: 'id', cell: (r) => (r.brokerId === 0 ? '0 (master)' : `${r.brokerId} (slave)`) },
          { title: 'address', cell: (r) => r.addr },
          { title: 'version', cell: (r) => r.version || r.error || '' },
          { title: 'put TPS', cell: (r) => fmt(r.inTps), num: true, cls: 'put-tps', sort: (r) => r.inTps },
          { title: 'get TPS', cell: (r) => fmt(r.outTps), num: true, cls: 'get-tps', sort: (r) => r.outTps },
        ],
        { id: 'broker-table' },
      ),
    );
    for (const [k, list] of Object.entries(live.brokerTps))
      brokerSamples.set(k, [...(brokerSamples.get(k) ?? []), ...list]);
    for (const [k, list] of Object.entries(live.topicTps))
      topicSamples.set(k, [...(topicSamples.get(k) ?? []), ...list]);
    const keys = [...brokerSamples.keys()].sort();
    brokerChart.update([
      ...keys.map((k) => ({
        name: `${k} put`,
        points: brokerSamples.get(k)!.map((s) => [s[0], s[1]] as [number, number]),
      })),
      ...keys.map((k) => ({
        name: `${k} get`,
        points: brokerSamples.get(k)!.map((s) => [s[0], s[2]] as [number, number]),
      })),
    ]);
    const top = [...topicSamples]
      .map(([t, list]) => ({ t, list, last: list[list.length - 1]?.[1] ?? 0 }))
      .sort((a, b) => b.last - a.last || (a.t < b.t ? -1 : 1))
      .slice(0, TOP_TOPICS);
    topicChart.update(
      top.map((x) => ({ name: x.t, points: x.list.map((s) => [s[0], s[1]] as [number, number]) })),
    );
  };

  const poll = async () => {
    try {
      const live = await get<Live>('/dashboard/live.query', { since, topicSince });
      if (stopped) return;
      since = Math.max(since, ...Object.values(live.brokerTps).flatMap((l) => l.map((s) => s[0])));
      topicSince = Math.max(topicSince, ...Object.values(live.topicTps).flatMap((l) => l.map((s) => s[0])));
      render(live);
    } catch (err) {
      showError(err);
    }
    if (!stopped) timer = window.setTimeout(poll, 1000);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
    brokerChart.destroy();
    topicChart.destroy();
  };
}
