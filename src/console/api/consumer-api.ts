// /consumer/*: ConsumerController over groupSummaries (`mq consumerProgress --json`), consumerProgress -g,
// consumerConnection, consumerStatus, updateSubGroup and deleteSubGroup.
import { consumerProgress, groupSummaries } from '../../engine/admin/consumer-progress.js';
import {
  consumerConnection,
  consumerStatus,
  deleteSubGroup,
  getConsumerConfig,
  resetOffsetByTime,
  updateSubGroup,
} from '../../engine/admin/group-ops.js';
import type { SubscriptionGroupConfig } from '../../engine/protocol/bodies/subscription-group-config.js';
import { addrOfBrokerName, brokerNamesOf, type ConsoleContext } from '../context.js';
import { BadRequest } from '../envelope.js';
import { type ApiRequest, boolParam, jsonBody, param, type Route } from '../http.js';
import { listOf, numberOf, stringOf } from './body-fields.js';

const GROUP_RE = /^[%|a-zA-Z0-9_-]{1,255}$/;

const CONFIG_BOOLS = [
  'consumeEnable',
  'consumeFromMinEnable',
  'consumeBroadcastEnable',
  'notifyConsumerIdsChangedEnable',
] as const;
const CONFIG_INTS = ['retryQueueNums', 'retryMaxTimes', 'brokerId', 'whichBrokerWhenConsumeSlowly'] as const;

/** The dashboard's subscriptionGroupConfig object, checked field by field. */
function groupConfig(raw: unknown): { groupName: string; init: Partial<SubscriptionGroupConfig> } {
  if (!raw || typeof raw !== 'object') throw new BadRequest("'subscriptionGroupConfig' must be an object");
  const c = raw as Record<string, unknown>;
  const groupName = stringOf(c, 'groupName');
  if (!GROUP_RE.test(groupName))
    throw new BadRequest(`group name ${JSON.stringify(groupName)} may only hold [%|a-zA-Z0-9_-]`);
  const init: Partial<SubscriptionGroupConfig> = {};
  for (const k of CONFIG_BOOLS) {
    if (c[k] === undefined) continue;
    if (typeof c[k] !== 'boolean') throw new BadRequest(`'${k}' must be true or false`);
    init[k] = c[k] as boolean;
  }
  for (const k of CONFIG_INTS) {
    if (c[k] === undefined) continue;
    if (!Number.isInteger(c[k]) || (c[k] as number) < 0)
      throw new BadRequest(`'${k}' must be a non-negative integer`);
    init[k] = c[k] as number;
  }
  return { groupName, init };
}

async function deleteGroup(ctx: ConsoleContext, req: ApiRequest): Promise<boolean> {
  const b = jsonBody(req);
  const groupName = stringOf(b, 'groupName');
  const clusters = listOf(b, 'clusterNameList');
  const brokers = listOf(b, 'brokerNameList');
  if (!clusters.length && !brokers.length)
    throw new BadRequest('clusterNameList or brokerNameList can not be all blank');
  const ci = await ctx.clusterInfo();
  // With a cluster, mqadmin's deleteSubGroup -c also drops the group's %RETRY% and %DLQ% topics.
  for (const c of clusters) {
    if (!ci.clusterAddrTable[c]) throw new BadRequest(`no cluster named ${c}`);
    await deleteSubGroup(ctx.admin, { clusterName: c }, groupName, true);
  }
  for (const n of brokerNamesOf(ci, [], brokers))
    await deleteSubGroup(ctx.admin, { brokerAddr: addrOfBrokerName(ci, n) }, groupName, true);
  ctx.cache.invalidate('consumer/');
  ctx.cache.invalidate('topic/');
  return true;
}

export function consumerRoutes(ctx: ConsoleContext): Route[] {
  return [
    {
      method: 'ANY',
      path: '/consumer/groupList.query',
      handler: () =>
        ctx.cache.get(
          'consumer/groupList',
          async () => (await groupSummaries(ctx.admin)).map((s) => ({ ...s, subGroupType: 'NORMAL' })),
          3000,
        ),
    },
    {
      method: 'ANY',
      path: '/consumer/queryTopicByConsumer.query',
      handler: (req) => consumerProgress(ctx.admin, param(req, 'consumerGroup'), true),
    },
    {
      method: 'ANY',
      path: '/consumer/consumerConnection.query',
      handler: (req) => consumerConnection(ctx.admin, param(req, 'consumerGroup')),
    },
    {
      method: 'ANY',
      path: '/consumer/consumerRunningInfo.query',
      handler: (req) =>
        consumerStatus(ctx.admin, {
          group: param(req, 'consumerGroup'),
          clientId: param(req, 'clientId'),
          jstack: boolParam(req, 'jstack'),
        }),
    },
    {
      method: 'ANY',
      path: '/consumer/examineSubscriptionGroupConfig.query',
      handler: (req) => getConsumerConfig(ctx.admin, param(req, 'consumerGroup')),
    },
    {
      method: 'POST',
      path: '/consumer/createOrUpdate.do',
      handler: async (req) => {
        const b = jsonBody(req);
        const { groupName, init } = groupConfig(b.subscriptionGroupConfig);
        const clusters = listOf(b, 'clusterNameList');
        const brokers = listOf(b, 'brokerNameList');
        if (!clusters.length && !brokers.length)
          throw new BadRequest('clusterName or brokerName can not be all blank');
        const ci = await ctx.clusterInfo();
        // Every target is checked before the first write.
        const addrs = brokerNamesOf(ci, clusters, brokers).map((n) => addrOfBrokerName(ci, n));
        for (const brokerAddr of addrs) await updateSubGroup(ctx.admin, { brokerAddr }, groupName, init);
        ctx.cache.invalidate('consumer/');
        return true;
      },
    },
    {
      method: 'POST',
      path: '/consumer/resetOffset.do',
      handler: async (req) => {
        // ResetOffsetRequest: {consumerGroupList, topic, resetTime (ms, -1 = skip all), force}; the answer is
        // group → `mq resetOffsetByTime --json`, or its error (the dashboard's ConsumerGroupRollBackStat).
        const b = jsonBody(req);
        const topic = stringOf(b, 'topic');
        const groups = listOf(b, 'consumerGroupList');
        if (!groups.length) throw new BadRequest("'consumerGroupList' must name at least one group");
        const timestamp = numberOf(b, 'resetTime', Number.NaN);
        if (Number.isNaN(timestamp))
          throw new BadRequest("'resetTime' is required (ms since the epoch, -1 = now)");
        const force = b.force !== false;
        const out: Record<string, unknown> = {};
        for (const group of groups) {
          try {
            out[group] = {
              status: true,
              ...(await resetOffsetByTime(ctx.admin, { group, topic, timestamp, force })),
            };
          } catch (err) {
            out[group] = { status: false, errMsg: (err as Error).message };
          }
        }
        ctx.cache.invalidate('consumer/');
        return out;
      },
    },
    { method: 'POST', path: '/consumer/deleteSubGroup.do', handler: (req) => deleteGroup(ctx, req) },
    // rocketmq-console's older name for the same call.
    { method: 'POST', path: '/consumer/delete.do', handler: (req) => deleteGroup(ctx, req) },
  ];
}
