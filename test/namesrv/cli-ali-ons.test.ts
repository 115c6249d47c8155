import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { newTopicConfig } from '../../src/engine/protocol/bodies/topic-config.js';
import {
  buildGetRouteInfoRequest,
  parseGetRouteInfoResponse,
} from '../../src/engine/protocol/requests/get-route-info.js';
import {
  buildRegisterBrokerRequest,
  parseRegisterBrokerResponse,
} from '../../src/engine/protocol/requests/register-broker.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import {
  killProc,
  type NamesrvHandle,
  removeDir,
  startNamesrv,
  stopProc,
  tempDir,
} from '../helpers/servers.js';
import { closeAliOnsProducer, startAliOnsProducer } from './ali-ons-peer.js';

const bin = join(import.meta.dirname, '../../../bin/run.js');

test('`mq namesrv start` as a real process: our broker registration, ali-ons fetches the route, SIGTERM is graceful', async (t) => {
  const dir = tempDir('mq-ns-cli-');
  const client = new RemotingClient();
  const errors: string[] = [];
  let ns: NamesrvHandle | undefined;
  let producer: Awaited<ReturnType<typeof startAliOnsProducer>> | undefined;
  t.after(async () => {
    if (producer) await closeAliOnsProducer(producer);
    await client.close();
    await killProc(ns?.proc);
    removeDir(dir);
  });

  ns = await startNamesrv(dir, {
    conf: { kvConfigPath: join(dir, 'kv.json'), configStorePath: join(dir, 'ns.properties') },
    pidFile: join(dir, 'ns.pid'),
    env: { MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: dir },
  });
  assert.match(
    ns.proc.output(),
    /The Name Server boot success\. serializeType=JSON, listening on 0\.0\.0\.0:\d+/,
  );
  const addr = ns.addr;

  const reg = await client.invoke(
    addr,
    buildRegisterBrokerRequest({
      brokerName: 'broker-a',
      brokerAddr: '127.0.0.1:1',
      clusterName: 'DefaultCluster',
      haServerAddr: '127.0.0.1:2',
      brokerId: 0,
      compressed: true,
      body: {
        filterServerList: [],
        topicConfigSerializeWrapper: {
          dataVersion: { counter: 1, timestamp: Date.now() },
          topicConfigTable: {
            TopicA: newTopicConfig('TopicA', { readQueueNums: 4, writeQueueNums: 4 }),
            TBW102: newTopicConfig('TBW102', { readQueueNums: 8, writeQueueNums: 8, perm: 7 }),
          },
        },
      },
    }),
    5000,
  );
  assert.deepEqual(parseRegisterBrokerResponse(reg), {});
  assert.ok(parseGetRouteInfoResponse(await client.invoke(addr, buildGetRouteInfoRequest('TopicA'), 3000)));

  producer = await startAliOnsProducer(addr, errors);
  const route = await producer._mqClient.getTopicRouteInfoFromNameServer('TopicA', 3000);
  assert.deepEqual(route.brokerDatas, [
    { brokerAddrs: { '0': '127.0.0.1:1' }, brokerName: 'broker-a', cluster: 'DefaultCluster' },
  ]);
  assert.deepEqual(route.queueDatas, [
    { brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSysFlag: 0, writeQueueNums: 4 },
  ]);
  await producer._mqClient.updateTopicRouteInfoFromNameServer('TopicA');
  assert.deepEqual(producer._mqClient._brokerAddrTable.get('broker-a'), { '0': '127.0.0.1:1' });
  const dflt = await producer._mqClient.getDefaultTopicRouteInfoFromNameServer('TBW102', 3000);
  assert.equal(dflt.queueDatas[0].perm, 7);
  await assert.rejects(
    producer._mqClient.getTopicRouteInfoFromNameServer('NoSuchTopic', 3000),
    /TOPIC_NOT_EXIST|17|route/i,
  );

  const exit = await stopProc(ns.proc);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(ns.proc.output(), /The namesrv shutdown OK \(SIGTERM\)/);
});

test('`mq namesrv start -p` prints the effective config; a bad config file fails with one clear line', async (t) => {
  const dir = tempDir('mq-ns-cfg-');
  t.after(() => removeDir(dir));
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const c = spawn(process.execPath, [bin, 'namesrv', 'start', ...args], {
        env: { ...process.env, MQ_LOG_DIR: join(dir, 'logs'), MQ_PID_DIR: dir },
      });
      let out = '';
      let err = '';
      c.stdout.on('data', (d: Buffer) => {
        out += d;
      });
      c.stderr.on('data', (d: Buffer) => {
        err += d;
      });
      c.on('exit', (code) => resolve({ code, out, err }));
    });
  const conf = join(dir, 'ok.properties');
  writeFileSync(conf, '# comment\norderMessageEnable=true\nlistenPort=9999\n');
  const p = await run(['-c', conf, '--port', '19877', '-p']);
  assert.equal(p.code, 0);
  assert.match(p.out, /^listenPort=19877$/m);
  assert.match(p.out, /^orderMessageEnable=true$/m);
  const bad = join(dir, 'bad.properties');
  writeFileSync(bad, 'listenPort=abc\n');
  const b = await run(['-c', bad]);
  assert.equal(b.code, 1);
  assert.match(b.err, /listenPort: "abc" is not an integer/);
  const missing = await run(['-c', join(dir, 'nope.properties')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read config file/);
});
