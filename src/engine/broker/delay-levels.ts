/** Delay level → ms from `messageDelayLevel` ("1s 5s 10s … 2h"); index 0 unused, level 1 = first item. */
export function parseDelayLevelTable(spec: string): number[] {
  const unit: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const out = [0];
  for (const item of spec.trim().split(/\s+/)) {
    const ms = unit[item.slice(-1)];
    const n = Number(item.slice(0, -1));
    if (!ms || !Number.isFinite(n)) throw new Error(`bad messageDelayLevel item '${item}'`);
    out.push(n * ms);
  }
  return out;
}
