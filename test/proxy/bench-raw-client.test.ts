// The grpc bench's grpc-js direct client (bench/grpc-raw.ts) against a real local-mode proxy: every send
// is accepted and every message comes back once and is acked, so its rates measure real work.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawGrpcReceiveAck, rawGrpcSend } from '../../bench/grpc-raw.js';
import { type ProxyCluster, startProxyCluster } from './harness.js';

describe('grpc bench: grpc-js direct client through the local-mode proxy', () => {
  let c: ProxyCluster;
  before(async () => {
    c = await startProxyCluster('local');
    await c.createTopic('PxBenchRaw', 4);
    await c.createGroup('px_bench_raw');
    await c.startGroupAtZero('px_bench_raw', 'PxBenchRaw', 4);
  });
  after(async () => {
    await c?.stop();
  });

  it('sends 200 messages with 16 in flight, then receives and acks all 200', async () => {
    const sent = await rawGrpcSend(c.endpoints, 'PxBenchRaw', 200, 16, 256);
    assert.equal(sent.failed, 0);
    assert.ok(sent.tps > 0);
    const got = await rawGrpcReceiveAck(c.endpoints, 'PxBenchRaw', 'px_bench_raw', 200);
    assert.equal(got.acked, 200);
    assert.ok(got.tps > 0);
  });

  it('counts sends the proxy refuses as failed (a topic name the proxy rejects)', async () => {
    const sent = await rawGrpcSend(c.endpoints, 'bad topic!', 5, 2, 16);
    assert.equal(sent.failed, 5);
  });
});
