import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NamesrvController } from '../../src/engine/namesrv/index.js';
import { decodeClusterInfo } from '../../src/engine/protocol/bodies/cluster-info.js';
import { newTopicConfig } from '../../src/engine/protocol/bodies/topic-config.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { buildDeleteTopicInNamesrvRequest } from '../../src/engine/protocol/requests/delete-topic-in-namesrv.js';
import {
  buildGetBrokerClusterInfoRequest,
  parseGetBrokerClusterInfoResponse,
} from '../../src/engine/protocol/requests/get-broker-cluster-info.js';
import {
  buildGetRouteInfoRequest,
  parseGetRouteInfoResponse,
} from '../../src/engine/protocol/requests/get-route-info.js';
import {
  buildDeleteKVConfigRequest,
  buildGetKVConfigRequest,
  buildGetKVListByNamespaceRequest,
  buildPutKVConfigRequest,
  parseGetKVConfigResponse,
  parseGetKVListByNamespaceResponse,
} from '../../src/engine/protocol/requests/kv-config.js';
import {
  buildGetNamesrvConfigRequest,
  buildUpdateNamesrvConfigRequest,
  parseGetNamesrvConfigResponse,
} from '../../src/engine/protocol/requests/namesrv-config.js';
import {
  buildQueryDataVersionRequest,
  parseQueryDataVersionResponse,
} from '../../src/engine/protocol/requests/query-data-version.js';
import {
  buildRegisterBrokerRequest,
  parseRegisterBrokerResponse,
  type RegisterBrokerArgs,
} from '../../src/engine/protocol/requests/register-broker.js';
import {
  buildGetTopicsByClusterRequest,
  buildTopicListRequest,
  parseTopicListResponse,
} from '../../src/engine/protocol/requests/topic-lists.js';
import { buildUnregisterBrokerRequest } from '../../src/engine/protocol/requests/unregister-broker.js';
import {
  buildAddWritePermRequest,
  buildWipeWritePermRequest,
  parseWritePermResponse,
} from '../../src/engine/protocol/requests/write-perm.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import { captureLogger, waitFor } from '../remoting/log-capture.js';

type T = { after(fn: () => Promise<void> | void): void };

async function start(t: T, extra: Partial<ConstructorParameters<typeof NamesrvController>[0]> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mq-ns-'));
  const { logger, lines } = captureLogger();
  const ns = new NamesrvController({
    listenPort: 0,
    host: '127.0.0.1',
    kvConfigPath: join(dir, 'kvConfig.json'),
    configStorePath: join(dir, 'namesrv.properties'),
    logger,
    ...extra,
  });
  const { port } = await ns.start();
  const client = new RemotingClient({ logger });
  t.after(async () => {
    await client.close();
    await ns.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });
  return { ns, client, addr: `127.0.0.1:${port}`, dir, lines, logger };
}

function brokerArgs(over: Partial<RegisterBrokerArgs> = {}, counter = 1): RegisterBrokerArgs {
  return {
    brokerName: 'broker-a',
    brokerAddr: '127.0.0.1:10911',
    clusterName: 'DefaultCluster',
    haServerAddr: '127.0.0.1:10912',
    brokerId: 0,
    body: {
      filterServerList: [],
      topicConfigSerializeWrapper: {
        dataVersion: { counter, timestamp: 1700000000000 },
        topicConfigTable: {
          TopicA: newTopicConfig('TopicA', { readQueueNums: 4, writeQueueNums: 4 }),
          TBW102: newTopicConfig('TBW102', { readQueueNums: 8, writeQueueNums: 8, perm: 7 }),
        },
      },
    },
    ...over,
  };
}

