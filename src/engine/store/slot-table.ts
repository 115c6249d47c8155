/**
 * Index slot values waiting to be written (slot number → value, both non-negative int32): an
 * open-addressing hash table in two Int32Arrays. The dispatch path sets one slot per indexed key (every
 * UNIQ_KEY), up to maxIndexDirtySlots (65,536) between writes; a Map of that size cost ~0.5 µs per key in
 * hashing, growth and the garbage of a fresh Map per write, where this costs a multiply and a probe.
 */
const EMPTY = -1;

export class SlotTable {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  /** Bits of a 32-bit hash kept for the index (capacity = 2^bits). */
  private bits: number;
  size = 0;

  constructor(expected = 1024) {
    this.bits = 4;
    while (1 << this.bits < expected * 2) this.bits++;
    this.mask = (1 << this.bits) - 1;
    this.keys = new Int32Array(1 << this.bits).fill(EMPTY);
    this.values = new Int32Array(1 << this.bits);
  }

  /** Fibonacci hashing: slot numbers of one file are spread evenly, but neighbours must not cluster. */
  private home(slot: number): number {
    return Math.imul(slot, 0x9e3779b1) >>> (32 - this.bits);
  }

  /** The value of `slot`, or -1 when it holds none. */
  get(slot: number): number {
    const keys = this.keys;
    for (let i = this.home(slot); ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === slot) return this.values[i]!;
      if (k === EMPTY) return -1;
    }
  }

  has(slot: number): boolean {
    return this.get(slot) !== -1;
  }

  set(slot: number, value: number): void {
    const keys = this.keys;
    for (let i = this.home(slot); ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === slot) {
        this.values[i] = value;
        return;
      }
      if (k === EMPTY) {
        keys[i] = slot;
        this.values[i] = value;
        // Keep the load at most 1/2, so probes stay short.
        if (++this.size * 2 > keys.length) this.grow();
        return;
      }
    }
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.bits++;
    this.mask = (1 << this.bits) - 1;
    this.keys = new Int32Array(1 << this.bits).fill(EMPTY);
    this.values = new Int32Array(1 << this.bits);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i]!, values[i]!);
  }

  /** Forget every slot, keeping the capacity (a writable file fills it again). */
  clear(): void {
    if (this.size === 0) return;
    this.keys.fill(EMPTY);
    this.size = 0;
  }

  /** Every slot held and its value, in no particular order. */
  entries(): { slots: Int32Array; values: Int32Array } {
    const slots = new Int32Array(this.size);
    const values = new Int32Array(this.size);
    const keys = this.keys;
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === EMPTY) continue;
      slots[n] = keys[i]!;
      values[n++] = this.values[i]!;
    }
    return { slots, values };
  }
}
