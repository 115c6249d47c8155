// The name server list the console talks to (switch, add) and TLS.
import { get, postForm, showError } from '../api.js';
import { clear, h } from '../dom.js';

interface Home {
  currentNamesrv: string;
  namesvrAddrList: string[];
  useVIPChannel: boolean;
  useTLS: boolean;
}

export function opsPage(root: HTMLElement): () => void {
  const box = h('div', { class: 'card', id: 'ops' });
  root.append(h('h2', {}, 'Ops'), box);
  const load = async () => {
    try {
      const o = await get<Home>('/ops/homePage.query');
      const select = h(
        'select',
        { id: 'namesrv-select' },
        ...o.namesvrAddrList.map((a) => h('option', { value: a, selected: a === o.currentNamesrv }, a)),
      );
      const add = h('input', { id: 'namesrv-add', placeholder: 'host:port;host:port' });
      const tls = h('input', { type: 'checkbox', id: 'use-tls', checked: o.useTLS });
      const vip = h('input', { type: 'checkbox', id: 'use-vip', checked: o.useVIPChannel });
      clear(
        box,
        h('p', {}, 'Current name server: ', h('b', { id: 'current-namesrv' }, o.currentNamesrv)),
        h(
          'form',
          {
            class: 'inline',
            onsubmit: (e: Event) => {
              e.preventDefault();
              void postForm('/ops/updateNameSvrAddr.do', { nameSvrAddrList: select.value })
                .then(load)
                .catch(showError);
            },
          },
          select,
          h('button', { class: 'primary', type: 'submit' }, 'Switch'),
        ),
        h(
          'form',
          {
            class: 'inline',
            onsubmit: (e: Event) => {
              e.preventDefault();
              void postForm('/ops/addNameSvrAddr.do', { newNamesrvAddr: add.value })
                .then(load)
                .catch(showError);
            },
          },
          add,
          h('button', { type: 'submit' }, 'Add'),
        ),
        h(
          'p',
          {},
          h('label', {}, vip, ' use the VIP channel (broker port − 2)'),
          h(
            'button',
            {
              id: 'apply-vip',
              onclick: () =>
                void postForm('/ops/updateIsVIPChannel.do', { useVIPChannel: String(vip.checked) })
                  .then(load)
                  .catch(showError),
            },
            'Apply',
          ),
        ),
        h(
          'p',
          {},
          h('label', {}, tls, ' use TLS'),
          h(
            'button',
            {
              onclick: () =>
                void postForm('/ops/updateUseTLS.do', { useTLS: String(tls.checked) })
                  .then(load)
                  .catch(showError),
            },
            'Apply',
          ),
        ),
      );
    } catch (err) {
      showError(err);
    }
  };
  void load();
  return () => {};
}
