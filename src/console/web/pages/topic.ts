// Topics: filter by kind and name; create/update and delete; status, route and consumer groups of one;
// send a test message.
import { clearError, get, postForm, postJson, showError } from '../api.js';
import { clear, h, kvTable, table, time } from '../dom.js';
import type { ClusterInfo, QueueProgress } from '../types.js';

type Kind = 'all' | 'normal' | 'retry' | 'dlq' | 'system';

function kindOf(t: string): Exclude<Kind, 'all'> {
  if (t.startsWith('%SYS%')) return 'system';
  if (t.startsWith('%RETRY%')) return 'retry';
  if (t.startsWith('%DLQ%')) return 'dlq';
  return 'normal';
}

export function topicPage(root: HTMLElement): () => void {
  let topics: string[] = [];
  let kind: Kind = 'normal';
  let search = '';
  const listBox = h('div', { id: 'topic-list' });
  const detail = h('div', { id: 'topic-detail' });
  const clusterSelect = h('select', { id: 'new-topic-cluster' });
  const nameInput = h('input', { id: 'new-topic-name', placeholder: 'topic name' });
  const readInput = h('input', {
    id: 'new-topic-read',
    type: 'number',
    value: 8,
    min: 1,
    max: 1024,
    style: 'width:70px',
  });
  const writeInput = h('input', {
    id: 'new-topic-write',
    type: 'number',
    value: 8,
    min: 1,
    max: 1024,
    style: 'width:70px',
  });
  const permSelect = h(
    'select',
    { id: 'new-topic-perm' },
    h('option', { value: 6 }, 'RW'),
    h('option', { value: 4 }, 'R'),
    h('option', { value: 2 }, 'W'),
  );
  const orderBox = h('input', { id: 'new-topic-order', type: 'checkbox' });

  const renderList = () => {
    const shown = topics.filter(
      (t) => (kind === 'all' || kindOf(t) === kind) && t.toLowerCase().includes(search.toLowerCase()),
    );
    clear(
      listBox,
      h('div', { class: 'muted' }, `${shown.length} of ${topics.length} topics`),
      table(
        shown,
        [
          { title: 'topic', cell: (t) => t, sort: (t) => t, cls: 'topic-name' },
          {
            title: '',
            cell: (t) => {
              const name = t.replace(/^%SYS%/, '');
              return h(
                'span',
                {},
                h('button', { onclick: () => void status(name) }, 'Status'),
                h('button', { onclick: () => void route(name) }, 'Route'),
                h('button', { onclick: () => void consumers(name) }, 'Consumers'),
                h('button', { onclick: () => sendForm(name) }, 'Send'),
                kindOf(t) === 'system'
                  ? null
                  : h('button', { class: 'danger', onclick: () => void remove(name) }, 'Delete'),
              );
            },
          },
        ],
        { id: 'topic-table' },
      ),
    );
  };

  const load = async () => {
    try {
      const d = await get<{ topicList: string[] }>('/topic/list.query');
      topics = d.topicList;
      renderList();
    } catch (err) {
      showError(err);
    }
  };

  const status = async (topic: string) => {
    try {
      const s = await get<{
        queues: Array<{
          brokerName: string;
          queueId: number;
          minOffset: number;
          maxOffset: number;
          lastUpdateTimestamp: number;
        }>;
      }>('/topic/stats.query', { topic });
      clear(
        detail,
        h(
          'div',
          { class: 'card' },
          h('h3', {}, `Status of ${topic}`),
          table(
            s.queues,
            [
              { title: 'broker', cell: (q) => q.brokerName },
              { title: 'queue', cell: (q) => q.queueId, num: true },
              { title: 'min offset', cell: (q) => q.minOffset, num: true },
              { title: 'max offset', cell: (q) => q.maxOffset, num: true, cls: 'max-offset' },
              { title: 'last update', cell: (q) => time(q.lastUpdateTimestamp) },
            ],
            { id: 'topic-status' },
          ),
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  const route = async (topic: string) => {
    try {
      const r = await get<{
        brokerDatas: Array<{ brokerName: string; cluster: string; brokerAddrs: Record<string, string> }>;
        queueDatas: Array<Record<string, number | string>>;
      }>('/topic/route.query', { topic });
      clear(
        detail,
        h(
          'div',
          { class: 'card', id: 'topic-route' },
          h('h3', {}, `Route of ${topic}`),
          table(r.brokerDatas, [
            { title: 'broker', cell: (b) => b.brokerName },
            { title: 'cluster', cell: (b) => b.cluster },
            {
              title: 'addresses',
              cell: (b) =>
                Object.entries(b.brokerAddrs)
                  .map(([id, a]) => `${id}: ${a}`)
                  .join(', '),
            },
          ]),
          h('h3', {}, 'Queues'),
          table(r.queueDatas, [
            { title: 'broker', cell: (q) => String(q.brokerName) },
            { title: 'read', cell: (q) => String(q.readQueueNums), num: true },
            { title: 'write', cell: (q) => String(q.writeQueueNums), num: true },
            { title: 'perm', cell: (q) => String(q.perm), num: true },
          ]),
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  const consumers = async (topic: string) => {
    try {
      const m = await get<Record<string, { diffTotal: number; queues: QueueProgress[]; error?: string }>>(
        '/topic/queryConsumerByTopic.query',
        { topic },
      );
      clear(
        detail,
        h(
          'div',
          { class: 'card', id: 'topic-consumers' },
          h('h3', {}, `Consumer groups of ${topic}`),
          table(
            Object.entries(m),
            [
              { title: 'group', cell: ([g]) => g },
              { title: 'lag', cell: ([, p]) => p.diffTotal, num: true, cls: 'consumer-lag' },
              { title: 'queues', cell: ([, p]) => p.queues.length, num: true },
              {
                title: 'reset offset',
                cell: ([g]) => {
                  const at = h('input', { type: 'datetime-local', class: 'reset-time' });
                  const reset = (time: number) =>
                    postJson('/consumer/resetOffset.do', {
                      consumerGroupList: [g],
                      topic,
                      resetTime: time,
                      force: true,
                    })
                      .then(() => consumers(topic))
                      .catch(showError);
                  return h(
                    'span',
                    {},
                    at,
                    h(
                      'button',
                      { onclick: () => at.value && void reset(new Date(at.value).getTime()) },
                      'Reset',
                    ),
                    h('button', { class: 'skip-btn', onclick: () => void reset(-1) }, 'Skip all'),
                  );
                },
              },
              { title: '', cell: ([, p]) => p.error ?? '' },
            ],
            { id: 'topic-consumer-table' },
          ),
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  const sendForm = (topic: string) => {
    const body = h('input', { id: 'send-body', placeholder: 'body', value: 'hello from mq console' });
    const key = h('input', { id: 'send-key', placeholder: 'key' });
    const tag = h('input', { id: 'send-tag', placeholder: 'tag' });
    const out = h('div', { id: 'send-result' });
    clear(
      detail,
      h(
        'div',
        { class: 'card' },
        h('h3', {}, `Send a message to ${topic}`),
        h(
          'form',
          {
            class: 'inline',
            onsubmit: (e: Event) => {
              e.preventDefault();
              postJson<Record<string, unknown>>('/topic/sendTopicMessage.do', {
                topic,
                messageBody: body.value,
                key: key.value,
                tag: tag.value,
              })
                .then((r) => clear(out, kvTable(r)))
                .catch(showError);
            },
          },
          body,
          key,
          tag,
          h('button', { class: 'primary', type: 'submit' }, 'Send'),
        ),
        out,
      ),
    );
  };

  const remove = async (topic: string) => {
    if (!confirm(`Delete topic ${topic} from every cluster that has it?`)) return;
    try {
      await postForm('/topic/deleteTopic.do', { topic });
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const create = async (e: Event) => {
    e.preventDefault();
    clearError();
    try {
      await postJson('/topic/createOrUpdate.do', {
        topicName: nameInput.value.trim(),
        clusterNameList: [clusterSelect.value],
        readQueueNums: Number(readInput.value),
        writeQueueNums: Number(writeInput.value),
        perm: Number(permSelect.value),
        order: orderBox.checked,
      });
      nameInput.value = '';
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const filters = h(
    'div',
    { class: 'tabs', id: 'topic-filters' },
    ...(['all', 'normal', 'retry', 'dlq', 'system'] as Kind[]).map((k) =>
      h(
        'button',
        {
          class: k === kind ? 'active' : undefined,
          'data-kind': k,
          onclick: (e: Event) => {
            kind = k;
            for (const b of filters.querySelectorAll('button'))
              b.classList.toggle('active', b === e.currentTarget);
            renderList();
          },
        },
        k,
      ),
    ),
    h('input', {
      id: 'topic-search',
      placeholder: 'search',
      oninput: (e: Event) => {
        search = (e.target as HTMLInputElement).value;
        renderList();
      },
    }),
  );

  root.append(
    h('h2', {}, 'Topic'),
    h(
      'div',
      { class: 'card' },
      h('h3', {}, 'Create or update'),
      h(
        'form',
        { class: 'inline', id: 'topic-form', onsubmit: (e: Event) => void create(e) },
        nameInput,
        h('label', {}, 'cluster ', clusterSelect),
        h('label', {}, 'read ', readInput),
        h('label', {}, 'write ', writeInput),
        h('label', {}, 'perm ', permSelect),
        h('label', {}, orderBox, ' order'),
        h('button', { class: 'primary', type: 'submit', id: 'new-topic-submit' }, 'Save'),
      ),
    ),
    h('div', { class: 'card' }, filters, listBox),
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
