// /acl/* (rocketmq-dashboard 4.x's AclController for plain ACL): accounts and the global white list of
// every master broker, read and written through the same engine calls as mqadmin's getAccessConfigSubCommand,
// updateAclConfig, deleteAccessConfig and updateGlobalWhiteAddr. Like the dashboard, a write goes to every
// master so the brokers stay alike; input is checked here first so a bad request writes to none of them.
import {
  aclConfig,
  deleteAclAccount,
  updateAclAccount,
  updateGlobalWhiteAddrs,
} from '../../engine/admin/acl-ops.js';
import { AdminError } from '../../engine/admin/errors.js';
import type { BrokerClusterAclConfig, PlainAccessConfig } from '../../engine/protocol/bodies/acl-config.js';
import { addrOfBrokerName, type ConsoleContext, mapLimit } from '../context.js';
import { BadRequest } from '../envelope.js';
import { type ApiRequest, jsonBody, param, type Route } from '../http.js';
import { listOf, stringOf } from './body-fields.js';

const PERMS = new Set(['DENY', 'PUB', 'SUB', 'PUB|SUB', 'SUB|PUB']);

interface BrokerAcl extends BrokerClusterAclConfig {
  brokerName: string;
  brokerAddr: string;
}

async function masters(ctx: ConsoleContext): Promise<Array<{ brokerName: string; addr: string }>> {
  const ci = await ctx.clusterInfo();
  return Object.keys(ci.brokerAddrTable)
    .sort()
    .map((brokerName) => ({ brokerName, addr: addrOfBrokerName(ci, brokerName) }));
}

function checkPerm(v: string, what: string): string {
  const p = v.trim().toUpperCase();
  if (!PERMS.has(p))
    throw new BadRequest(`${what} must be DENY, PUB, SUB or PUB|SUB, got ${JSON.stringify(v)}`);
  return p;
}

function resourcePerms(b: Record<string, unknown>, name: string): string[] {
  return listOf(b, name).map((entry) => {
    const i = entry.indexOf('=');
    if (i <= 0) throw new BadRequest(`'${name}' entries must be name=PERM, got ${JSON.stringify(entry)}`);
    return `${entry.slice(0, i).trim()}=${checkPerm(entry.slice(i + 1), `'${name}' entry ${entry}`)}`;
  });
}

