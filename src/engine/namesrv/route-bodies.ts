import { brokerDataBean, encodeTopicRouteData, type QueueData } from '../protocol/bodies/topic-route-data.js';
import { quoteFastjson, toFastjson } from '../protocol/fastjson.js';
import { javaHashMapHash, javaHashOrder } from '../protocol/java-hashmap-order.js';
import type { RouteInfoManager } from './route-info-manager.js';

/** Encoded routes kept per topic: enough for the hot topics, without holding one Buffer per topic of 100,000. */
const MAX_CACHED = 10_000;

/**
 * GET_ROUTEINFO_BY_TOPIC reply bodies, byte for byte what encodeTopicRouteData(pickupTopicRouteData(topic))
 * gives. Route look-ups are most of a name server's traffic; the general route copies the route, sorts it
 * and serialises it through the generic fastjson writer (~10 µs a look-up with 100,000 topics). Here each
 * broker's BrokerData JSON is written once per table revision and a route is that text plus its QueueData,
 * a third of that; the first MAX_CACHED topics asked for (per form) also keep their Buffer. An order-topic
 * conf or filter servers (both rare) take the general route. All is dropped when the tables' revision moves.
 */
export class RouteBodies {
  private revision = -1;
  /** topic → body, standard and legacy form. */
  private readonly bodies = [new Map<string, Buffer>(), new Map<string, Buffer>()] as const;
  private readonly brokerJson = new Map<string, string | null>();

  constructor(private readonly routes: RouteInfoManager) {}

  /** The body for `topic`, or undefined when it has no route (→ TOPIC_NOT_EXIST). */
  body(topic: string, standard: boolean, orderTopicConf?: string): Buffer | undefined {
    const routes = this.routes;
    if (this.revision !== routes.revision) {
      for (const m of this.bodies) m.clear();
      this.brokerJson.clear();
      this.revision = routes.revision;
    }
    if (orderTopicConf !== undefined) return this.general(topic, standard, orderTopicConf);
    const cache = this.bodies[standard ? 0 : 1];
    let body = cache.get(topic);
    if (body) return body;
    body = routes.filterServerTable.size === 0 ? this.fast(topic, standard) : this.general(topic, standard);
    if (body && cache.size < MAX_CACHED) cache.set(topic, body);
    return body;
  }

  private general(topic: string, standard: boolean, orderTopicConf?: string): Buffer | undefined {
    const route = this.routes.pickupTopicRouteData(topic);
    if (!route) return undefined;
    if (orderTopicConf !== undefined) route.orderTopicConf = orderTopicConf;
    return encodeTopicRouteData(route, { standard });
  }

  private fast(topic: string, standard: boolean): Buffer | undefined {
    const qmap = this.routes.topicQueueTable.get(topic);
    if (!qmap || qmap.size === 0) return undefined;
    // Java iterates its HashMap keyed by brokerName (as pickupTopicRouteData does).
    const queues =
      qmap.size === 1
        ? [...qmap.values()]
        : javaHashOrder([...qmap.values()], (q) => javaHashMapHash(q.brokerName));
    let brokers = '';
    let queueText = '';
    for (const q of queues) {
      const b = this.broker(q.brokerName, standard);
      if (b !== null) brokers += brokers ? `,${b}` : b;
      const qt = queueJson(q, standard);
      if (qt === undefined) return this.general(topic, standard);
      queueText += queueText ? `,${qt}` : qt;
    }
    if (!brokers) return undefined;
    return Buffer.from(`{"brokerDatas":[${brokers}],"filterServerTable":{},"queueDatas":[${queueText}]}`);
  }

  /** A broker's BrokerData JSON, or null when the broker is gone (its queues stay listed, as in Java). */
  private broker(name: string, standard: boolean): string | null {
    const key = `${standard ? 'S' : 'L'}${name}`;
    let text = this.brokerJson.get(key);
    if (text === undefined) {
      const bd = this.routes.brokerAddrTable.get(name);
      text = bd ? toFastjson(brokerDataBean(this.routes.brokerDataOf(bd)), { standard }) : null;
      this.brokerJson.set(key, text);
    }
    return text;
  }
}

/** QueueData's bean (keys sorted); undefined for numbers the generic writer would spell otherwise. */
function queueJson(q: QueueData, standard: boolean): string | undefined {
  const { perm, readQueueNums, topicSysFlag, writeQueueNums } = q;
  if (!(isInt(perm) && isInt(readQueueNums) && isInt(topicSysFlag) && isInt(writeQueueNums)))
    return undefined;
  return (
    `{"brokerName":${quoteFastjson(q.brokerName, standard)},"perm":${perm},"readQueueNums":${readQueueNums},` +
    `"topicSysFlag":${topicSysFlag},"writeQueueNums":${writeQueueNums}}`
  );
}

const isInt = (n: number) => Number.isSafeInteger(n);
