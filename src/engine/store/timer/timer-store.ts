import * as fs from 'node:fs';
import { join } from 'node:path';
import { readTimerCheckpoint, writeTimerCheckpoint, writeTimerCheckpointAsync } from './timer-checkpoint.js';
import { TimerLog, type TimerUnit, UNIT_SIZE } from './timer-log.js';
import { TimerWheel } from './timer-wheel.js';

export interface TimerStoreOptions {
  /** Slot width (timerPrecisionMs). */
  precisionMs: number;
  /** Slots of a new wheel (an existing wheel keeps its own). */
  slotsTotal: number;
  /** Units per timer-log segment file. */
  unitsPerSegment?: number;
  now?: number;
}

/** A due timer: the slot it fired in and its message's place in the commit log. */
export type DueTimer = Pick<TimerUnit, 'deliverMs' | 'phyOffset' | 'size'> & { roll: boolean };

/**
 * The disk side of RocketMQ 5's timer (TimerMessageStore's wheel, log and checkpoint), under
 * `<storeRoot>/timerwheel`, `<storeRoot>/timerlog/` and `<storeRoot>/config/timercheck`. It knows
 * commit-log positions and times, not messages: the broker's timer service reads the timer topic, files
 * each message here (`add`), and re-puts what `due` hands back. Memory is the wheel buffer (fixed by its
 * span and precision) plus the units of the slot being fired.
 */
export class TimerStore {
  readonly wheel: TimerWheel;
  readonly log: TimerLog;
  readTimeMs: number;
  queueOffset: number;
  /** Something was filed or fired since the last commit. */
  changed = false;
  private readonly checkpointPath: string;
  private readonly segmentLastSlot = new Map<number, number>();
  private readonly segmentBytes: number;
  /** Why the checkpoint could not be used (the wheel was then rebuilt from the timer topic), or undefined. */
  readonly damage: string | undefined;

  constructor(
    readonly rootDir: string,
    readonly opts: TimerStoreOptions,
  ) {
    const p = opts.precisionMs;
    this.segmentBytes = (opts.unitsPerSegment ?? 1 << 20) * UNIT_SIZE;
    fs.mkdirSync(join(rootDir, 'config'), { recursive: true });
    this.checkpointPath = join(rootDir, 'config', 'timercheck');
    let cp: ReturnType<typeof readTimerCheckpoint>;
    try {
      cp = readTimerCheckpoint(this.checkpointPath);
    } catch (e) {
      // The wheel and log are an index of the timer topic: drop them and file every timer again from the
      // start of the topic. Timers already fired may fire again (at least once); none is lost.
      this.damage = `${(e as Error).message}; the timer wheel is rebuilt from the timer topic`;
      fs.renameSync(this.checkpointPath, `${this.checkpointPath}.bad`);
      fs.rmSync(join(rootDir, 'timerwheel'), { force: true });
      fs.rmSync(join(rootDir, 'timerlog'), { recursive: true, force: true });
    }
    this.wheel = new TimerWheel(join(rootDir, 'timerwheel'), opts.slotsTotal, p);
    this.log = new TimerLog(join(rootDir, 'timerlog'), this.segmentBytes);
    this.log.recover(cp?.logEnd ?? this.log.segmentStarts()[0] ?? 0);
    this.readTimeMs = cp?.readTimeMs ?? Math.floor((opts.now ?? Date.now()) / p) * p;
    this.queueOffset = cp?.queueOffset ?? 0;
    for (const [k, v] of Object.entries(cp?.segmentLastSlot ?? {})) this.segmentLastSlot.set(Number(k), v);
  }

  /** The slot a timer due at `deliverMs` fires in: the first tick at or after it (never early). */
  slotOf(deliverMs: number): number {
    return Math.ceil(deliverMs / this.opts.precisionMs) * this.opts.precisionMs;
  }

