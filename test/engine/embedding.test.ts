import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type MessageExt, Producer, PushConsumer, startEmbeddedPair } from '../../src/engine/index.js';

// The engine is a library: a Node application starts a local pair and uses the client, all through the
// package's entry point, with no CLI involved.
test('embedding: start a pair, send with Producer, receive with PushConsumer', {
  timeout: 60_000,
}, async (t) => {
  process.env.MQ_LOG_LEVEL ??= 'silent';
  const dir = mkdtempSync(join(tmpdir(), 'mq-embed-'));
  const pair = await startEmbeddedPair({ namesrvPort: 0, brokerPort: 0, storeDir: join(dir, 'store') });
  t.after(async () => {
    await pair.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const producer = new Producer({
    namesrvAddr: pair.namesrvAddr,
    groupName: 'embed_p',
    instanceName: 'embed',
  });
  await producer.start();
  t.after(() => producer.shutdown());
  const sent = [];
  for (let i = 0; i < 20; i++) {
    sent.push(
      await producer.send({ topic: 'EmbedTopic', tags: i % 2 ? 'odd' : 'even', body: Buffer.from(`m${i}`) }),
    );
  }
  assert.ok(sent.every((r) => r.sendStatus === 'SEND_OK'));

  const got = new Map<string, MessageExt>();
  const consumer = new PushConsumer({
    namesrvAddr: pair.namesrvAddr,
    groupName: 'embed_c',
    instanceName: 'embed',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  consumer.subscribe('EmbedTopic', 'even');
  const done = new Promise<void>((resolve) => {
    consumer.registerMessageListener(async (msgs) => {
      for (const m of msgs) got.set(m.body.toString(), m);
      if (got.size >= 10) resolve();
      return 'CONSUME_SUCCESS' as const;
    });
  });
  await consumer.start();
  t.after(() => consumer.shutdown());
  await done;
  assert.deepEqual(
    [...got.keys()].sort(),
    Array.from({ length: 10 }, (_, i) => `m${i * 2}`).sort(),
    'exactly the even-tagged messages',
  );
  for (const m of got.values()) assert.equal(m.tags, 'even');
});
