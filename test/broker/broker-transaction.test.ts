import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { encodeHeartbeatData } from '../../src/engine/protocol/bodies/heartbeat-data.js';
import { decodeRecord, decodeRecords, encodeProperties } from '../../src/engine/protocol/message/index.js';
import { createRequest, type RemotingCommand } from '../../src/engine/protocol/remoting-command.js';
import { type Cluster, startCluster, waitFor } from './harness.js';

// Transactional messages on a real broker process: half messages stay invisible until END_TRANSACTION
// commits them; an unresolved one is checked with CHECK_TRANSACTION_STATE on the producer's connection.

let c: Cluster;
const checks: RemotingCommand[] = [];

before(async () => {
  c = await startCluster({ transactionTimeOut: 300, transactionCheckInterval: 400 });
  await c.createTopic('TxTopic', 1);
  // This connection is the "producer": it answers checks by committing.
  c.client.registerProcessor(39, (req) => {
    checks.push(req);
    const ext = req.extFields!;
    // Only the half message of the check test is answered; the others are resolved by the first test.
    if (ext.msgId !== 'U-checked') return null;
    void c.client.invokeOneway(
      c.brokerAddr,
      createRequest(37, {
        producerGroup: 'PG_tx',
        tranStateTableOffset: ext.tranStateTableOffset,
        commitLogOffset: ext.commitLogOffset,
        commitOrRollback: 8,
        fromTransactionCheck: true,
        msgId: ext.msgId,
      }),
    );
    return null;
  });
  const hb = await c.call(
    34,
    {},
    encodeHeartbeatData({
      clientID: '127.0.0.1@tx',
      consumerDataSet: [],
      producerDataSet: [{ groupName: 'PG_tx' }],
    }),
  );
  assert.equal(hb.code, 0);
});
after(async () => {
  await c?.stop();
});

function sendHalf(body: string) {
  return c.call(
    310,
    {
      a: 'PG_tx',
      b: 'TxTopic',
      c: 'TBW102',
      d: 4,
      e: 0,
      f: 4,
      g: Date.now(),
      h: 0,
      i: encodeProperties({ TRAN_MSG: 'true', PGROUP: 'PG_tx', UNIQ_KEY: `U-${body}` }),
    },
    Buffer.from(body),
  );
}

async function topicMessages(): Promise<string[]> {
  const r = await c.pullFromStart('CG_tx', 'TxTopic');
  return r.code === 0 ? decodeRecords(r.body!).map((m) => m.body.toString()) : [];
}

test('rollback hides the half message; commit publishes it once', { timeout: 20_000 }, async () => {
  const rb = await sendHalf('rolled-back');
  const cm = await sendHalf('committed');
  assert.equal(rb.code, 0);
  assert.deepEqual(await topicMessages(), [], 'half messages are invisible');
  const end = (sent: RemotingCommand, type: number) =>
    c.call(37, {
      producerGroup: 'PG_tx',
      tranStateTableOffset: sent.extFields!.queueOffset,
      commitLogOffset: Number.parseInt(sent.extFields!.msgId!.slice(16), 16),
      commitOrRollback: type,
      msgId: sent.extFields!.msgId,
    });
  assert.equal((await end(rb, 12)).code, 0);
  assert.equal((await end(cm, 8)).code, 0);
  assert.equal((await end(cm, 8)).code, 0, 'a duplicate commit is accepted');
  assert.deepEqual(await topicMessages(), ['committed']);
  // Once a check round has moved past the resolved half messages, a duplicate is still not applied.
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await end(cm, 8)).code, 0);
  await new Promise((r) => setTimeout(r, 500)); // a wrongly applied commit would be in the queue by now
  assert.deepEqual(await topicMessages(), ['committed']);
});

test('an unresolved half message is checked on the producer connection and committed by its answer', {
  timeout: 20_000,
}, async () => {
  const sent = await sendHalf('checked');
  assert.equal(sent.code, 0);
  const ok = await waitFor(async () => (await topicMessages()).includes('checked'), 10_000, 100);
  assert.ok(ok, 'the check led to a commit');
  const check = checks.find((r) => r.extFields!.msgId === 'U-checked')!;
  assert.ok(check, 'CHECK_TRANSACTION_STATE carried the UNIQ_KEY as msgId');
  const rec = decodeRecord(check.body!);
  assert.equal(rec.topic, 'TxTopic', 'the check body names the real topic');
  assert.equal(rec.body.toString(), 'checked');
  assert.equal(rec.properties.PGROUP, 'PG_tx');
  assert.deepEqual(
    (await topicMessages()).filter((m) => m === 'checked'),
    ['checked'],
    'committed exactly once',
  );
});
