const p2 = (n: number) => String(n).padStart(2, '0');

/** UtilAll.formatDate(…, "yyyy-MM-dd HH:mm:ss") in local time. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

/** UtilAll.timeMillisToHumanString2: "yyyy-MM-dd HH:mm:ss,SSS" in local time. */
export function humanTime(ms: number): string {
  return `${formatDate(ms)},${String(new Date(ms).getMilliseconds()).padStart(3, '0')}`;
}

/**
 * mqadmin's timestamp arguments: `now` (−1 where the command allows it), epoch milliseconds, or
 * local time as `yyyy-MM-dd#HH:mm:ss:SSS`.
 */
export function parseTimestamp(text: string, allowNow = false): number {
  const s = text.trim();
  if (allowNow && s === 'now') return -1;
  if (/^-?\d+$/.test(s)) return Number(s);
  const m = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/.exec(s);
  if (!m) {
    throw new Error(
      `bad timestamp ${JSON.stringify(text)}: use ${allowNow ? 'now, ' : ''}epoch milliseconds or yyyy-MM-dd#HH:mm:ss:SSS`,
    );
  }
  const [y, mo, d, h, mi, se, ms] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const t = new Date(y, mo - 1, d, h, mi, se, ms);
  if (t.getMonth() !== mo - 1 || t.getDate() !== d)
    throw new Error(`bad timestamp ${JSON.stringify(text)}: no such date`);
  return t.getTime();
}

/** "1h 02m", "45s", "3d 4h": a short human duration for catch-up estimates. */
export function shortDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${p2(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${p2(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
