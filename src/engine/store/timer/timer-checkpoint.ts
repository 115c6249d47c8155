import * as fs from 'node:fs';

/** `timercheck` (TimerCheckpoint.java), as JSON: how far the timer store got. */
export interface TimerCheckpointData {
  /** Next slot to fire. */
  readTimeMs: number;
  /** Next queue offset of the timer topic to file into the wheel. */
  queueOffset: number;
  /** Timer-log end covered by the wheel as last flushed. */
  logEnd: number;
  /** Per timer-log segment start, the latest slot a unit in it is filed in (when it can be deleted). */
  segmentLastSlot: Record<string, number>;
}

export function readTimerCheckpoint(path: string): TimerCheckpointData | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let o: Partial<TimerCheckpointData>;
  try {
    o = JSON.parse(text) as Partial<TimerCheckpointData>;
  } catch (e) {
    throw new Error(`${path} is not JSON (${(e as Error).message})`);
  }
  if (typeof o !== 'object' || o === null) throw new Error(`${path} is not a JSON object`);
  for (const k of ['readTimeMs', 'queueOffset', 'logEnd'] as const) {
    if (typeof o[k] !== 'number' || !Number.isSafeInteger(o[k]) || o[k]! < 0)
      throw new Error(`${path}: ${k} is not a non-negative integer (${JSON.stringify(o[k])})`);
  }
  return { segmentLastSlot: {}, ...o } as TimerCheckpointData;
}

/**
 * Written to a temp file and renamed over the old one, so a crash leaves the old or the new; `sync`
 * also syncs it first (the periodic flush, after the log and wheel it describes are synced).
 */
export function writeTimerCheckpoint(path: string, d: TimerCheckpointData, sync: boolean): void {
  const tmp = `${path}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(d));
    if (sync) fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path);
}

/** The synced write, off the event loop. A stale snapshot over a newer file only re-files more. */
export async function writeTimerCheckpointAsync(path: string, d: TimerCheckpointData): Promise<void> {
  const tmp = `${path}.sync.tmp`;
  const h = await fs.promises.open(tmp, 'w');
  try {
    await h.writeFile(JSON.stringify(d));
    await h.datasync();
  } finally {
    await h.close();
  }
  await fs.promises.rename(tmp, path);
}
