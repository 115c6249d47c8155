/**
 * Put latency as Java's StoreStatsService keeps it for GET_BROKER_RUNTIME_INFO: the slowest put, a
 * 13-range distribution (`putMessageDistributeTime`) and fine buckets for `putLatency99`/`putLatency999`.
 * Both are read from the last full minute (Java swaps its tables once a minute), so a reading is stable.
 */

/** Java's PUT_MESSAGE_ENTIRE_TIME_MAX_DESC: labels of the 13 distribution ranges. */
const RANGE_LABELS = [
  '[<=0ms]',
  '[0~10ms]',
  '[10~50ms]',
  '[50~100ms]',
  '[100~200ms]',
  '[200~500ms]',
  '[500ms~1s]',
  '[1~2s]',
  '[2~3s]',
  '[3~4s]',
  '[4~5s]',
  '[5~10s]',
  '[10s~]',
];
/** Upper bounds (exclusive) of ranges 1..10; range 0 is <= 0 ms. Java leaves ranges 11 and 12 uncounted. */
const RANGE_BOUNDS = [10, 50, 100, 200, 500, 1000, 2000, 3000, 4000, 5000];

/** Upper bounds (inclusive, ms) of the percentile buckets: steps of 1 to 20, 2 to 50, … 1000 to 10 s, then ∞. */
const BUCKET_BOUNDS: number[] = (() => {
  const steps: Array<[number, number]> = [
    [1, 20],
    [2, 15],
    [5, 10],
    [10, 10],
    [50, 6],
    [100, 5],
    [1000, 9],
  ];
  const out: number[] = [];
  let at = 0;
  for (const [step, times] of steps) for (let i = 0; i < times; i++) out.push((at += step));
  out.push(Number.POSITIVE_INFINITY);
  return out;
})();

function rangeOf(ms: number): number {
  if (ms <= 0) return 0;
  for (let i = 0; i < RANGE_BOUNDS.length; i++) if (ms < RANGE_BOUNDS[i]!) return i + 1;
  return -1;
}

function bucketOf(ms: number): number {
  // First bound >= ms (Java's TreeMap.ceilingEntry); binary search, this runs once per put.
  let lo = 0;
  let hi = BUCKET_BOUNDS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (BUCKET_BOUNDS[mid]! >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class PutLatency {
  /** Slowest put since start, ms (Java's putMessageEntireTimeMax). */
  max = 0;
  private ranges = new Float64Array(RANGE_LABELS.length);
  private lastRanges = new Float64Array(RANGE_LABELS.length);
  private buckets = new Float64Array(BUCKET_BOUNDS.length);
  private lastBuckets = new Float64Array(BUCKET_BOUNDS.length);
  private minute: number;

  constructor(now = Date.now()) {
    this.minute = Math.floor(now / 60_000);
  }

  record(ms: number, now = Date.now()): void {
    this.roll(now);
    if (ms > this.max) this.max = ms;
    const r = rangeOf(ms);
    if (r >= 0) this.ranges[r]! += 1;
    this.buckets[bucketOf(ms)]! += 1;
  }

  /** `[<=0ms]:0 [0~10ms]:12 … [10s~]:0 ` of the last full minute, as Java prints it (trailing space included). */
  distribution(now = Date.now()): string {
    this.roll(now);
    let s = '';
    for (let i = 0; i < RANGE_LABELS.length; i++) s += `${RANGE_LABELS[i]}:${this.lastRanges[i]} `;
    return s;
  }

  /** The px quantile (0.99, 0.999) of the last full minute in ms, interpolated inside its bucket as Java does. */
  percentile(px: number, now = Date.now()): number {
    this.roll(now);
    let total = 0;
    for (const c of this.lastBuckets) total += c;
    const index = Math.floor(total * px);
    let passed = 0;
    for (let i = 0; i < BUCKET_BOUNDS.length; i++) {
      const count = this.lastBuckets[i]!;
      if (index <= passed + count) {
        const rel = index - passed;
        const lower = i === 0 ? 0 : BUCKET_BOUNDS[i - 1]!;
        const upper = Number.isFinite(BUCKET_BOUNDS[i]!) ? BUCKET_BOUNDS[i]! : lower;
        return count === 0 ? lower : lower + ((upper - lower) * rel) / count;
      }
      passed += count;
    }
    return 0;
  }

  private roll(now: number): void {
    const m = Math.floor(now / 60_000);
    if (m === this.minute) return;
    // More than a minute without a put: the last full minute was empty.
    const adjacent = m === this.minute + 1;
    this.lastRanges = adjacent ? this.ranges : new Float64Array(RANGE_LABELS.length);
    this.lastBuckets = adjacent ? this.buckets : new Float64Array(BUCKET_BOUNDS.length);
    this.ranges = new Float64Array(RANGE_LABELS.length);
    this.buckets = new Float64Array(BUCKET_BOUNDS.length);
    this.minute = m;
  }
}

/** Java's MixAll.humanReadableByteCount(bytes, false): `512 B`, `1.5 KiB`, `2.0 GiB`. */
export function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const exp = Math.min(6, Math.floor(Math.log(bytes) / Math.log(1024)));
  return `${(bytes / 1024 ** exp).toFixed(1)} ${'KMGTPE'[exp - 1]}iB`;
}
