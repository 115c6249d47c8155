// /ops/* and /producer/*: OpsController (name server list, VIP channel, TLS) and
// ProducerController (`mq producerConnection --json`).
import { producerConnection } from '../../engine/admin/group-ops.js';
import type { ConsoleContext } from '../context.js';
import { BadRequest } from '../envelope.js';
import { param, type Route } from '../http.js';

function checkedList(s: string): string {
  const list = s
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean);
  if (!list.length) throw new BadRequest('name server list is empty');
  for (const a of list)
    if (!/^[^\s:;]+:\d{1,5}$/.test(a)) throw new BadRequest(`${JSON.stringify(a)} is not host:port`);
  return list.join(';');
}

export function opsRoutes(ctx: ConsoleContext, known: Set<string>): Route[] {
  return [
    {
      method: 'GET',
      path: '/ops/homePage.query',
      handler: async () => ({
        currentNamesrv: ctx.namesrvAddr,
        namesvrAddrList: [...known],
        useVIPChannel: ctx.useVIPChannel,
        useTLS: ctx.useTLS,
      }),
    },
    {
      method: 'POST',
      path: '/ops/updateNameSvrAddr.do',
      handler: async (req) => {
        const list = checkedList(param(req, 'nameSvrAddrList'));
        known.add(list);
        await ctx.switchNamesrv(list);
        return true;
      },
    },
    {
      method: 'POST',
      path: '/ops/addNameSvrAddr.do',
      handler: async (req) => {
        known.add(checkedList(param(req, 'newNamesrvAddr')));
        return true;
      },
    },
    {
      method: 'POST',
      path: '/ops/updateIsVIPChannel.do',
      handler: async (req) => {
        const on = param(req, 'useVIPChannel');
        if (on !== 'true' && on !== 'false') throw new BadRequest('useVIPChannel must be true or false');
        await ctx.switchNamesrv(ctx.namesrvAddr, ctx.useTLS, on === 'true');
        return true;
      },
    },
    {
      method: 'POST',
      path: '/ops/updateUseTLS.do',
      handler: async (req) => {
        await ctx.switchNamesrv(ctx.namesrvAddr, param(req, 'useTLS') === 'true');
        return true;
      },
    },
    {
      method: 'GET',
      path: '/producer/producerConnection.query',
      handler: (req) => producerConnection(ctx.admin, param(req, 'producerGroup'), param(req, 'topic')),
    },
  ];
}
