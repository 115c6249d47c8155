import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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

// A delay message sent by the SDK through the proxy is delivered at its time even when the broker restarts
// in between (the timer lives in the broker's store); the SDK's consumer receives it after the restart.

for (const mode of ['cluster', 'local'] as ProxyMode[]) {
  describe(`timer through the ${mode}-mode proxy`, () => {
    let c: ProxyCluster;
    before(async () => {
      c = await startProxyCluster(mode);
      await c.createTopic('PxTimer', 1, '+message.type=DELAY');
      await c.createGroup('GTimer');
      await c.startGroupAtZero('GTimer', 'PxTimer');
    });
    after(async () => {
      await c?.stop();
    });

    test('a timer set before a broker restart fires after it, and the SDK receives it', {
      timeout: 120_000,
    }, async () => {
      const producer = new Producer({ endpoints: c.endpoints, namespace: '', logger: c.logger('producer') });
      await producer.startup();
      const at = Date.now() + 8_000;
      try {
        await producer.send({
          topic: 'PxTimer',
          deliveryTimestamp: new Date(at),
          body: Buffer.from('after-restart'),
        });
      } finally {
        await producer.shutdown();
      }
      await c.restartBroker();
      assert.ok(Date.now() < at, 'the broker was back before the timer was due');
      const consumer = new SimpleConsumer({
        endpoints: c.endpoints,
        namespace: '',
        consumerGroup: 'GTimer',
        subscriptions: new Map([['PxTimer', '*']]),
        awaitDuration: 5000,
        logger: c.logger('consumer'),
      });
      await consumer.startup();
      try {
        const got = await receiveN(consumer, 1, 10_000, 40_000);
        assert.deepEqual(
          got.map((m) => m.body.toString()),
          ['after-restart'],
        );
        assert.ok(Date.now() >= at - 1000, 'not before its delivery time');
        await consumer.ack(got[0]);
      } finally {
        await consumer.shutdown();
      }
    });
  });
}
