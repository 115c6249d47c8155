import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlotTable } from '../../src/engine/store/slot-table.js';

test('slot table: holds what a Map holds through growth, overwrites and clear', () => {
  const t = new SlotTable(4);
  const m = new Map<number, number>();
  // Neighbouring slots, multiples of the table size and the int32 extremes, with overwrites.
  let seed = 7;
  for (let i = 0; i < 20_000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    const slot = i % 3 === 0 ? i : i % 3 === 1 ? (i * 4096) & 0x7fffffff : seed % 5_000_000;
    t.set(slot, i + 1);
    m.set(slot, i + 1);
  }
  t.set(0x7fffffff, 9);
  m.set(0x7fffffff, 9);
  assert.equal(t.size, m.size);
  for (const [k, v] of m) assert.equal(t.get(k), v);
  assert.equal(t.get(5_000_001), -1);
  assert.equal(t.has(5_000_001), false);
  const { slots, values } = t.entries();
  assert.equal(slots.length, m.size);
  for (let i = 0; i < slots.length; i++) assert.equal(values[i], m.get(slots[i]!));
  t.clear();
  assert.equal(t.size, 0);
  for (const k of m.keys()) assert.equal(t.get(k), -1);
  t.set(3, 4);
  assert.deepEqual([...t.entries().slots], [3]);
});
