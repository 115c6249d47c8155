// /cluster/*: ClusterController. list.query carries the dashboard's clusterInfo and brokerServer (every
// runtime key per broker id) and the `mq clusterList --json` rows (`brokers`).
import { clusterList, getBrokerConfig } from '../../engine/admin/cluster-ops.js';
import type { ConsoleContext } from '../context.js';
import { param, type Route } from '../http.js';

export function clusterRoutes(ctx: ConsoleContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/cluster/list.query',
      handler: () =>
        ctx.cache.get(
          'cluster/list',
          async () => {
            const clusterInfo = await ctx.clusterInfo();
            const brokerServer: Record<string, Record<string, Record<string, string>>> = {};
            for (const [brokerName, bd] of Object.entries(clusterInfo.brokerAddrTable)) {
              const byId: Record<string, Record<string, string>> = {};
              for (const [id, addr] of Object.entries(bd.brokerAddrs)) {
                byId[id] = await ctx.admin.fetchBrokerRuntimeStats(addr).catch(() => ({}));
              }
              brokerServer[brokerName] = byId;
            }
            return { clusterInfo, brokerServer, ...(await clusterList(ctx.admin)) };
          },
          1000,
        ),
    },
    {
      method: 'GET',
      path: '/cluster/brokerConfig.query',
      handler: async (req) => {
        const res = await getBrokerConfig(ctx.admin, { brokerAddr: param(req, 'brokerAddr') });
        return res.brokers[0]!.config;
      },
    },
  ];
}