test('register (plain and compressed), route lookup, TOPIC_NOT_EXIST, cluster info, slave reply', async (t) => {
  const { client, addr } = await start(t);
  const r = parseRegisterBrokerResponse(
    await client.invoke(addr, buildRegisterBrokerRequest(brokerArgs()), 3000),
  );
  assert.deepEqual(r, {});
  const slave = await client.invoke(
    addr,
    buildRegisterBrokerRequest(
      brokerArgs({
        brokerId: 1,
        brokerAddr: '127.0.0.1:20911',
        haServerAddr: '127.0.0.1:20912',
        compressed: true,
      }),
    ),
    3000,
  );
  assert.deepEqual(parseRegisterBrokerResponse(slave), {
    haServerAddr: '127.0.0.1:10912',
    masterAddr: '127.0.0.1:10911',
  });
  const route = parseGetRouteInfoResponse(
    await client.invoke(addr, buildGetRouteInfoRequest('TopicA'), 3000),
  );
  assert.deepEqual(route, {
    queueDatas: [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
    brokerDatas: [
      {
        cluster: 'DefaultCluster',
        brokerName: 'broker-a',
        brokerAddrs: { '0': '127.0.0.1:10911', '1': '127.0.0.1:20911' },
      },
    ],
    filterServerTable: {},
  });
  const missing = await client.invoke(addr, buildGetRouteInfoRequest('Nope'), 3000);
  assert.equal(missing.code, ResponseCode.TOPIC_NOT_EXIST);
  assert.match(missing.remark ?? '', /No topic route info in name server for the topic: Nope/);
  assert.equal(parseGetRouteInfoResponse(missing), undefined);

  const ciResp = await client.invoke(addr, buildGetBrokerClusterInfoRequest(), 3000);
  assert.match(
    ciResp.body?.toString() ?? '',
    /"brokerAddrs":\{0:"127\.0\.0\.1:10911",1:"127\.0\.0\.1:20911"\}/,
  );
  assert.deepEqual(parseGetBrokerClusterInfoResponse(ciResp).clusterAddrTable, {
    DefaultCluster: ['broker-a'],
  });
  assert.deepEqual(
    decodeClusterInfo(ciResp.body!).brokerAddrTable['broker-a'].brokerAddrs['1'],
    '127.0.0.1:20911',
  );
});

test('routeJsonMode=java: legacy bare keys for version < 401 unless acceptStandardJsonOnly', async (t) => {
  const { client, addr } = await start(t, { routeJsonMode: 'java' });
  await client.invoke(addr, buildRegisterBrokerRequest(brokerArgs()), 3000);
  const old = buildGetRouteInfoRequest('TopicA');
  old.version = 121;
  assert.match((await client.invoke(addr, old, 3000)).body!.toString(), /\{0:"127/);
  const oldStd = buildGetRouteInfoRequest('TopicA', true);
  oldStd.version = 121;
  assert.match((await client.invoke(addr, oldStd, 3000)).body!.toString(), /\{"0":"127/);
  assert.match(
    (await client.invoke(addr, buildGetRouteInfoRequest('TopicA'), 3000)).body!.toString(),
    /\{"0":"127/,
  );
});

test('crc mismatch and a corrupt body are refused without losing the stored registration', async (t) => {
  const { client, addr } = await start(t);
  await client.invoke(addr, buildRegisterBrokerRequest(brokerArgs()), 3000);
  const bad = buildRegisterBrokerRequest(brokerArgs({}, 2));
  bad.extFields!.bodyCrc32 = '12345';
  const r1 = await client.invoke(addr, bad, 3000);
  assert.equal(r1.code, ResponseCode.SYSTEM_ERROR);
  assert.equal(r1.remark, 'crc32 not match');
  const corrupt = buildRegisterBrokerRequest(brokerArgs({}, 3));
  corrupt.body = Buffer.from('{"topicConfigSerializeWrapper":{"topicConfigTable":{"X":');
  corrupt.extFields!.bodyCrc32 = '0';
  const r2 = await client.invoke(addr, corrupt, 3000);
  assert.equal(r2.code, ResponseCode.SYSTEM_ERROR);
  assert.match(r2.remark ?? '', /RegisterBrokerBody/);
  const noField = createRequest(RequestCode.REGISTER_BROKER, { brokerName: 'x' });
  const r3 = await client.invoke(addr, noField, 3000);
  assert.equal(r3.code, ResponseCode.SYSTEM_ERROR);
  assert.match(r3.remark ?? '', /<brokerAddr>/);
  assert.ok(parseGetRouteInfoResponse(await client.invoke(addr, buildGetRouteInfoRequest('TopicA'), 3000)));
});

test('KV config: put/get/list/delete, persisted to kvConfig.json, reloaded on restart, fed to register replies', async (t) => {
  const { client, addr, dir, logger } = await start(t);
  const inv = (c: ReturnType<typeof createRequest>) => client.invoke(addr, c, 3000);
  assert.equal(
    (
      await inv(
        buildPutKVConfigRequest({ namespace: 'ORDER_TOPIC_CONFIG', key: 'TopicA', value: 'broker-a:4' }),
      )
    ).code,
    0,
  );
  assert.equal((await inv(buildPutKVConfigRequest({ namespace: 'NS', key: 'k', value: 'v' }))).code, 0);
  assert.equal(
    parseGetKVConfigResponse(await inv(buildGetKVConfigRequest({ namespace: 'NS', key: 'k' }))),
    'v',
  );
  const nf = await inv(buildGetKVConfigRequest({ namespace: 'NS', key: 'zz' }));
  assert.equal(nf.code, ResponseCode.QUERY_NOT_FOUND);
  assert.equal(nf.remark, 'No config item, Namespace: NS Key: zz');
  assert.deepEqual(parseGetKVListByNamespaceResponse(await inv(buildGetKVListByNamespaceRequest('NS'))), {
    table: { k: 'v' },
  });
  assert.equal(
    parseGetKVListByNamespaceResponse(await inv(buildGetKVListByNamespaceRequest('none'))),
    undefined,
  );
  const reg = parseRegisterBrokerResponse(await inv(buildRegisterBrokerRequest(brokerArgs())));
  assert.deepEqual(reg.kvTable, { table: { TopicA: 'broker-a:4' } });
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'kvConfig.json'), 'utf8')), {
    configTable: { NS: { k: 'v' }, ORDER_TOPIC_CONFIG: { TopicA: 'broker-a:4' } },
  });
  assert.equal((await inv(buildDeleteKVConfigRequest({ namespace: 'NS', key: 'k' }))).code, 0);
  // a second name server on the same file sees what was persisted
  const ns2 = new NamesrvController({
    listenPort: 0,
    host: '127.0.0.1',
    kvConfigPath: join(dir, 'kvConfig.json'),
    logger,
  });
  const { port } = await ns2.start();
  t.after(() => ns2.shutdown());
  const v = await client.invoke(
    `127.0.0.1:${port}`,
    buildGetKVConfigRequest({ namespace: 'ORDER_TOPIC_CONFIG', key: 'TopicA' }),
    3000,
  );
  assert.equal(parseGetKVConfigResponse(v), 'broker-a:4');
  assert.equal(ns2.kv.get('NS', 'k'), undefined);
});

test('write perm, topic lists, delete topic, data version query, unregister', async (t) => {
  const { client, addr } = await start(t);
  const inv = (c: ReturnType<typeof createRequest>) => client.invoke(addr, c, 3000);
  await inv(buildRegisterBrokerRequest(brokerArgs()));
  assert.equal(parseWritePermResponse(await inv(buildWipeWritePermRequest('broker-a'))), 2);
  assert.equal(
    parseGetRouteInfoResponse(await inv(buildGetRouteInfoRequest('TopicA')))?.queueDatas[0].perm,
    4,
  );
  const add = await inv(buildAddWritePermRequest('broker-a'));
  assert.deepEqual(add.extFields, { addTopicCount: '2' });
  assert.equal(
    parseGetRouteInfoResponse(await inv(buildGetRouteInfoRequest('TopicA')))?.queueDatas[0].perm,
    6,
  );

  const all = parseTopicListResponse(
    await inv(buildTopicListRequest(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)),
  );
  assert.deepEqual(all.topicList.sort(), ['TBW102', 'TopicA']);
  assert.deepEqual(
    parseTopicListResponse(await inv(buildGetTopicsByClusterRequest('DefaultCluster'))).topicList.sort(),
    ['TBW102', 'TopicA'],
  );
  const sys = parseTopicListResponse(
    await inv(buildTopicListRequest(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)),
  );
  assert.deepEqual(sys.topicList.sort(), ['DefaultCluster', 'broker-a']); // a Java HashSet: hash order on the wire
  assert.equal(sys.brokerAddr, '127.0.0.1:10911');
  for (const code of [311, 312, 313] as const) {
    assert.deepEqual(parseTopicListResponse(await inv(buildTopicListRequest(code))).topicList, []);
  }

  const hdr = {
    brokerName: 'broker-a',
    brokerAddr: '127.0.0.1:10911',
    clusterName: 'DefaultCluster',
    brokerId: 0,
  };
  const same = parseQueryDataVersionResponse(
    await inv(buildQueryDataVersionRequest(hdr, { counter: 1, timestamp: 1700000000000 })),
  );
  assert.deepEqual(same, { changed: false, nameServerVersion: { counter: 1, timestamp: 1700000000000 } });
  const diff = parseQueryDataVersionResponse(
    await inv(buildQueryDataVersionRequest(hdr, { counter: 2, timestamp: 1 })),
  );
  assert.equal(diff.changed, true);

  assert.equal(
    (await inv(buildDeleteTopicInNamesrvRequest({ topic: 'TopicA', clusterName: 'DefaultCluster' }))).code,
    0,
  );
  assert.equal((await inv(buildGetRouteInfoRequest('TopicA'))).code, ResponseCode.TOPIC_NOT_EXIST);
  assert.equal((await inv(buildUnregisterBrokerRequest(hdr))).code, 0);
  assert.equal((await inv(buildGetRouteInfoRequest('TBW102'))).code, ResponseCode.TOPIC_NOT_EXIST);
  assert.deepEqual(parseGetBrokerClusterInfoResponse(await inv(buildGetBrokerClusterInfoRequest())), {
    brokerAddrTable: {},
    clusterAddrTable: {},
  });
});

test('namesrv config get/update; black-listed keys are refused; unknown codes get REQUEST_CODE_NOT_SUPPORTED', async (t) => {
  const { client, addr, ns } = await start(t);
  const cfg = parseGetNamesrvConfigResponse(await client.invoke(addr, buildGetNamesrvConfigRequest(), 3000));
  assert.equal(cfg.orderMessageEnable, 'false');
  assert.equal(
    (await client.invoke(addr, buildUpdateNamesrvConfigRequest({ orderMessageEnable: 'true' }), 3000)).code,
    0,
  );
  assert.equal(ns.config.orderMessageEnable, true);
  const black = await client.invoke(addr, buildUpdateNamesrvConfigRequest({ kvConfigPath: '/etc/x' }), 3000);
  assert.equal(black.code, ResponseCode.NO_PERMISSION);
  assert.equal(black.remark, 'Can not update config in black list.');
  for (const code of [999, 10, 217]) {
    const r = await client.invoke(addr, createRequest(code), 3000);
    assert.equal(r.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `code ${code}`);
  }
});

test('a broker is dropped as soon as its connection closes', async (t) => {
  const { addr, client, lines, logger } = await start(t);
  const brokerConn = new RemotingClient({ logger });
  await brokerConn.invoke(addr, buildRegisterBrokerRequest(brokerArgs()), 3000);
  assert.ok(parseGetRouteInfoResponse(await client.invoke(addr, buildGetRouteInfoRequest('TopicA'), 3000)));
  await brokerConn.close();
  await waitFor(() => lines.some((l) => l.msg === 'broker channel closed, removed'), 3000, 'destroy log');
  assert.equal(
    (await client.invoke(addr, buildGetRouteInfoRequest('TopicA'), 3000)).code,
    ResponseCode.TOPIC_NOT_EXIST,
  );
});

test('expiry scan drops a broker that stops registering and closes its channel', async (t) => {
  const { addr, client, logger, ns } = await start(t, {
    brokerChannelExpiredMillis: 300,
    scanNotActiveBrokerIntervalMillis: 100,
  });
  const brokerConn = new RemotingClient({ logger });
  t.after(() => brokerConn.close());
  const closed: string[] = [];
  brokerConn.on('close', (a) => closed.push(a));
  await brokerConn.invoke(addr, buildRegisterBrokerRequest(brokerArgs()), 3000);
  // keep re-registering for a while: stays alive
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 150));
    await brokerConn.invoke(addr, buildRegisterBrokerRequest(brokerArgs()), 3000);
  }
  assert.equal(ns.routes.brokerLiveTable.size, 1);
  await waitFor(() => ns.routes.brokerLiveTable.size === 0, 3000, 'expiry');
  await waitFor(() => closed.length === 1, 3000, 'the name server closed the broker channel');
  assert.equal(
    (await client.invoke(addr, buildGetRouteInfoRequest('TopicA'), 3000)).code,
    ResponseCode.TOPIC_NOT_EXIST,
  );
});