  /**
   * Files one timer. Past-due timers go to the next slot to fire; one beyond the wheel's span goes to its
   * farthest slot and rolls (is filed again) when that slot fires.
   */
  add(deliverMs: number, phyOffset: number, size: number): void {
    const p = this.opts.precisionMs;
    let slotTimeMs = Math.max(this.slotOf(deliverMs), this.readTimeMs);
    const farthest = this.readTimeMs + this.wheel.spanMs - p;
    if (slotTimeMs > farthest) slotTimeMs = farthest;
    const slot = this.wheel.get(slotTimeMs);
    const pos = this.log.append({ prevPos: slot.lastPos, slotTimeMs, deliverMs, phyOffset, size });
    this.wheel.put({ timeMs: slotTimeMs, lastPos: pos, num: slot.num + 1 });
    this.changed = true;
    const seg = pos - (pos % this.segmentBytes);
    this.segmentLastSlot.set(seg, Math.max(this.segmentLastSlot.get(seg) ?? 0, slotTimeMs));
  }

  /** The next slot's time when it is due at `now`, else undefined. */
  dueSlot(now: number): number | undefined {
    return this.readTimeMs <= now ? this.readTimeMs : undefined;
  }

  /** Units of the slot at `timeMs`, in the order they were filed. */
  unitsOf(timeMs: number): DueTimer[] {
    const slot = this.wheel.get(timeMs);
    const out: DueTimer[] = [];
    let pos = slot.lastPos;
    while (pos >= 0 && out.length < slot.num) {
      const u = this.log.read(pos);
      if (!u || u.slotTimeMs !== timeMs) break; // a unit of another slot: the list ends (damaged tail)
      out.push({
        deliverMs: u.deliverMs,
        phyOffset: u.phyOffset,
        size: u.size,
        roll: this.slotOf(u.deliverMs) > timeMs,
      });
      pos = u.prevPos;
    }
    return out.reverse();
  }

  /** How many timers the slot at `timeMs` holds (0 when empty). */
  slotSize(timeMs: number): number {
    return this.wheel.get(timeMs).num;
  }

  /** Moves past the slot just fired. */
  advance(): void {
    this.readTimeMs += this.opts.precisionMs;
    this.changed = true;
  }

  /** Moves the filing position of the timer topic. */
  setQueueOffset(offset: number): void {
    if (offset !== this.queueOffset) this.changed = true;
    this.queueOffset = offset;
  }

  /**
   * Hands what was filed and fired to the OS — log units first, then the wheel that links them, then the
   * checkpoint — which a kill -9 keeps. `sync` (the broker calls it every second and at shutdown) also
   * syncs them in that order for a power loss. A crash in between files some timers twice or fires a
   * slot twice (at least once), never loses one.
   */
  commit(sync = false): void {
    this.changed = false;
    if (sync) {
      this.log.sync();
      this.wheel.sync();
    } else {
      this.log.write();
      this.wheel.write();
    }
    const keepFrom = this.log.end - (this.log.end % this.segmentBytes);
    this.log.deleteSegmentsBefore(
      keepFrom,
      (start) => (this.segmentLastSlot.get(start) ?? 0) >= this.readTimeMs,
    );
    for (const s of [...this.segmentLastSlot.keys()])
      if (!this.log.segmentStarts().includes(s)) this.segmentLastSlot.delete(s);
    writeTimerCheckpoint(
      this.checkpointPath,
      {
        readTimeMs: this.readTimeMs,
        queueOffset: this.queueOffset,
        logEnd: this.log.end,
        segmentLastSlot: Object.fromEntries(this.segmentLastSlot),
      },
      sync,
    );
  }

  /**
   * The once-a-second flush without blocking the event loop: writes what is pending, then syncs the log,
   * then the wheel, then writes and syncs the checkpoint as it stood when the writes were made.
   */
  async syncAsync(): Promise<void> {
    this.commit();
    const snapshot = this.checkpointData();
    await this.log.syncAsync();
    await this.wheel.syncAsync();
    await writeTimerCheckpointAsync(this.checkpointPath, snapshot);
  }

  private checkpointData() {
    return {
      readTimeMs: this.readTimeMs,
      queueOffset: this.queueOffset,
      logEnd: this.log.end,
      segmentLastSlot: Object.fromEntries(this.segmentLastSlot),
    };
  }

  close(): void {
    this.commit(true);
    this.wheel.close();
    this.log.close();
  }
}
