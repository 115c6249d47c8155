// Brokers by cluster and name: master/slave, address, version, TPS; every runtime key and the config of one.
import { get, showError } from '../api.js';
import { clear, fmt, h, kvTable, table } from '../dom.js';
import type { BrokerRow, ClusterInfo } from '../types.js';

interface ClusterList {
  clusterInfo: ClusterInfo;
  brokerServer: Record<string, Record<string, Record<string, string>>>;
  brokers: BrokerRow[];
}

export function clusterPage(root: HTMLElement): () => void {
  const list = h('div', { id: 'cluster-brokers' });
  const detail = h('div', { id: 'cluster-detail' });
  root.append(h('h2', {}, 'Cluster'), h('div', { class: 'card' }, list), detail);
  let data: ClusterList | undefined;

  const showStatus = (r: BrokerRow) => {
    const kv = data?.brokerServer[r.brokerName]?.[String(r.brokerId)] ?? {};
    clear(
      detail,
      h(
        'div',
        { class: 'card' },
        h('h3', {}, `Runtime info of ${r.brokerName} (${r.addr})`),
        kvTable(kv, { id: 'runtime-info' }),
      ),
    );
  };
  const showConfig = async (r: BrokerRow) => {
    try {
      const cfg = await get<Record<string, string>>('/cluster/brokerConfig.query', { brokerAddr: r.addr });
      clear(
        detail,
        h(
          'div',
          { class: 'card' },
          h('h3', {}, `Config of ${r.brokerName} (${r.addr})`),
          kvTable(cfg, { id: 'broker-config' }),
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  get<ClusterList>('/cluster/list.query')
    .then((d) => {
      data = d;
      clear(
        list,
        table(
          d.brokers,
          [
            { title: 'cluster', cell: (r) => r.clusterName, sort: (r) => r.clusterName },
            { title: 'broker', cell: (r) => r.brokerName, sort: (r) => r.brokerName },
            { title: 'role', cell: (r) => (r.brokerId === 0 ? 'master' : `slave ${r.brokerId}`) },
            { title: 'address', cell: (r) => r.addr },
            { title: 'version', cell: (r) => r.version || r.error || '' },
            { title: 'put TPS', cell: (r) => fmt(r.inTps), num: true },
            { title: 'get TPS', cell: (r) => fmt(r.outTps), num: true },
            { title: 'hours kept', cell: (r) => fmt(r.hours), num: true },
            { title: 'disk', cell: (r) => `${fmt(r.space * 100, 1)}%`, num: true },
            {
              title: '',
              cell: (r) =>
                h(
                  'span',
                  {},
                  h('button', { onclick: () => showStatus(r), class: 'status-btn' }, 'Status'),
                  h('button', { onclick: () => void showConfig(r), class: 'config-btn' }, 'Config'),
                ),
            },
          ],
          { id: 'cluster-table' },
        ),
      );
    })
    .catch(showError);
  return () => {};
}