/** The dashboard's PlainAccessConfig body, checked field by field. */
function accountOf(b: Record<string, unknown>): PlainAccessConfig {
  const accessKey = stringOf(b, 'accessKey');
  const secretKey = stringOf(b, 'secretKey');
  // RocketMQ's PlainPermissionManager refuses keys of 6 characters or fewer.
  if (accessKey.length <= 6) throw new BadRequest("'accessKey' must be longer than 6 characters");
  if (secretKey.length <= 6) throw new BadRequest("'secretKey' must be longer than 6 characters");
  const opt = (name: string) => {
    const v = b[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new BadRequest(`'${name}' must be a string`);
    return v.trim();
  };
  const defaultTopicPerm = opt('defaultTopicPerm');
  const defaultGroupPerm = opt('defaultGroupPerm');
  if (b.admin !== undefined && typeof b.admin !== 'boolean')
    throw new BadRequest("'admin' must be true or false");
  return {
    accessKey,
    secretKey,
    whiteRemoteAddress: opt('whiteRemoteAddress'),
    admin: b.admin === true,
    defaultTopicPerm: defaultTopicPerm && checkPerm(defaultTopicPerm, "'defaultTopicPerm'"),
    defaultGroupPerm: defaultGroupPerm && checkPerm(defaultGroupPerm, "'defaultGroupPerm'"),
    topicPerms: resourcePerms(b, 'topicPerms'),
    groupPerms: resourcePerms(b, 'groupPerms'),
  };
}

function addrList(req: ApiRequest): string[] {
  const body = req.body;
  if (!Array.isArray(body) || body.some((x) => typeof x !== 'string'))
    throw new BadRequest('expected a JSON list of addresses, e.g. ["10.10.103.*"]');
  const out = (body as string[]).map((s) => s.trim()).filter(Boolean);
  for (const a of out)
    if (!/^[0-9a-fA-F.:*{},-]+$/.test(a))
      throw new BadRequest(`not an address pattern: ${JSON.stringify(a)}`);
  return out;
}

export function aclRoutes(ctx: ConsoleContext): Route[] {
  /** Every master's ACL config (GET_BROKER_CLUSTER_ACL_CONFIG), as `mq getAccessConfigSubCommand --json`. */
  const read = async (): Promise<BrokerAcl[]> =>
    mapLimit(await masters(ctx), 8, async ({ brokerName, addr }) => ({
      brokerName,
      brokerAddr: addr,
      ...(await aclConfig(ctx.admin, addr)),
    }));

  /** Runs `fn` on every master; the first failure stops it and names the broker. */
  const onMasters = async (what: string, fn: (addr: string, current: BrokerAcl) => Promise<void>) => {
    const all = await read();
    if (all.length === 0) throw new AdminError('no broker in the cluster');
    for (const b of all) {
      try {
        await fn(b.brokerAddr, b);
      } catch (err) {
        throw new AdminError(`${what} on ${b.brokerName} (${b.brokerAddr}): ${(err as Error).message}`);
      }
    }
    return true;
  };

  const hasAccount = (b: BrokerAcl, key: string) => b.plainAccessConfigs.some((a) => a.accessKey === key);

  return [
    {
      method: 'GET',
      path: '/acl/enable.query',
      // The brokers' own aclEnable (the dashboard reads its config; this console asks the cluster).
      handler: async () => {
        const ms = await masters(ctx);
        const configs = await mapLimit(ms, 8, (m) => ctx.admin.getBrokerConfig(m.addr));
        return configs.some((c) => c.aclEnable === 'true');
      },
    },
    {
      method: 'GET',
      path: '/acl/config.query',
      handler: async (req) => {
        const brokers = await read();
        // With a login file, only admins see secret keys (the dashboard's rule for its ACL page).
        const hide = req.user !== undefined && !req.user.admin;
        const shown = brokers.map((b) => ({
          ...b,
          plainAccessConfigs: b.plainAccessConfigs.map((a) => (hide ? { ...a, secretKey: '******' } : a)),
        }));
        const first = shown[0];
        return {
          // The dashboard's AclConfig (from the first master) plus each master's own, as the command has them.
          globalWhiteAddrs: first?.globalWhiteAddrs ?? [],
          plainAccessConfigs: first?.plainAccessConfigs ?? [],
          brokers: shown,
        };
      },
    },
    {
      method: 'POST',
      path: '/acl/add.do',
      handler: async (req) => {
        const acc = accountOf(jsonBody(req));
        const all = await read();
        const dup = all.find((b) => hasAccount(b, acc.accessKey));
        if (dup) throw new AdminError(`access key ${acc.accessKey} already exists on ${dup.brokerName}`);
        return onMasters('create account', (addr) => updateAclAccount(ctx.admin, addr, acc));
      },
    },
    {
      method: 'POST',
      path: '/acl/update.do',
      handler: async (req) => {
        const acc = accountOf(jsonBody(req));
        const all = await read();
        if (!all.some((b) => hasAccount(b, acc.accessKey)))
          throw new AdminError(`no account with access key ${acc.accessKey}`);
        return onMasters('update account', (addr) => updateAclAccount(ctx.admin, addr, acc));
      },
    },
    {
      method: 'POST',
      path: '/acl/delete.do',
      handler: async (req) => {
        const key = stringOf(jsonBody(req), 'accessKey');
        const all = await read();
        if (!all.some((b) => hasAccount(b, key))) throw new AdminError(`no account with access key ${key}`);
        return onMasters('delete account', async (addr, cur) => {
          if (hasAccount(cur, key)) await deleteAclAccount(ctx.admin, addr, key);
        });
      },
    },
    {
      method: 'POST',
      path: '/acl/white/list/add.do',
      handler: async (req) => {
        const add = addrList(req);
        if (add.length === 0) throw new BadRequest('white list is empty');
        return onMasters('update global white list', (addr, cur) =>
          updateGlobalWhiteAddrs(ctx.admin, addr, [...new Set([...cur.globalWhiteAddrs, ...add])]),
        );
      },
    },
    {
      method: 'DELETE',
      path: '/acl/white/list/delete.do',
      handler: async (req) => {
        const gone = param(req, 'request');
        const all = await read();
        if (!all.some((b) => b.globalWhiteAddrs.includes(gone)))
          throw new AdminError(`${gone} is not in the global white list`);
        return onMasters('update global white list', (addr, cur) =>
          updateGlobalWhiteAddrs(
            ctx.admin,
            addr,
            cur.globalWhiteAddrs.filter((a) => a !== gone),
          ),
        );
      },
    },
    {
      method: 'POST',
      path: '/acl/white/list/sync.do',
      handler: async (req) => {
        const list = addrList(req);
        if (list.length === 0) throw new BadRequest('white list is empty');
        return onMasters('set global white list', (addr) => updateGlobalWhiteAddrs(ctx.admin, addr, list));
      },
    },
  ];
}
