import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RouteBodies } from '../../src/engine/namesrv/route-bodies.js';
import { RouteInfoManager } from '../../src/engine/namesrv/route-info-manager.js';
import { newTopicConfig, type TopicConfig } from '../../src/engine/protocol/bodies/topic-config.js';
import { encodeTopicRouteData } from '../../src/engine/protocol/bodies/topic-route-data.js';

function register(
  m: RouteInfoManager,
  brokerName: string,
  brokerId: number,
  addr: string,
  counter: number,
  topics: TopicConfig[],
  filterServerList: string[] = [],
) {
  m.registerBroker({
    clusterName: 'C',
    brokerAddr: addr,
    brokerName,
    brokerId,
    haServerAddr: addr,
    topicConfigWrapper: {
      dataVersion: { counter, timestamp: 1000 },
      topicConfigTable: Object.fromEntries(topics.map((t) => [t.topicName, t])),
    },
    filterServerList,
    channel: null,
  });
}

/** What the general route gives: the route copied out of the tables, through the generic fastjson writer. */
function general(m: RouteInfoManager, topic: string, standard: boolean, orderTopicConf?: string) {
  const route = m.pickupTopicRouteData(topic);
  if (!route) return undefined;
  if (orderTopicConf !== undefined) route.orderTopicConf = orderTopicConf;
  return encodeTopicRouteData(route, { standard });
}

function assertSameBodies(m: RouteInfoManager, bodies: RouteBodies, topics: string[]): void {
  for (const topic of topics) {
    for (const standard of [true, false]) {
      for (const conf of [undefined, 'broker-a:4;broker-b:4']) {
        // twice: the second answer may come from the cache
        for (let k = 0; k < 2; k++) {
          assert.deepEqual(
            bodies.body(topic, standard, conf)?.toString(),
            general(m, topic, standard, conf)?.toString(),
            `${topic} standard=${standard} conf=${conf}`,
          );
        }
      }
    }
  }
}

test('route bodies are byte for byte the general encoding: several brokers, slaves, odd names, a broker gone', () => {
  const m = new RouteInfoManager(() => 0);
  const bodies = new RouteBodies(m);
  const shared = [
    newTopicConfig('Shared', { readQueueNums: 4, writeQueueNums: 2, perm: 4, topicSysFlag: 3 }),
  ];
  // broker names chosen so Java's HashMap order differs from registration order
  for (const name of ['broker-z', 'broker-a', 'bröker/µ', 'broker-b']) {
    register(m, name, 0, `10.0.0.${name.length}:10911`, 1, [...shared, newTopicConfig(`Only-${name}`)]);
  }
  register(m, 'broker-a', 1, '10.0.1.1:10911', 1, []);
  register(m, 'broker-a', 2, '10.0.1.2:10911', 1, []);
  const topics = ['Shared', 'Only-broker-z', 'Only-bröker/µ', 'Only-broker-a', 'missing'];
  assertSameBodies(m, bodies, topics);
  assert.equal(bodies.body('missing', true), undefined);

  // a master gone with its slaves still there: the topic keeps its queues, the BrokerData lists the slaves
  m.unregisterBroker('C', '10.0.0.8:10911', 'broker-a', 0);
  assertSameBodies(m, bodies, topics);
  // the last broker of a group gone (its topics go too)
  m.unregisterBroker('C', '10.0.0.8:10911', 'broker-z', 0);
  assertSameBodies(m, bodies, topics);
  // filter servers take the general route
  register(m, 'broker-b', 0, '10.0.0.8:10911', 2, shared, ['10.0.0.9:40000']);
  assertSameBodies(m, bodies, topics);
});

test('the tables revision moves only when a route would read differently', () => {
  const m = new RouteInfoManager(() => 0);
  const bodies = new RouteBodies(m);
  const topics = [newTopicConfig('T1', { readQueueNums: 4, writeQueueNums: 4 }), newTopicConfig('T2')];
  register(m, 'broker-a', 0, '10.0.0.1:10911', 1, topics);
  const r1 = m.revision;
  const before = bodies.body('T1', true);
  // the periodic re-registration: same table, same or newer DataVersion
  register(m, 'broker-a', 0, '10.0.0.1:10911', 1, topics);
  register(m, 'broker-a', 0, '10.0.0.1:10911', 2, topics);
  assert.equal(m.revision, r1);
  assert.equal(bodies.body('T1', true), before, 'the cached body is kept');
  // a changed topic moves it, and the body follows
  register(m, 'broker-a', 0, '10.0.0.1:10911', 3, [
    newTopicConfig('T1', { readQueueNums: 8, writeQueueNums: 8 }),
  ]);
  assert.notEqual(m.revision, r1);
  assert.match(bodies.body('T1', true)!.toString(), /"readQueueNums":8/);
  // so do a new slave address and a filter server list
  const r2 = m.revision;
  register(m, 'broker-a', 1, '10.0.0.2:10911', 3, []);
  assert.notEqual(m.revision, r2);
  const r3 = m.revision;
  register(m, 'broker-a', 0, '10.0.0.1:10911', 3, [], ['10.0.0.9:40000']);
  assert.notEqual(m.revision, r3);
  assertSameBodies(m, bodies, ['T1', 'T2']);
});
