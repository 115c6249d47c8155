// Consumer groups with members, TPS and lag (sortable, searchable); create/update and delete a group;
// its client connections and per-queue consume detail.
import { clearError, get, postJson, showError } from '../api.js';
import { clear, fmt, h, kvTable, table, time } from '../dom.js';
import type { ClusterInfo, GroupSummary, QueueProgress } from '../types.js';

interface Connections {
  connections: Array<{ clientId: string; clientAddr: string; language: string; versionDesc: string }>;
  subscriptions: Array<{ topic: string; subExpression: string }>;
  consumeType: string | null;
  messageModel: string | null;
}

export function consumerPage(root: HTMLElement): () => void {
  let groups: GroupSummary[] = [];
  let search = '';
  const listBox = h('div', { id: 'group-list' });
  const detail = h('div', { id: 'group-detail' });
  const nameInput = h('input', { id: 'new-group-name', placeholder: 'group name' });
  const clusterSelect = h('select', { id: 'new-group-cluster' });
  const retryInput = h('input', {
    id: 'new-group-retry',
    type: 'number',
    value: 16,
    min: 0,
    style: 'width:70px',
  });
  const broadcastBox = h('input', { id: 'new-group-broadcast', type: 'checkbox' });

  const renderList = () => {
    const shown = groups.filter((g) => g.group.toLowerCase().includes(search.toLowerCase()));
    clear(
      listBox,
      table(
        shown,
        [
          { title: 'group', cell: (g) => g.group, sort: (g) => g.group, cls: 'group-name' },
          { title: 'members', cell: (g) => g.count, num: true, sort: (g) => g.count },
          { title: 'version', cell: (g) => g.versionDesc },
          { title: 'type', cell: (g) => g.consumeType },
          { title: 'model', cell: (g) => g.messageModel },
          { title: 'TPS', cell: (g) => fmt(g.consumeTps, 0), num: true, sort: (g) => g.consumeTps },
          { title: 'lag', cell: (g) => g.diffTotal, num: true, sort: (g) => g.diffTotal, cls: 'group-lag' },
          {
            title: '',
            cell: (g) =>
              h(
                'span',
                {},
                h('button', { onclick: () => void progress(g.group) }, 'Detail'),
                h('button', { onclick: () => void connections(g.group) }, 'Clients'),
                h('button', { class: 'danger', onclick: () => void remove(g.group) }, 'Delete'),
              ),
          },
        ],
        { id: 'group-table' },
      ),
    );
  };

  const load = async () => {
    try {
      groups = await get<GroupSummary[]>('/consumer/groupList.query');
      renderList();
    } catch (err) {
      showError(err);
    }
  };

  const progress = async (group: string) => {
    try {
      const p = await get<{ queues: QueueProgress[]; diffTotal: number; consumeTps: number }>(
        '/consumer/queryTopicByConsumer.query',
        { consumerGroup: group },
      );
      clear(
        detail,
        h(
          'div',
          { class: 'card', id: 'group-progress' },
          h('h3', {}, `${group}: lag ${p.diffTotal}, ${fmt(p.consumeTps)} TPS`),
          table(p.queues, [
            { title: 'topic', cell: (q) => q.topic },
            { title: 'broker', cell: (q) => q.brokerName },
            { title: 'queue', cell: (q) => q.queueId, num: true },
            { title: 'broker offset', cell: (q) => q.brokerOffset, num: true },
            { title: 'consumer offset', cell: (q) => q.consumerOffset, num: true },
            { title: 'diff', cell: (q) => q.diff, num: true },
            { title: 'client', cell: (q) => q.clientIp ?? '' },
            { title: 'last consumed', cell: (q) => time(q.lastTimestamp) },
          ]),
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  const connections = async (group: string) => {
    try {
      const c = await get<Connections>('/consumer/consumerConnection.query', { consumerGroup: group });
      clear(
        detail,
        h(
          'div',
          { class: 'card', id: 'group-connections' },
          h('h3', {}, `Clients of ${group} (${c.consumeType ?? ''} ${c.messageModel ?? ''})`),
          table(c.connections, [
            { title: 'client id', cell: (x) => x.clientId },
            { title: 'address', cell: (x) => x.clientAddr },
            { title: 'language', cell: (x) => x.language },
            { title: 'version', cell: (x) => x.versionDesc },
            {
              title: '',
              cell: (x) =>
                h('button', { onclick: () => void runningInfo(group, x.clientId) }, 'Running info'),
            },
          ]),
          h('div', { id: 'running-info' }),
          h('h3', {}, 'Subscriptions'),
          table(c.subscriptions, [
            { title: 'topic', cell: (s) => s.topic },
            { title: 'expression', cell: (s) => s.subExpression },
          ]),
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  const runningInfo = async (group: string, clientId: string) => {
    try {
      const r = await get<{
        clients: Array<{
          runningInfo?: { properties: Record<string, string>; statusTable: unknown };
          error?: string;
        }>;
      }>('/consumer/consumerRunningInfo.query', { consumerGroup: group, clientId, jstack: false });
      const info = r.clients[0]?.runningInfo;
      const box = document.getElementById('running-info');
      if (box)
        clear(
          box,
          h('h3', {}, `Running info of ${clientId}`),
          info ? kvTable(info.properties) : (r.clients[0]?.error ?? 'no answer'),
          info ? h('pre', {}, JSON.stringify(info.statusTable, null, 2)) : null,
        );
    } catch (err) {
      showError(err);
    }
  };

  const remove = async (group: string) => {
    if (!confirm(`Delete group ${group} (and its retry and DLQ topics) from every cluster?`)) return;
    try {
      const ci = (await get<{ clusterInfo: ClusterInfo }>('/cluster/list.query')).clusterInfo;
      await postJson('/consumer/deleteSubGroup.do', {
        groupName: group,
        clusterNameList: Object.keys(ci.clusterAddrTable),
      });
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const create = async (e: Event) => {
    e.preventDefault();
    clearError();
    try {
      await postJson('/consumer/createOrUpdate.do', {
        clusterNameList: [clusterSelect.value],
        subscriptionGroupConfig: {
          groupName: nameInput.value.trim(),
          retryMaxTimes: Number(retryInput.value),
          consumeBroadcastEnable: broadcastBox.checked,
        },
      });
      nameInput.value = '';
      await load();
    } catch (err) {
      showError(err);
    }
  };

  root.append(
    h('h2', {}, 'Consumer'),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, 'Create or update'),
      h(
        'form',
        { class: 'inline', id: 'group-form', onsubmit: (e: Event) => void create(e) },
        nameInput,
        h('label', {}, 'cluster ', clusterSelect),
        h('label', {}, 'max retries ', retryInput),
        h('label', {}, broadcastBox, ' broadcast'),
        h('button', { class: 'primary', type: 'submit', id: 'new-group-submit' }, 'Save'),
      ),
    ),
    h(
      'div',
      { class: 'card' },
      h('input', {
        id: 'group-search',
        placeholder: 'search',
        oninput: (e: Event) => {
          search = (e.target as HTMLInputElement).value;
          renderList();
        },
      }),
      h('button', { onclick: () => void load() }, 'Refresh'),
      listBox,
    ),
    detail,
  );
  get<{ clusterInfo: ClusterInfo }>('/cluster/list.query')
    .then((d) => {
      for (const c of Object.keys(d.clusterInfo.clusterAddrTable).sort())
        clusterSelect.append(h('option', { value: c }, c));
    })
    .catch(showError);
  void load();
  return () => {};
}
