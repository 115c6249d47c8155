// Dead letters of a consumer group by time range; resend one or all of them to the group.
import { postJson, showError } from '../api.js';
import { clear, h, table, time } from '../dom.js';
import type { MessageView } from '../types.js';

interface Resent {
  msgId: string;
  status: string;
  resentMsgId?: string;
  error?: string;
}

function localInput(ms: number): string {
  return new Date(ms - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function dlqPage(root: HTMLElement): () => void {
  const group = h('input', { id: 'dlq-group', placeholder: 'consumer group' });
  const begin = h('input', {
    id: 'dlq-begin',
    type: 'datetime-local',
    value: localInput(Date.now() - 24 * 3_600_000),
  });
  const end = h('input', { id: 'dlq-end', type: 'datetime-local', value: localInput(Date.now() + 60_000) });
  const out = h('div', { id: 'dlq-results' });
  const report = h('div', { id: 'dlq-report' });
  let shown: MessageView[] = [];

  const resend = async (msgs: MessageView[]) => {
    try {
      const r = await postJson<Resent[]>(
        '/dlqMessage/batchResendDlqMessage.do',
        msgs.map((m) => ({ msgId: m.offsetMsgId ?? m.msgId, consumerGroup: group.value.trim() })),
      );
      clear(
        report,
        table(
          r,
          [
            { title: 'message id', cell: (x) => x.msgId },
            { title: 'result', cell: (x) => x.status, cls: 'resend-status' },
            { title: '', cell: (x) => x.error ?? x.resentMsgId ?? '' },
          ],
          { id: 'dlq-resent' },
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  // The dashboard's batch export, as a JSON file the browser saves.
  const exportAll = async (msgs: MessageView[]) => {
    try {
      const res = await fetch('/dlqMessage/batchExportDlqMessage.do', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          msgs.map((m) => ({ msgId: m.offsetMsgId ?? m.msgId, consumerGroup: group.value.trim() })),
        ),
      });
      if (!res.headers.get('content-disposition')) {
        const env = (await res.json()) as { errMsg: string | null };
        throw new Error(env.errMsg ?? `export: HTTP ${res.status}`);
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'dlq.json';
      const a = h('a', { href: URL.createObjectURL(await res.blob()), download: name });
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (err) {
      showError(err);
    }
  };

  const search = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await postJson<{ queues: Array<{ messages: MessageView[] }> }>(
        '/dlqMessage/queryDlqMessageByConsumerGroup.query',
        {
          consumerGroup: group.value.trim(),
          begin: new Date(begin.value).getTime(),
          end: new Date(end.value).getTime(),
        },
      );
      shown = r.queues.flatMap((q) => q.messages).sort((a, b) => b.storeTimestamp - a.storeTimestamp);
      clear(
        out,
        h(
          'div',
          {},
          `${shown.length} dead letters `,
          shown.length
            ? h('button', { id: 'dlq-resend-all', onclick: () => void resend(shown) }, 'Resend all')
            : null,
          shown.length
            ? h('button', { id: 'dlq-export-all', onclick: () => void exportAll(shown) }, 'Export all')
            : null,
        ),
        table(
          shown,
          [
            { title: 'message id', cell: (m) => m.msgId, cls: 'msg-id' },
            { title: 'original topic', cell: (m) => m.properties.RETRY_TOPIC ?? '' },
            { title: 'keys', cell: (m) => m.keys ?? '' },
            { title: 'body', cell: (m) => m.body.slice(0, 80) },
            { title: 'stored', cell: (m) => time(m.storeTimestamp) },
            {
              title: '',
              cell: (m) =>
                h(
                  'span',
                  {},
                  h('button', { onclick: () => void resend([m]) }, 'Resend'),
                  ' ',
                  h(
                    'a',
                    {
                      class: 'dlq-export',
                      href: `/dlqMessage/exportDlqMessage.do?${new URLSearchParams({ consumerGroup: group.value.trim(), msgId: m.offsetMsgId ?? m.msgId })}`,
                      download: '',
                    },
                    'Export',
                  ),
                ),
            },
          ],
          { id: 'dlq-table' },
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  root.append(
    h('h2', {}, 'Dead letters'),
    h(
      'div',
      { class: 'card' },
      h(
        'form',
        { class: 'inline', id: 'dlq-form', onsubmit: (e: Event) => void search(e) },
        group,
        begin,
        end,
        h('button', { class: 'primary', type: 'submit' }, 'Search'),
      ),
    ),
    h('div', { class: 'card' }, out, report),
  );
  return () => {};
}
