// The timer wheel + timer log on disk (store/timer), with no broker: slots fire in filing order, a timer
// beyond the wheel's span rolls, fired log segments are deleted, a kill between writes and checkpoint
// keeps what was written, and a damaged checkpoint rebuilds instead of stopping the broker.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { TimerStore } from '../../src/engine/store/timer/timer-store.js';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mq-timer-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = 1_800_000_000_000;

test('units come back per slot in filing order; a timer past the span rolls to the farthest slot', () => {
  const t = new TimerStore(dir(), { precisionMs: 1000, slotsTotal: 10, now: T0 });
  t.add(T0 + 2500, 100, 10);
  t.add(T0 + 2001, 200, 20);
  t.add(T0 + 60_000, 300, 30); // 60 ticks out, the wheel spans 10
  assert.deepEqual(
    t.unitsOf(T0 + 3000).map((u) => u.phyOffset),
    [100, 200],
  );
  const far = t.unitsOf(T0 + 9000);
  assert.deepEqual(far, [{ deliverMs: T0 + 60_000, phyOffset: 300, size: 30, roll: true }]);
  assert.equal(t.slotSize(T0 + 4000), 0);
  t.close();
});

test('a restart without a commit keeps the units written to the OS and the wheel linking them', () => {
  const root = dir();
  const a = new TimerStore(root, { precisionMs: 1000, slotsTotal: 100, now: T0 });
  a.add(T0 + 5000, 1, 1);
  a.queueOffset = 1;
  a.commit();
  a.add(T0 + 5000, 2, 1);
  a.add(T0 + 6000, 3, 1);
  a.queueOffset = 3;
  // Written but not checkpointed, as at a kill -9 between the two.
  a.log.write();
  a.wheel.write();
  const b = new TimerStore(root, { precisionMs: 1000, slotsTotal: 100, now: T0 });
  assert.equal(
    b.queueOffset,
    1,
    'filing resumes from the checkpoint (the two are filed again: at least once)',
  );
  assert.equal(b.log.end, 3 * 40, 'the log end steps over units written after the checkpoint');
  b.add(T0 + 7000, 4, 1);
  assert.deepEqual(
    b.unitsOf(T0 + 5000).map((u) => u.phyOffset),
    [1, 2],
  );
  assert.deepEqual(
    b.unitsOf(T0 + 7000).map((u) => u.phyOffset),
    [4],
  );
  b.close();
});

test('segments whose slots have all fired are deleted', () => {
  const root = dir();
  const t = new TimerStore(root, { precisionMs: 1000, slotsTotal: 100, now: T0, unitsPerSegment: 4 });
  for (let i = 0; i < 10; i++) t.add(T0 + 1000 + i * 100, i, 1); // slots T0+1000 and T0+2000
  t.commit();
  assert.equal(readdirSync(join(root, 'timerlog')).length, 3);
  t.advance();
  t.advance();
  t.advance(); // read time past both slots
  t.commit();
  assert.deepEqual(readdirSync(join(root, 'timerlog')), ['00000000000000000320']);
  t.close();
});

test('a damaged timercheck is set aside and the wheel rebuilt from the timer topic', () => {
  const root = dir();
  const a = new TimerStore(root, { precisionMs: 1000, slotsTotal: 100, now: T0 });
  a.add(T0 + 5000, 1, 1);
  a.queueOffset = 1;
  a.close();
  writeFileSync(join(root, 'config', 'timercheck'), '{"readTimeMs": "soon"');
  const b = new TimerStore(root, { precisionMs: 1000, slotsTotal: 100, now: T0 });
  assert.match(b.damage ?? '', /timercheck is not JSON/);
  assert.equal(b.queueOffset, 0, 'every timer is filed again from the topic');
  assert.equal(b.slotSize(T0 + 5000), 0);
  assert.ok(existsSync(join(root, 'config', 'timercheck.bad')));
  b.close();
});
