// Issue 13 item 9: a message that cannot be decoded (its bytes damaged in the broker's commit-log file)
// is logged once with its queue and offset and skipped; the push consumer's queue goes on.
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { type MessageExt, Producer, PullConsumer, PushConsumer } from '../../src/engine/client/index.js';
import { decodeMessagesTolerant, toMessageExt } from '../../src/engine/client/message.js';
import { flushLoggers } from '../../src/engine/common/logger.js';
import { newTopicConfig } from '../../src/engine/protocol/bodies/topic-config.js';
import { decodeRecord, encodeRecord } from '../../src/engine/protocol/message/record.js';
import { type Cluster, startCluster, waitFor } from './servers.js';

let cluster: Cluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.stop();
});

const commitLogFile = () => join(cluster.dir, 'broker-a', 'commitlog', '00000000000000000000');

/** Overwrites bytes of the broker's first commit-log file in place (the broker reads it with pread). */
function patchCommitLog(offset: number, bytes: Buffer): void {
  const fd = openSync(commitLogFile(), 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

// The client's log in JSON lines, so the skipped message's queue and offsets are fields to compare.
process.env.MQ_LOG_FORMAT = 'json';

function clientLogLines(): Array<Record<string, unknown>> {
  const file = join(process.env.MQ_LOG_DIR!, 'rocketmq_client.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('a push consumer logs an undecodable message once with its queue and offset, skips it, and goes on', {
  timeout: 60_000,
}, async () => {
  const topic = `UNDECODABLE_${process.pid}`;
  const admin = new AdminClient({ namesrvAddr: cluster.namesrv });
  await admin.createAndUpdateTopicConfig(
    cluster.brokers[0]!,
    newTopicConfig(topic, { readQueueNums: 1, writeQueueNums: 1 }),
  );
  await admin.close();
  const producer = new Producer({
    namesrvAddr: cluster.namesrv,
    groupName: 'PG_UNDECODABLE',
    instanceName: 'p9',
  });
  await producer.start();
  const puller = new PullConsumer({ namesrvAddr: cluster.namesrv, instanceName: 'pull9' });
  await puller.start();
  try {
    const sent = [];
    for (let i = 0; i < 12; i++) sent.push(await producer.send({ topic, body: `m${i}`, tags: 'T' }));
    const mq = sent[0]!.messageQueue;
    let stored: MessageExt[] = [];
    await waitFor(
      async () => (stored = (await puller.pull(mq, '*', 0, 32)).msgs).length === 12,
      10_000,
      'all 12 messages pullable',
    );
    // Offset 3: its properties length now overruns the record. Offset 7: marked zlib-compressed, but its
    // body is not zlib. Both records keep their size and magic code, so the broker serves them as they are.
    const m3 = stored[3]!;
    const size3 = readRecordSize(m3.commitLogOffset);
    const props3 = Buffer.byteLength(decodeRecord(readCommitLog(m3.commitLogOffset, size3)).propertiesString);
    const propsLenAt = m3.commitLogOffset + size3 - props3 - 2;
    assert.equal(readCommitLogInt16(propsLenAt), props3, 'found the properties length field');
    patchCommitLog(propsLenAt, Buffer.from([0x7f, 0xff]));
    const m7 = stored[7]!;
    const flag = Buffer.alloc(4);
    flag.writeInt32BE(m7.sysFlag | 0x1);
    patchCommitLog(m7.commitLogOffset + 36, flag);
    // The damage is real: the records on disk no longer decode.
    assert.throws(() => decodeRecord(readCommitLog(m3.commitLogOffset, size3)), /overruns/);
    const rec7 = readCommitLog(m7.commitLogOffset, readRecordSize(m7.commitLogOffset));
    assert.throws(() => toMessageExt(decodeRecord(rec7), 'broker-a'));

    const got = new Map<number, string>();
    const consumer = new PushConsumer({
      namesrvAddr: cluster.namesrv,
      groupName: 'CG_UNDECODABLE',
      instanceName: 'c9',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      pullBatchSize: 2,
      pullTimeDelayMillsWhenException: 200,
    });
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener((msgs: MessageExt[]): 'CONSUME_SUCCESS' => {
      for (const m of msgs) got.set(m.queueOffset, m.body.toString());
      return 'CONSUME_SUCCESS';
    });
    await consumer.start();
    try {
      await waitFor(() => got.size === 10, 20_000, 'the 10 intact messages consumed');
      // More sends after the damage: the queue is still being pulled.
      const late = await producer.send({ topic, body: 'late', tags: 'T' });
      await waitFor(() => got.get(late.queueOffset) === 'late', 20_000, 'a message sent after the damage');
    } finally {
      await consumer.shutdown();
    }
    assert.deepEqual(
      [...got.keys()].sort((a, b) => a - b),
      [0, 1, 2, 4, 5, 6, 8, 9, 10, 11, 12],
    );
    for (const [off, body] of got) if (off < 12) assert.equal(body, `m${off}`);

    flushLoggers();
    let skipped: Array<Record<string, unknown>> = [];
    await waitFor(
      () => (skipped = clientLogLines().filter((l) => l.msg === 'undecodable message skipped')).length >= 2,
      5000,
      'skip lines in the client log',
    );
    await new Promise((r) => setTimeout(r, 300));
    skipped = clientLogLines().filter((l) => l.msg === 'undecodable message skipped');
    assert.deepEqual(
      skipped.map((l) => [(l.mq as { queueId: number }).queueId, l.queueOffset, l.commitLogOffset]),
      [
        [mq.queueId, 3, m3.commitLogOffset],
        [mq.queueId, 7, m7.commitLogOffset],
      ],
      'each damaged message logged exactly once, with its queue and offset',
    );
    assert.equal(clientLogLines().filter((l) => l.msg === 'pull loop stopped').length, 0);

    // A PullConsumer's pull leaves them out too, and its next offset moves past them.
    const r = await puller.pull(mq, '*', 0, 32);
    assert.deepEqual(
      r.msgs.map((m) => m.queueOffset),
      [0, 1, 2, 4, 5, 6, 8, 9, 10, 11, 12],
    );
    assert.equal(r.nextBeginOffset, 13);
  } finally {
    await producer.shutdown();
    await puller.shutdown();
  }
});

function readCommitLog(offset: number, len: number): Buffer {
  const fd = openSync(commitLogFile(), 'r');
  try {
    const b = Buffer.alloc(len);
    readSync(fd, b, 0, len, offset);
    return b;
  } finally {
    closeSync(fd);
  }
}

const readRecordSize = (offset: number) => readCommitLog(offset, 4).readInt32BE(0);
const readCommitLogInt16 = (offset: number) => readCommitLog(offset, 2).readInt16BE(0);

test('a pull body cut by a bad record size: the records before it are kept, the bad one is reported with its offsets', () => {
  const host = { ip: new Uint8Array([127, 0, 0, 1]), port: 10911 };
  const rec = (queueOffset: number) =>
    encodeRecord(
      {
        queueId: 0,
        flag: 0,
        queueOffset,
        physicalOffset: queueOffset * 1000,
        sysFlag: 0,
        bornTimestamp: 1,
        bornHost: host,
        storeTimestamp: 2,
        storeHost: host,
        reconsumeTimes: 0,
        preparedTransactionOffset: 0,
        body: Buffer.from(`m${queueOffset}`),
      },
      'T',
      '',
    );
  const [a, b, c] = [rec(5), rec(6), rec(7)];
  b.writeInt32BE(1 << 30, 0); // its size now runs past the body: the rest cannot be framed
  const d = decodeMessagesTolerant(Buffer.concat([a, b, c]), 'broker-a');
  assert.deepEqual(
    d.messages.map((m) => m.queueOffset),
    [5],
  );
  assert.equal(d.cut, true);
  assert.equal(d.bad.length, 1);
  assert.equal(d.bad[0]!.queueOffset, 6);
  assert.equal(d.bad[0]!.commitLogOffset, 6000);
  assert.match(d.bad[0]!.error, /bad size/);
});
