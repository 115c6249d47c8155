// The connections of a producer group on a topic.
import { get, showError } from '../api.js';
import { clear, h, table } from '../dom.js';

export function producerPage(root: HTMLElement): () => void {
  const out = h('div', { id: 'producer-connections' });
  const topic = h('input', { id: 'p-topic', placeholder: 'topic' });
  const group = h('input', { id: 'p-group', placeholder: 'producer group' });
  root.append(
    h('h2', {}, 'Producer'),
    h(
      'div',
      { class: 'card' },
      h(
        'form',
        {
          class: 'inline',
          onsubmit: (e: Event) => {
            e.preventDefault();
            get<{
              connections: Array<{
                clientId: string;
                clientAddr: string;
                language: string;
                versionDesc: string;
              }>;
            }>('/producer/producerConnection.query', {
              producerGroup: group.value.trim(),
              topic: topic.value.trim(),
            })
              .then((c) =>
                clear(
                  out,
                  table(c.connections, [
                    { title: 'client id', cell: (x) => x.clientId },
                    { title: 'address', cell: (x) => x.clientAddr },
                    { title: 'language', cell: (x) => x.language },
                    { title: 'version', cell: (x) => x.versionDesc },
                  ]),
                ),
              )
              .catch(showError);
          },
        },
        topic,
        group,
        h('button', { class: 'primary', type: 'submit' }, 'Search'),
      ),
      out,
    ),
  );
  return () => {};
}
