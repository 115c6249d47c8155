// Messages by topic and time range, by key, or by id (offset id, or client id with its topic); the detail
// of one with its properties, body as text or hex, and what each consumer group did with it.
import { get, postForm, postJson, showError } from '../api.js';
import { clear, h, kvTable, table, time } from '../dom.js';
import type { MessageView } from '../types.js';

function hex(b64: string): string {
  const bin = atob(b64);
  const out: string[] = [];
  for (let i = 0; i < bin.length; i++) out.push(bin.charCodeAt(i).toString(16).padStart(2, '0'));
  return out.join(' ');
}

function localInput(ms: number): string {
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function messagePage(root: HTMLElement, query: URLSearchParams): () => void {
  const results = h('div', { id: 'message-results' });
  const detail = h('div', { id: 'message-detail' });
  const topicList = h('datalist', { id: 'topics' });

  const showDetail = async (m: MessageView) => {
    try {
      const id = m.offsetMsgId ?? m.msgId;
      const d = await get<{
        messageView: MessageView;
        messageTrackList: Array<{ consumerGroup: string; trackType: string; exceptionDesc: string | null }>;
      }>('/message/viewMessage.query', { msgId: id, topic: m.topic });
      const v = d.messageView;
      const bodyBox = h('pre', { id: 'message-body' }, v.body);
      const groupBox = h('input', { id: 'resend-group', placeholder: 'consumer group' });
      const resendOut = h('span', { id: 'resend-result' });
      const resend = (e: Event) => {
        e.preventDefault();
        resendOut.textContent = '';
        postForm<{ via: string; consumeResult?: string; status?: string; clientId?: string }>(
          '/message/consumeMessageDirectly.do',
          { topic: v.topic, msgId: id, consumerGroup: groupBox.value.trim() },
        )
          .then((r) => {
            resendOut.textContent =
              r.via === 'CONSUME_MESSAGE_DIRECTLY'
                ? `${r.consumeResult} (consumed by ${r.clientId})`
                : `${r.status} (sent to the group's retry topic)`;
          })
          .catch(showError);
      };
      clear(
        detail,
        h(
          'div',
          { class: 'card' },
          h(
            'h3',
            {},
            `Message ${v.msgId} `,
            h('a', { href: `#/trace?msgId=${encodeURIComponent(v.msgId)}`, id: 'trace-link' }, 'trace'),
          ),
          kvTable({
            topic: v.topic,
            tags: v.tags ?? '',
            keys: v.keys ?? '',
            queue: `${v.queueId} @ ${v.queueOffset}`,
            'offset msg id': v.offsetMsgId ?? '',
            'born at': `${time(v.bornTimestamp)} from ${v.bornHost ?? ''}`,
            'stored at': `${time(v.storeTimestamp)} on ${v.storeHost ?? ''}`,
            'body size': v.bodyLength,
            'reconsume times': v.reconsumeTimes ?? 0,
          }),
          h('h3', {}, 'Properties'),
          kvTable(v.properties),
          h(
            'h3',
            {},
            'Body ',
            h('button', { onclick: () => (bodyBox.textContent = v.body) }, 'text'),
            h('button', { onclick: () => (bodyBox.textContent = hex(v.bodyBase64)) }, 'hex'),
          ),
          bodyBox,
          h(
            'form',
            { class: 'inline', id: 'resend-form', onsubmit: resend },
            h('b', {}, 'Resend to group '),
            groupBox,
            h('button', { type: 'submit' }, 'Resend'),
            resendOut,
          ),
          h('h3', {}, 'Tracks'),
          table(d.messageTrackList, [
            { title: 'group', cell: (t) => t.consumerGroup },
            { title: 'state', cell: (t) => t.trackType },
            { title: '', cell: (t) => t.exceptionDesc ?? '' },
          ]),
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  const show = (msgs: MessageView[], sort = true) => {
    if (sort) msgs.sort((a, b) => b.storeTimestamp - a.storeTimestamp);
    clear(
      results,
      h('div', { class: 'muted' }, `${msgs.length} messages`),
      table(
        msgs,
        [
          { title: 'message id', cell: (m) => m.msgId, cls: 'msg-id' },
          { title: 'tags', cell: (m) => m.tags ?? '' },
          { title: 'keys', cell: (m) => m.keys ?? '' },
          { title: 'stored', cell: (m) => time(m.storeTimestamp), sort: (m) => m.storeTimestamp },
          { title: '', cell: (m) => h('button', { onclick: () => void showDetail(m) }, 'Detail') },
        ],
        { id: 'message-table' },
      ),
    );
  };

  // By topic and time range: the paged query; its taskId keeps the offset ranges of the first call.
  const PAGE_SIZE = 100;
  const pager = h('div', { id: 'message-pager', class: 'inline' });
  const walk = async (pageNum: number, taskId: string | undefined) => {
    clear(detail);
    try {
      const r = await postJson<{
        page: { content: MessageView[]; number: number; totalPages: number; totalElements: number };
        taskId: string;
      }>('/message/queryMessagePageByTopic.query', {
        topic: topic1.value.trim(),
        begin: new Date(begin.value).getTime(),
        end: new Date(end.value).getTime(),
        pageNum,
        pageSize: PAGE_SIZE,
        ...(taskId ? { taskId } : {}),
      });
      const p = r.page;
      show(p.content, false);
      clear(
        pager,
        h(
          'button',
          { id: 'page-prev', disabled: p.number === 0, onclick: () => void walk(p.number, r.taskId) },
          '‹ Prev',
        ),
        h(
          'span',
          { id: 'page-info' },
          ` page ${p.number + 1} of ${Math.max(p.totalPages, 1)} (${p.totalElements} messages) `,
        ),
        h(
          'button',
          {
            id: 'page-next',
            disabled: p.number + 1 >= p.totalPages,
            onclick: () => void walk(p.number + 2, r.taskId),
          },
          'Next ›',
        ),
      );
    } catch (err) {
      showError(err);
    }
  };

  const run = async (fn: () => Promise<MessageView[]>) => {
    clear(pager);
    clear(detail);
    try {
      show(await fn());
    } catch (err) {
      showError(err);
    }
  };

  const topic1 = h('input', {
    id: 'q-topic',
    list: 'topics',
    placeholder: 'topic',
    value: query.get('topic') ?? '',
  });
  const begin = h('input', {
    id: 'q-begin',
    type: 'datetime-local',
    value: localInput(Date.now() - 3_600_000),
  });
  const end = h('input', { id: 'q-end', type: 'datetime-local', value: localInput(Date.now() + 60_000) });
  const topic2 = h('input', { id: 'k-topic', list: 'topics', placeholder: 'topic' });
  const key = h('input', { id: 'k-key', placeholder: 'key' });
  const topic3 = h('input', { id: 'i-topic', list: 'topics', placeholder: 'topic (for a client id)' });
  const msgId = h('input', { id: 'i-id', placeholder: 'message id', style: 'width:300px' });

  root.append(
    h('h2', {}, 'Message'),
    topicList,
    h(
      'div',
      { class: 'card' },
      h(
        'form',
        {
          class: 'inline',
          id: 'by-topic',
          onsubmit: (e: Event) => {
            e.preventDefault();
            void walk(1, undefined);
          },
        },
        h('b', {}, 'By topic '),
        topic1,
        begin,
        end,
        h('button', { class: 'primary', type: 'submit' }, 'Search'),
      ),
      h(
        'form',
        {
          class: 'inline',
          id: 'by-key',
          onsubmit: (e: Event) => {
            e.preventDefault();
            void run(
              async () =>
                (
                  await get<{ messages: MessageView[] }>('/message/queryMessageByTopicAndKey.query', {
                    topic: topic2.value.trim(),
                    key: key.value.trim(),
                  })
                ).messages,
            );
          },
        },
        h('b', {}, 'By key '),
        topic2,
        key,
        h('button', { class: 'primary', type: 'submit' }, 'Search'),
      ),
      h(
        'form',
        {
          class: 'inline',
          id: 'by-id',
          onsubmit: (e: Event) => {
            e.preventDefault();
            const t = topic3.value.trim();
            void run(async () => {
              const d = await get<{ messageView: MessageView }>(
                '/message/viewMessage.query',
                t ? { msgId: msgId.value.trim(), topic: t } : { msgId: msgId.value.trim() },
              );
              return [d.messageView];
            });
          },
        },
        h('b', {}, 'By id '),
        topic3,
        msgId,
        h('button', { class: 'primary', type: 'submit' }, 'Search'),
      ),
    ),
    h('div', { class: 'card' }, pager, results),
    detail,
  );
  get<{ topicList: string[] }>('/topic/list.query', { skipSysProcess: true })
    .then((d) => {
      for (const t of d.topicList) topicList.append(h('option', { value: t }));
    })
    .catch(showError);
  return () => {};
}
