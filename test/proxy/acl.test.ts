import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { aclClientHook } from '../../src/engine/remoting/acl-client-hook.js';
import { removeDir, tempDir } from '../helpers/servers.js';
import {
  endProcessAfterTests,
  Producer,
  type ProxyCluster,
  type ProxyMode,
  receiveN,
  SimpleConsumer,
  startProxyCluster,
} from './harness.js';

endProcessAfterTests();

const ADMIN = { accessKey: 'rocketmq2', secretKey: '12345678' };
const TOPIC = 'TopicAcl';
const GROUP = 'GroupAcl';

/** plain_acl.yml: an admin, an account with PUB|SUB on TOPIC and SUB on GROUP, one with SUB only. */
const PLAIN_ACL = `accounts:
  - accessKey: rocketmq2
    secretKey: '12345678'
    admin: true
  - accessKey: appUser
    secretKey: appSecret1
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: DENY
    topicPerms:
      - ${TOPIC}=PUB|SUB
    groupPerms:
      - ${GROUP}=SUB
  - accessKey: readOnly
    secretKey: readSecret1
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: DENY
    topicPerms:
      - ${TOPIC}=SUB
`;

/** The SDK's failure as text with its code (the 1.0.8 SDK throws errors carrying the v2 status code). */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return `${(err as { code?: number }).code} ${String(err)}`;
  }
  return 'no error';
}

for (const mode of ['local', 'cluster'] as ProxyMode[]) {
  describe(`gRPC proxy checks 5.x ACL signatures (${mode} mode)`, () => {
    let c: ProxyCluster;
    const home = tempDir('mq-proxy-acl-home-');
    const aclFile = join(home, 'conf', 'plain_acl.yml');

    before(async () => {
      mkdirSync(join(home, 'conf'), { recursive: true });
      writeFileSync(aclFile, PLAIN_ACL);
      c = await startProxyCluster(
        mode,
        { aclEnable: true, rocketmqHome: home },
        {
          // Cluster mode: the brokers' ACL file, and an admin account for the proxy's own classic calls.
          proxyArgs: [
            '--acl-file',
            aclFile,
            '--access-key',
            ADMIN.accessKey,
            '--secret-key',
            ADMIN.secretKey,
          ],
          clientHook: aclClientHook(ADMIN),
        },
      );
      await c.createTopic(TOPIC, 1);
      await c.createGroup(GROUP);
      await c.startGroupAtZero(GROUP, TOPIC);
    });
    after(async () => {
      await c?.stop();
      removeDir(home);
    });

    test('the right keys send and receive', async () => {
      const sessionCredentials = { accessKey: 'appUser', accessSecret: 'appSecret1' };
      const producer = new Producer({
        endpoints: c.endpoints,
        namespace: '',
        sessionCredentials,
        logger: c.logger('acl-producer'),
      });
      await producer.startup();
      const r = await producer.send({ topic: TOPIC, body: Buffer.from('signed hello') });
      assert.ok(r.messageId);
      await producer.shutdown();
      const consumer = new SimpleConsumer({
        endpoints: c.endpoints,
        namespace: '',
        consumerGroup: GROUP,
        subscriptions: new Map([[TOPIC, '*']]),
        awaitDuration: 3000,
        sessionCredentials,
        logger: c.logger('acl-consumer'),
      });
      await consumer.startup();
      const got = await receiveN(consumer, 1, 20_000);
      assert.deepEqual(
        got.map((m) => m.body.toString()),
        ['signed hello'],
      );
      await consumer.ack(got[0]!);
      await consumer.shutdown();
    });

    test('a wrong secret key is refused with UNAUTHORIZED', async () => {
      const producer = new Producer({
        endpoints: c.endpoints,
        namespace: '',
        sessionCredentials: { accessKey: 'appUser', accessSecret: 'not-the-secret' },
        logger: c.logger('acl-wrong-secret'),
      });
      const err = await failure(
        producer.startup().then(() => producer.send({ topic: TOPIC, body: Buffer.from('forged') })),
      );
      assert.match(err, /40100/, err);
      assert.match(err, /Check signature failed for accessKey=appUser/, err);
      await producer.shutdown().catch(() => undefined);
    });

    test('no credentials at all are refused', async () => {
      const producer = new Producer({ endpoints: c.endpoints, namespace: '', logger: c.logger('acl-anon') });
      const err = await failure(
        producer.startup().then(() => producer.send({ topic: TOPIC, body: Buffer.from('anonymous') })),
      );
      assert.match(err, /40100/, err);
      assert.match(err, /No accessKey is configured/, err);
      await producer.shutdown().catch(() => undefined);
    });

    test('an account without SUB on the group cannot receive', async () => {
      const consumer = new SimpleConsumer({
        endpoints: c.endpoints,
        namespace: '',
        consumerGroup: GROUP,
        subscriptions: new Map([[TOPIC, '*']]),
        awaitDuration: 1000,
        sessionCredentials: { accessKey: 'readOnly', accessSecret: 'readSecret1' },
        logger: c.logger('acl-readonly-consumer'),
      });
      const err = await failure(consumer.startup().then(() => consumer.receive(1, 20_000)));
      assert.match(err, /40100/, err);
      assert.match(err, /GroupAcl/, err);
      await consumer.shutdown().catch(() => undefined);
    });

    test('an account without PUB on the topic cannot send to it', async () => {
      const producer = new Producer({
        endpoints: c.endpoints,
        namespace: '',
        sessionCredentials: { accessKey: 'readOnly', accessSecret: 'readSecret1' },
        logger: c.logger('acl-readonly'),
      });
      const err = await failure(
        producer.startup().then(() => producer.send({ topic: TOPIC, body: Buffer.from('not allowed') })),
      );
      assert.match(err, /40100/, err);
      assert.match(err, /No default permission for TopicAcl|TopicAcl/, err);
      await producer.shutdown().catch(() => undefined);
    });
  });
}
