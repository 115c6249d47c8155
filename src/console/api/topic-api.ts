// /topic/*: TopicController over the same engine calls as topicList, topicStatus, topicRoute, updateTopic,
// deleteTopic, consumerProgress and sendMessage.

import { consumerProgress } from '../../engine/admin/consumer-progress.js';
import { AdminError } from '../../engine/admin/errors.js';
import { sendMessage } from '../../engine/admin/message-ops.js';
import {
  deleteTopic,
  topicClusterList,
  topicList,
  topicRoute,
  topicStatus,
  updateTopic,
  validateTopic,
} from '../../engine/admin/topic-ops.js';
import { addrOfBrokerName, brokerNamesOf, type ConsoleContext } from '../context.js';
import { BadRequest } from '../envelope.js';
import { boolParam, jsonBody, optParam, param, type Route } from '../http.js';
import { listOf, numberOf, stringOf } from './body-fields.js';

export const SYS_PREFIX = '%SYS%';
const RETRY = '%RETRY%';
const DLQ = '%DLQ%';

/** Cluster names, broker names and the brokers' own system topics (what the name server calls system). */
export async function systemTopics(ctx: ConsoleContext): Promise<Set<string>> {
  return ctx.cache.get(
    'topic/system',
    async () => {
      const ci = await ctx.clusterInfo();
      const out = new Set([...Object.keys(ci.clusterAddrTable), ...Object.keys(ci.brokerAddrTable)]);
      for (const bd of Object.values(ci.brokerAddrTable)) {
        const addr = Object.values(bd.brokerAddrs)[0];
        if (!addr) continue;
        for (const t of await ctx.admin.getSystemTopicListFromBroker(addr).catch(() => [])) out.add(t);
      }
      return out;
    },
    30_000,
  );
}

export function topicRoutes(ctx: ConsoleContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/topic/list.query',
      handler: async (req) => {
        const skipSys = boolParam(req, 'skipSysProcess');
        const skipRetryAndDlq = boolParam(req, 'skipRetryAndDlq');
        const { topics } = await ctx.cache.get('topic/list', () => topicList(ctx.admin));
        const sys = await systemTopics(ctx);
        const topicListOut = topics
          .filter((t) => !(skipRetryAndDlq && (t.startsWith(RETRY) || t.startsWith(DLQ))))
          .map((t) => (!skipSys && sys.has(t) ? SYS_PREFIX + t : t))
          .sort();
        // `topics` is `mq topicList --json`; `topicList` the dashboard's marked and filtered list.
        return { topics, topicList: topicListOut, brokerAddr: null };
      },
    },
    {
      method: 'GET',
      path: '/topic/stats.query',
      handler: (req) => topicStatus(ctx.admin, param(req, 'topic')),
    },
    {
      method: 'GET',
      path: '/topic/route.query',
      handler: (req) => topicRoute(ctx.admin, param(req, 'topic')),
    },
    {
      method: 'ANY',
      path: '/topic/queryConsumerByTopic.query',
      handler: async (req) => {
        // group → that group's consumerProgress (`mq consumerProgress -g G --json`) on this topic's queues.
        const topic = param(req, 'topic');
        const route = await topicRoute(ctx.admin, topic);
        const groups = new Set<string>();
        for (const bd of route.brokerDatas) {
          const addr = Object.values(bd.brokerAddrs)[0];
          if (addr) for (const g of await ctx.admin.queryTopicConsumeByWho(addr, topic)) groups.add(g);
        }
        const out: Record<string, unknown> = {};
        for (const group of [...groups].sort()) {
          try {
            const p = await consumerProgress(ctx.admin, group, true);
            const queues = p.queues.filter((q) => q.topic === topic);
            out[group] = {
              ...p,
              queues,
              topic,
              diffTotal: queues.reduce((s, q) => s + q.diff, 0),
              lastTimestamp: Math.max(0, ...queues.map((q) => q.lastTimestamp)),
            };
          } catch (err) {
            out[group] = { group, topic, queues: [], diffTotal: 0, error: (err as Error).message };
          }
        }
        return out;
      },
    },
    {
      method: 'POST',
      path: '/topic/createOrUpdate.do',
      handler: async (req) => {
        const b = jsonBody(req);
        const topic = stringOf(b, 'topicName');
        validateTopic(topic);
        const clusters = listOf(b, 'clusterNameList');
        const brokers = listOf(b, 'brokerNameList');
        if (!clusters.length && !brokers.length)
          throw new BadRequest('clusterName or brokerName can not be all blank');
        const ci = await ctx.clusterInfo();
        const names = brokerNamesOf(ci, clusters, brokers);
        const o = {
          topic,
          readQueueNums: numberOf(b, 'readQueueNums', 8),
          writeQueueNums: numberOf(b, 'writeQueueNums', 8),
          perm: numberOf(b, 'perm', 6),
          order: b.order === true,
        };
        for (const n of [o.readQueueNums, o.writeQueueNums])
          if (n < 1 || n > 1024) throw new BadRequest(`queue numbers must be 1..1024, got ${n}`);
        if (![2, 4, 6].includes(o.perm)) throw new BadRequest(`perm must be 2, 4 or 6, got ${o.perm}`);
        for (const name of names)
          await updateTopic(ctx.admin, { ...o, brokerAddr: addrOfBrokerName(ci, name) });
        ctx.cache.invalidate('topic/');
        return true;
      },
    },
    {
      method: 'POST',
      path: '/topic/deleteTopic.do',
      handler: async (req) => {
        const topic = param(req, 'topic');
        const cluster = optParam(req, 'clusterName');
        const clusters = cluster ? [cluster] : (await topicClusterList(ctx.admin, topic)).clusters;
        if (!clusters.length) throw new AdminError(`topic ${topic} is on no cluster`);
        for (const c of clusters) await deleteTopic(ctx.admin, topic, c);
        ctx.cache.invalidate('topic/');
        return true;
      },
    },
    {
      method: 'POST',
      path: '/topic/sendTopicMessage.do',
      handler: async (req) => {
        const b = jsonBody(req);
        return sendMessage(ctx.namesrvAddr, {
          topic: stringOf(b, 'topic'),
          body: stringOf(b, 'messageBody'),
          keys: typeof b.key === 'string' && b.key ? b.key : undefined,
          tags: typeof b.tag === 'string' && b.tag ? b.tag : undefined,
        });
      },
    },
  ];
}
