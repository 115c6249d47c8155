import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import {
  endProcessAfterTests,
  Producer,
  type ProxyCluster,
  type ProxyMode,
  pullBodies,
  receiveN,
  receiveSome,
  SimpleConsumer,
  startProxyCluster,
} from './harness.js';

endProcessAfterTests();

// The SDK's SimpleConsumer through both proxy modes: receive (POP), ack, change invisible duration,
// redelivery with its attempt counted, forward to the DLQ, and Apache's refusals of short leases.

for (const mode of ['cluster', 'local'] as ProxyMode[]) {
  describe(`SDK SimpleConsumer through the ${mode}-mode proxy`, () => {
    let c: ProxyCluster;
    // biome-ignore lint/suspicious/noExplicitAny: SDK clients
    let producer: any;
    before(async () => {
      c = await startProxyCluster(mode);
      for (const t of ['PxC', 'PxRedeliver', 'PxShort', 'PxDlq']) await c.createTopic(t, 1);
      await c.createTopic('PxFifoC', 1, '+message.type=FIFO');
      producer = new Producer({ endpoints: c.endpoints, namespace: '', logger: c.logger('producer') });
      await producer.startup();
    });
    after(async () => {
      await producer?.shutdown();
      await c?.stop();
    });

    const consumer = async (group: string, topic = 'PxC', fifo = false) => {
      await c.createGroup(group, { fifo });
      await c.startGroupAtZero(group, topic);
      const sc = new SimpleConsumer({
        endpoints: c.endpoints,
        namespace: '',
        consumerGroup: group,
        subscriptions: new Map([[topic, '*']]),
        awaitDuration: 5000,
        logger: c.logger(group),
      });
      await sc.startup();
      return sc;
    };

    test('receive gets the messages with an MD5 digest the SDK verifies; acked ones do not come back', {
      timeout: 90_000,
    }, async () => {
      const sc = await consumer('GAck');
      try {
        for (const b of ['a1', 'a2', 'a3'])
          await producer.send({ topic: 'PxC', tag: 'T', body: Buffer.from(b) });
        const got = await receiveN(sc, 3, 10_000);
        assert.deepEqual(got.map((m) => m.body.toString()).sort(), ['a1', 'a2', 'a3']);
        for (const m of got) {
          assert.equal(m.corrupted, undefined, 'digest matches');
          assert.equal(m.tag, 'T');
          assert.equal(m.deliveryAttempt, 1);
          await sc.ack(m);
        }
        // Past their 10 s lease, acked messages stay gone.
        await new Promise((r) => setTimeout(r, 11_000));
        assert.deepEqual(await receiveSome(sc, 16, 10_000), []);
      } finally {
        await sc.shutdown();
      }
    });

    test('an unacked message comes back after its invisible time with delivery attempt 2; changeInvisibleDuration extends it and its new receipt acks', {
      timeout: 90_000,
    }, async () => {
      const sc = await consumer('GRedeliver', 'PxRedeliver');
      try {
        await producer.send({ topic: 'PxRedeliver', body: Buffer.from('again') });
        const [first] = await receiveN(sc, 1, 10_000);
        assert.equal(first.body.toString(), 'again');
        const t0 = Date.now();
        const [second] = await receiveN(sc, 1, 10_000, 30_000);
        assert.ok(second, 'redelivered');
        assert.ok(Date.now() - t0 >= 7_000, 'not before its lease ended');
        assert.equal(second.deliveryAttempt, 2);
        const oldHandle = second.receiptHandle;
        await sc.changeInvisibleDuration(second, 20_000);
        assert.notEqual(second.receiptHandle, oldHandle, 'a new receipt');
        await new Promise((r) => setTimeout(r, 11_000));
        assert.deepEqual(await receiveSome(sc, 16, 10_000), [], 'still invisible: the lease was extended');
        await sc.ack(second);
      } finally {
        await sc.shutdown();
      }
    });

    test('FIFO group: one message group arrives in send order, and its next message only after the previous are acked', {
      timeout: 90_000,
    }, async () => {
      const sc = await consumer('GFifo', 'PxFifoC', true);
      try {
        for (let i = 0; i < 4; i++)
          await producer.send({ topic: 'PxFifoC', messageGroup: 'g', body: Buffer.from(`s${i}`) });
        const got = await receiveN(sc, 4, 10_000);
        assert.deepEqual(
          got.map((m) => m.body.toString()),
          ['s0', 's1', 's2', 's3'],
        );
        assert.equal(got[0].messageGroup, 'g');
        await producer.send({ topic: 'PxFifoC', messageGroup: 'g', body: Buffer.from('s4') });
        assert.deepEqual(await receiveSome(sc, 16, 10_000), [], 'held back while s0..s3 are leased');
        for (const m of got) await sc.ack(m);
        const next = await receiveN(sc, 1, 10_000);
        assert.deepEqual(
          next.map((m) => m.body.toString()),
          ['s4'],
        );
        await sc.ack(next[0]);
      } finally {
        await sc.shutdown();
      }
    });

    test('invisible durations under 10 s are refused with ILLEGAL_INVISIBLE_TIME, as Apache does', {
      timeout: 60_000,
    }, async () => {
      const sc = await consumer('GShort', 'PxShort');
      try {
        await assert.rejects(sc.receive(1, 5_000), (err: Error) => {
          assert.match(String(err), /invisible time is illegal/);
          return true;
        });
      } finally {
        await sc.shutdown();
      }
    });

    test('ForwardMessageToDeadLetterQueue moves a received message to %DLQ%group', {
      timeout: 60_000,
    }, async () => {
      const sc = await consumer('GDlq', 'PxDlq');
      try {
        await producer.send({ topic: 'PxDlq', body: Buffer.from('poison') });
        const got = await receiveN(sc, 1, 10_000, 15_000);
        const poison = got.find((m) => m.body.toString() === 'poison');
        assert.ok(poison);
        const require = createRequire(import.meta.url);
        const {
          ForwardMessageToDeadLetterQueueRequest,
        } = require('rocketmq-client-nodejs/proto/apache/rocketmq/v2/service_pb');
        const { Resource } = require('rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb');
        const req = new ForwardMessageToDeadLetterQueueRequest()
          .setGroup(new Resource().setName('GDlq'))
          .setTopic(new Resource().setName('PxDlq'))
          .setReceiptHandle(poison.receiptHandle)
          .setMessageId(poison.messageId)
          .setDeliveryAttempt(1)
          .setMaxDeliveryAttempts(1);
        const resp = await sc.forwardMessageToDeadLetterQueueViaRpc(poison.endpoints, req, 5000);
        assert.equal(resp.getStatus()?.getCode(), 20000, resp.getStatus()?.getMessage());
        assert.deepEqual(await pullBodies(c, '%DLQ%GDlq'), ['poison']);
        for (const m of got) if (m !== poison) await sc.ack(m);
      } finally {
        await sc.shutdown();
      }
    });
  });
}
