// Plain ACL of the brokers: accounts and the global white list, created, edited and deleted on every master.
import { get, postJson, showError } from '../api.js';
import { clear, h, table } from '../dom.js';

interface Account {
  accessKey: string;
  secretKey: string;
  whiteRemoteAddress?: string;
  admin?: boolean;
  defaultTopicPerm?: string;
  defaultGroupPerm?: string;
  topicPerms?: string[];
  groupPerms?: string[];
}

interface AclConfig {
  globalWhiteAddrs: string[];
  plainAccessConfigs: Account[];
  brokers: Array<{ brokerName: string; brokerAddr: string }>;
}

const list = (s: string) =>
  s
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function aclPage(root: HTMLElement): () => void {
  const box = h('div', { id: 'acl' });
  root.append(h('h2', {}, 'ACL'), box);

  const f = {
    accessKey: h('input', { id: 'acl-access-key', placeholder: 'access key' }),
    secretKey: h('input', { id: 'acl-secret-key', placeholder: 'secret key' }),
    white: h('input', { id: 'acl-white', placeholder: 'white remote address' }),
    topicPerm: h('input', { id: 'acl-topic-perm', placeholder: 'default topic perm', value: 'DENY' }),
    groupPerm: h('input', { id: 'acl-group-perm', placeholder: 'default group perm', value: 'SUB' }),
    topicPerms: h('input', { id: 'acl-topic-perms', placeholder: 'TopicA=PUB,TopicB=SUB' }),
    groupPerms: h('input', { id: 'acl-group-perms', placeholder: 'GroupA=SUB' }),
    admin: h('input', { id: 'acl-admin', type: 'checkbox' }),
  };
  const whiteAdd = h('input', { id: 'acl-global-add', placeholder: '10.10.103.*' });

  const fill = (a: Account) => {
    f.accessKey.value = a.accessKey;
    f.secretKey.value = a.secretKey;
    f.white.value = a.whiteRemoteAddress ?? '';
    f.topicPerm.value = a.defaultTopicPerm ?? '';
    f.groupPerm.value = a.defaultGroupPerm ?? '';
    f.topicPerms.value = (a.topicPerms ?? []).join(',');
    f.groupPerms.value = (a.groupPerms ?? []).join(',');
    f.admin.checked = a.admin === true;
  };

  const account = (): Account => ({
    accessKey: f.accessKey.value.trim(),
    secretKey: f.secretKey.value.trim(),
    whiteRemoteAddress: f.white.value.trim() || undefined,
    admin: f.admin.checked,
    defaultTopicPerm: f.topicPerm.value.trim() || undefined,
    defaultGroupPerm: f.groupPerm.value.trim() || undefined,
    topicPerms: list(f.topicPerms.value),
    groupPerms: list(f.groupPerms.value),
  });

  const write = (path: string, body: unknown) => () => void postJson(path, body).then(load).catch(showError);

  async function load(): Promise<void> {
    try {
      if (!(await get<boolean>('/acl/enable.query'))) {
        clear(
          box,
          h('div', { class: 'card', id: 'acl-off' }, 'The brokers do not use plain ACL (aclEnable=false).'),
        );
        return;
      }
      const c = await get<AclConfig>('/acl/config.query');
      clear(
        box,
        h(
          'div',
          { class: 'card' },
          h('h3', {}, `Accounts (on ${c.brokers.map((b) => b.brokerName).join(', ')})`),
          table(
            c.plainAccessConfigs,
            [
              { title: 'access key', cell: (a) => a.accessKey, cls: 'acl-key' },
              { title: 'secret key', cell: (a) => a.secretKey },
              { title: 'white address', cell: (a) => a.whiteRemoteAddress ?? '' },
              { title: 'admin', cell: (a) => (a.admin ? 'yes' : '') },
              { title: 'topic default', cell: (a) => a.defaultTopicPerm ?? '' },
              { title: 'group default', cell: (a) => a.defaultGroupPerm ?? '' },
              { title: 'topics', cell: (a) => (a.topicPerms ?? []).join(', ') },
              { title: 'groups', cell: (a) => (a.groupPerms ?? []).join(', ') },
              {
                title: '',
                cell: (a) =>
                  h(
                    'span',
                    {},
                    h('button', { onclick: () => fill(a) }, 'Edit'),
                    h(
                      'button',
                      {
                        class: 'acl-delete',
                        onclick: () => {
                          if (confirm(`Delete account ${a.accessKey}?`))
                            write('/acl/delete.do', { accessKey: a.accessKey })();
                        },
                      },
                      'Delete',
                    ),
                  ),
              },
            ],
            { id: 'acl-accounts' },
          ),
          h(
            'form',
            { class: 'inline', id: 'acl-form', onsubmit: (e: Event) => e.preventDefault() },
            f.accessKey,
            f.secretKey,
            f.white,
            f.topicPerm,
            f.groupPerm,
            f.topicPerms,
            f.groupPerms,
            h('label', {}, f.admin, ' admin'),
            h(
              'button',
              { class: 'primary', id: 'acl-create', onclick: () => write('/acl/add.do', account())() },
              'Create',
            ),
            h('button', { id: 'acl-update', onclick: () => write('/acl/update.do', account())() }, 'Update'),
          ),
        ),
        h(
          'div',
          { class: 'card' },
          h('h3', {}, 'Global white list'),
          table(
            c.globalWhiteAddrs,
            [
              { title: 'address', cell: (a) => a, cls: 'acl-global' },
              {
                title: '',
                cell: (a) =>
                  h(
                    'button',
                    {
                      onclick: () =>
                        void fetch(`/acl/white/list/delete.do?request=${encodeURIComponent(a)}`, {
                          method: 'DELETE',
                        })
                          .then(async (r) => {
                            const env = (await r.json()) as { status: number; errMsg: string | null };
                            if (env.status !== 0) throw new Error(env.errMsg ?? `HTTP ${r.status}`);
                          })
                          .then(load)
                          .catch(showError),
                    },
                    'Remove',
                  ),
              },
            ],
            { id: 'acl-global-list' },
          ),
          h(
            'form',
            {
              class: 'inline',
              id: 'acl-global-form',
              onsubmit: (e: Event) => {
                e.preventDefault();
                write('/acl/white/list/add.do', list(whiteAdd.value))();
              },
            },
            whiteAdd,
            h('button', { type: 'submit' }, 'Add'),
          ),
        ),
      );
    } catch (err) {
      showError(err);
    }
  }
  void load();
  return () => {};
}
