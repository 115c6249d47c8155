import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupTransferWaiters } from '../../src/engine/broker/ha/group-transfer.js';

test('an acknowledgement releases exactly the puts that end at or before it', async () => {
  const w = new GroupTransferWaiters();
  const settled: string[] = [];
  const track = (name: string, end: number) =>
    w.wait(end, 5000).then((s) => {
      settled.push(`${name}:${s}`);
    });
  const ps = [track('a', 100), track('c', 300), track('b', 200)];
  w.acknowledge(150);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(settled, ['a:PUT_OK']);
  w.acknowledge(300);
  await Promise.all(ps);
  assert.deepEqual(settled, ['a:PUT_OK', 'b:PUT_OK', 'c:PUT_OK']);
  assert.equal(w.size, 0);
});

test('an unacknowledged put times out with FLUSH_SLAVE_TIMEOUT near its deadline', async () => {
  const w = new GroupTransferWaiters(10);
  const t0 = Date.now();
  const late = w.wait(500, 120);
  const early = w.wait(100, 2000);
  assert.equal(await late, 'FLUSH_SLAVE_TIMEOUT');
  const took = Date.now() - t0;
  assert.ok(took >= 115 && took < 1000, `timed out after ${took} ms`);
  w.acknowledge(100);
  assert.equal(await early, 'PUT_OK');
});
