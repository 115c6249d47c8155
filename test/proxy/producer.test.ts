import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeRecords } from '../../src/engine/protocol/message/index.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { queueOfGroup } from '../../src/engine/proxy/consistent-hash.js';
import {
  endProcessAfterTests,
  Producer,
  type ProxyCluster,
  type ProxyMode,
  pullBodies,
  startProxyCluster,
} from './harness.js';

endProcessAfterTests();

// The RocketMQ 5 Node.js SDK (rocketmq-client-nodejs 1.0.8) as a producer against real mq servers, through
// `mq proxy start` (cluster mode) and `mq broker start --enable-proxy` (local mode): normal, FIFO, delay and
// transactional messages (commit, rollback, and an orphaned half message resolved through Telemetry).

const COMMIT = 1; // TransactionResolution.COMMIT of the SDK's protobuf enum

for (const mode of ['cluster', 'local'] as ProxyMode[]) {
  describe(`SDK producer through the ${mode}-mode proxy`, () => {
    let c: ProxyCluster;
    before(async () => {
      // Transaction checks soon after a half message is left alone.
      c = await startProxyCluster(mode, { transactionTimeOut: 1000, transactionCheckInterval: 1000 });
      await c.createTopic('PxNormal', 1);
      await c.createTopic('PxFifo', 4, '+message.type=FIFO');
      await c.createTopic('PxDelay', 1, '+message.type=DELAY');
      await c.createTopic('PxTx', 1, '+message.type=TRANSACTION');
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
        const r = await c.call(RequestCode.PULL_MESSAGE, {
          consumerGroup: 'CG_check',
          topic: 'PxNormal',
          queueId: 0,
          queueOffset: 0,
          maxMsgNums: 32,
          sysFlag: 4,
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: '*',
          subVersion: Date.now(),
        });
        const [m1, m2] = decodeRecords(r.body!);
        assert.equal(m1!.body.toString(), 'hello grpc');
        assert.equal(m1!.properties.TAGS, 'TagA');
        assert.equal(m1!.properties.KEYS, 'k1 k2');
        assert.equal(m1!.properties.color, 'blue');
        assert.equal(m1!.properties.UNIQ_KEY, receipt.messageId);
        assert.equal(m2!.body.toString(), 'second');
      } finally {
        await producer.shutdown();
      }
    });

    test('FIFO: one message group lands in one queue (its consistent hash), in send order', {
      timeout: 60_000,
    }, async () => {
      const producer = new Producer({
        endpoints: c.endpoints,
        namespace: '',
        logger: c.logger('producer-fifo'),
      });
      await producer.startup();
      try {
        for (let i = 0; i < 5; i++)
          await producer.send({ topic: 'PxFifo', messageGroup: 'order-42', body: Buffer.from(`step${i}`) });
        const q = queueOfGroup('order-42', 4);
        assert.deepEqual(await pullBodies(c, 'PxFifo', q), ['step0', 'step1', 'step2', 'step3', 'step4']);
        // A FIFO message to a NORMAL topic is refused by the SDK from the route's accepted types.
        await assert.rejects(
          producer.send({ topic: 'PxNormal', messageGroup: 'g', body: Buffer.from('x') }),
          /message type not match/i,
        );
      } finally {
        await producer.shutdown();
      }
    });

    test('delay: delivery_timestamp becomes a timer message, visible only when due', {
      timeout: 60_000,
    }, async () => {
      const producer = new Producer({
        endpoints: c.endpoints,
        namespace: '',
        logger: c.logger('producer-delay'),
      });
      await producer.startup();
      try {
        const at = Date.now() + 3000;
        await producer.send({
          topic: 'PxDelay',
          deliveryTimestamp: new Date(at),
          body: Buffer.from('later'),
        });
        assert.deepEqual(await pullBodies(c, 'PxDelay'), [], 'not yet');
        let bodies: string[] = [];
        while (bodies.length === 0 && Date.now() < at + 15_000) {
          await new Promise((r) => setTimeout(r, 200));
          bodies = await pullBodies(c, 'PxDelay');
        }
        assert.deepEqual(bodies, ['later']);
        assert.ok(Date.now() >= at - 1000, 'delivered at its time (precision 1 s)');
      } finally {
        await producer.shutdown();
      }
    });

    test('transactions: commit publishes, rollback discards, an orphaned half message is resolved through the Telemetry check', {
      timeout: 90_000,
    }, async () => {
      const checked: string[] = [];
      const producer = new Producer({
        endpoints: c.endpoints,
        namespace: '',
        topics: ['PxTx'],
        logger: c.logger('producer-tx'),
        checker: {
          async check(view: { body: Buffer }) {
            checked.push(view.body.toString());
            return COMMIT;
          },
        },
      });
      await producer.startup();
      try {
        const t1 = producer.beginTransaction();
        await producer.send({ topic: 'PxTx', body: Buffer.from('committed') }, t1);
        await t1.commit();
        const t2 = producer.beginTransaction();
        await producer.send({ topic: 'PxTx', body: Buffer.from('rolled-back') }, t2);
        await t2.rollback();
        assert.deepEqual(await pullBodies(c, 'PxTx'), ['committed']);
        // Neither committed nor rolled back: the broker's check reaches the SDK's checker, which commits.
        const t3 = producer.beginTransaction();
        await producer.send({ topic: 'PxTx', body: Buffer.from('orphan') }, t3);
        let bodies: string[] = [];
        const until = Date.now() + 30_000;
        while (!bodies.includes('orphan') && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 300));
          bodies = await pullBodies(c, 'PxTx');
        }
        assert.deepEqual(bodies, ['committed', 'orphan']);
        assert.deepEqual([...new Set(checked)], ['orphan']);
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
