import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Producer, type ProxyCluster, type ProxyMode, pullBodies, startProxyCluster } from './harness.js';

// The RocketMQ 5 Node.js SDK (rocketmq-client-nodejs 1.0.8) as a producer against real mq servers, through
// `mq proxy start` (cluster mode) and `mq broker start --enable-proxy` (local mode).

for (const mode of ['cluster', 'local'] as ProxyMode[]) {
  describe(`SDK producer through the ${mode}-mode proxy`, () => {
    let c: ProxyCluster;
    before(async () => {
      c = await startProxyCluster(mode);
      await c.createTopic('PxNormal', 1);
    });
    after(async () => {
      await c?.stop();
    });

    test('normal messages: the send receipt names the message; the broker stores it with tag, keys and properties', {
      timeout: 60_000,
    }, async () => {
      const producer = new Producer({ endpoints: c.endpoints, namespace: '', logger: c.logger('producer') });
      await producer.startup();
      try {
        const receipt = await producer.send({
          topic: 'PxNormal',
          tag: 'TagA',
          keys: ['k1', 'k2'],
          properties: new Map([['color', 'blue']]),
          body: Buffer.from('hello grpc'),
        });
        assert.match(receipt.messageId, /^[0-9A-F]+$/);
        const second = await producer.send({ topic: 'PxNormal', body: Buffer.from('second') });
        assert.equal(second.offset, receipt.offset + 1);
        assert.deepEqual(await pullBodies(c, 'PxNormal'), ['hello grpc', 'second']);
      } finally {
        await producer.shutdown();
      }
    });

    test('an unknown topic fails the producer start with TOPIC_NOT_FOUND', { timeout: 60_000 }, async () => {
      const producer = new Producer({
        endpoints: c.endpoints,
        namespace: '',
        logger: c.logger('producer-bad'),
        topics: ['NoSuchTopic'],
      });
      await assert.rejects(producer.startup(), (err: Error) => {
        const cause = String((err as Error & { cause?: { cause?: unknown } }).cause?.cause ?? err);
        assert.match(cause, /TOPIC_NOT_FOUND|not found/i);
        return true;
      });
      await producer.shutdown().catch(() => {}); // its gRPC channel would keep this process alive
    });
  });
}
