import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { newDataVersion } from '../../src/engine/protocol/bodies/data-version.js';
import { decodeRegisterBrokerBody } from '../../src/engine/protocol/bodies/register-broker-body.js';
import {
  encodeTopicConfigWrapper,
  newTopicConfig,
  type TopicConfig,
} from '../../src/engine/protocol/bodies/topic-config.js';
import { FrameDecoder, MAX_FRAME_LENGTH } from '../../src/engine/protocol/frame-codec.js';
import type { RemotingCommand } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import {
  buildGetRouteInfoRequest,
  parseGetRouteInfoResponse,
} from '../../src/engine/protocol/requests/get-route-info.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
import { cleanupAfter } from '../helpers/cleanup.js';
import { freeBrokerPort, startBroker, startNamesrv, tempDir } from '../helpers/servers.js';
import { pollUntil } from '../helpers/wait.js';

// Issue 16 goal 7: a broker with 100,000 topics registers them all (compressedRegister, as RocketMQ 4.9, or
// in parts when one body would exceed the 16 MB frame), and RocketMQ 5's enableSplitRegistration.

const c = cleanupAfter();
const client = new RemotingClient();
c.closers.push(() => client.close());

/** topics.json restored into a store's config dir, as an operator restoring a config would. */
function restoreTopics(store: string, n: number, prefix: string): void {
  fs.mkdirSync(join(store, 'config'), { recursive: true });
  const table: Record<string, TopicConfig> = {};
  for (let i = 0; i < n; i++)
    table[`${prefix}${i}`] = newTopicConfig(`${prefix}${i}`, { readQueueNums: 8, writeQueueNums: 8 });
  fs.writeFileSync(
    join(store, 'config', 'topics.json'),
    encodeTopicConfigWrapper({ topicConfigTable: table, dataVersion: newDataVersion() }),
  );
}

async function routed(ns: string, topic: string, timeoutMs = 90_000): Promise<void> {
  await pollUntil(
    async () => parseGetRouteInfoResponse(await client.invoke(ns, buildGetRouteInfoRequest(topic), 5000)),
    { timeoutMs, everyMs: 100, what: `a route for ${topic}` },
  );
}

/** A TCP tap in front of the name server: forwards both ways and records the broker's requests. */
async function tap(nsPort: number): Promise<{ port: number; requests: RemotingCommand[] }> {
  const requests: RemotingCommand[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((down) => {
    const up = connect(nsPort, '127.0.0.1');
    sockets.add(down).add(up);
    const decoder = new FrameDecoder(MAX_FRAME_LENGTH * 2);
    down.on('data', (chunk) => {
      requests.push(...decoder.push(chunk));
      up.write(chunk);
    });
    up.pipe(down);
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
    down.on('error', () => {});
    up.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  c.closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  const a = server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, requests };
}

test('100,000 topics registered with compressedRegister=false go in parts under the frame limit; with true, as one zlib body', {
  timeout: 240_000,
}, async () => {
  const dir = tempDir('mq-scale-reg-');
  c.dirs.push(dir);
  const env = { MQ_LOG_DIR: join(dir, 'logs') };
  const ns = await startNamesrv(dir, { env });
  c.procs.push(ns.proc);
  const t = await tap(ns.port);
  const n = 100_000;
  for (const compressed of [false, true]) {
    const name = compressed ? 'zipped' : 'plain';
    // Names long enough that the plain table (~17 MB) exceeds the 16 MB frame.
    const prefix = `${name}-restored-topic-`;
    const store = join(dir, name);
    restoreTopics(store, n, prefix);
    const b = await startBroker({
      confFile: join(dir, `${name}.conf`),
      conf: {
        brokerName: name,
        listenPort: await freeBrokerPort(),
        storePathRootDir: store,
        namesrvAddr: `127.0.0.1:${t.port}`,
        compressedRegister: compressed,
      },
      env,
      timeoutMs: 120_000,
    });
    c.procs.push(b.proc);
    for (const i of [0, n / 2, n - 1]) await routed(ns.addr, `${prefix}${i}`);
    const regs = t.requests.filter(
      (r) => r.code === RequestCode.REGISTER_BROKER && r.extFields?.brokerName === name,
    );
    assert.ok(regs.length > 0);
    for (const r of regs) assert.equal(r.extFields?.compressed, String(compressed));
    // Every frame fits the limit; the first round's parts together carry every topic.
    const topics = new Set<string>();
    for (const r of regs) {
      assert.ok(r.body!.length < MAX_FRAME_LENGTH, `body of ${r.body!.length} bytes`);
      const body = decodeRegisterBrokerBody(r.body!, compressed);
      for (const topic of Object.keys(body.topicConfigSerializeWrapper.topicConfigTable)) topics.add(topic);
      if (topics.size >= n) break;
    }
    assert.ok(topics.has(`${prefix}${n - 1}`) && topics.size >= n, `${topics.size} topics sent`);
    if (compressed)
      assert.ok(regs[0]!.body!.length < 1024 * 1024, `compressed body ${regs[0]!.body!.length} bytes`);
    else {
      assert.ok(regs.length >= 2, `${regs.length} REGISTER_BROKER frames`);
      const log = fs.readFileSync(join(dir, 'logs', 'broker.log'), 'utf8');
      assert.match(
        log,
        /topic table \(100\d{3} topics, 1\d\.\d MB\) exceeds one frame: registering in \d+ parts/,
      );
    }
  }
});

test('enableSplitRegistration (RocketMQ 5): parts of splitRegistrationSize topics, all of them routed', {
  timeout: 120_000,
}, async () => {
  const dir = tempDir('mq-scale-split-');
  c.dirs.push(dir);
  const env = { MQ_LOG_DIR: join(dir, 'logs') };
  const ns = await startNamesrv(dir, { env });
  c.procs.push(ns.proc);
  const t = await tap(ns.port);
  const store = join(dir, 'store');
  restoreTopics(store, 1000, 'split-topic-');
  const b = await startBroker({
    confFile: join(dir, 'split.conf'),
    conf: {
      brokerName: 'split',
      listenPort: await freeBrokerPort(),
      storePathRootDir: store,
      namesrvAddr: `127.0.0.1:${t.port}`,
      enableSplitRegistration: true,
      splitRegistrationSize: 300,
    },
    env,
    timeoutMs: 60_000,
  });
  c.procs.push(b.proc);
  for (const i of [0, 299, 300, 999]) await routed(ns.addr, `split-topic-${i}`);
  const regs = t.requests.filter((r) => r.code === RequestCode.REGISTER_BROKER);
  // 1,000 restored + the system topics: four parts of at most 300 in the first round.
  const sizes = regs
    .slice(0, 4)
    .map(
      (r) =>
        Object.keys(decodeRegisterBrokerBody(r.body!, false).topicConfigSerializeWrapper.topicConfigTable)
          .length,
    );
  assert.deepEqual(sizes.slice(0, 3), [300, 300, 300]);
  assert.ok(sizes[3]! > 100 && sizes[3]! <= 300, `last part ${sizes[3]}`);
});
