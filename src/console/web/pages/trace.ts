// A message's trace records (Pub, SubBefore, SubAfter) in time order.
import { get, showError } from '../api.js';
import { clear, h, table, time } from '../dom.js';

interface Trace {
  msgType: string;
  groupName: string;
  clientHost: string;
  timeStamp: number;
  costTime: number;
  status: string;
  topic?: string;
}

export function tracePage(root: HTMLElement, query: URLSearchParams): () => void {
  const id = h('input', {
    id: 'trace-id',
    placeholder: 'message id',
    style: 'width:320px',
    value: query.get('msgId') ?? '',
  });
  const topic = h('input', { id: 'trace-topic', placeholder: 'trace topic (default RMQ_SYS_TRACE_TOPIC)' });
  const out = h('div', { id: 'trace-results' });
  const search = async (e?: Event) => {
    e?.preventDefault();
    try {
      const params: Record<string, string> = { msgId: id.value.trim() };
      if (topic.value.trim()) params.traceTopic = topic.value.trim();
      const r = await get<{ traces: Trace[] }>('/messageTrace/viewMessageTraceDetail.query', params);
      const traces = [...r.traces].sort((a, b) => a.timeStamp - b.timeStamp);
      const t0 = traces[0]?.timeStamp ?? 0;
      clear(
        out,
        table(
          traces,
          [
            { title: 'at', cell: (t) => time(t.timeStamp) },
            { title: '+ms', cell: (t) => t.timeStamp - t0, num: true },
            { title: 'type', cell: (t) => t.msgType, cls: 'trace-type' },
            { title: 'group', cell: (t) => t.groupName },
            { title: 'client', cell: (t) => t.clientHost },
            { title: 'cost ms', cell: (t) => t.costTime, num: true },
            { title: 'status', cell: (t) => t.status },
          ],
          { id: 'trace-table' },
        ),
      );
    } catch (err) {
      showError(err);
    }
  };
  root.append(
    h('h2', {}, 'Message trace'),
    h(
      'div',
      { class: 'card' },
      h(
        'form',
        { class: 'inline', onsubmit: (e: Event) => void search(e) },
        id,
        topic,
        h('button', { class: 'primary', type: 'submit' }, 'Search'),
      ),
    ),
    h('div', { class: 'card' }, out),
  );
  if (id.value) void search();
  return () => {};
}
