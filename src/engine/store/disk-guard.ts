import { readFileSync, statfsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MessageStoreConfig } from './message-store-config.js';
import type { PutMessageResult } from './types.js';

/**
 * What the disk allows, as RocketMQ's RUNNING_FLAGS DISK_FULL bit and CleanCommitLogService decide it:
 * - OK;
 * - ABOVE_MAX_USED: usage above diskMaxUsedSpaceRatio, expired commit-log files are deleted at once;
 * - FULL: usage above the write limit (the higher of diskSpaceWarningLevelRatio and diskMaxUsedSpaceRatio):
 *   writes are refused until usage falls to diskSpaceCleanForciblyRatio (Java's hysteresis: its "disk OK"
 *   branch is only reached at or below that ratio);
 * - NO_SPACE: a commit-log write failed with ENOSPC/EDQUOT (the disk filled faster than the periodic check
 *   saw, or reserved blocks): writes are refused until the file system has room again.
 */
export type DiskStatus = 'OK' | 'ABOVE_MAX_USED' | 'FULL' | 'NO_SPACE';

export interface DiskProbe {
  /** Used fraction 0..1 of the file system holding `path` (tests inject one). */
  usage(path: string): number | Promise<number>;
  /** Bytes an unprivileged writer may still use there. */
  available(path: string): number;
}

/** (blocks − free) / blocks, as Java's File.getTotalSpace/getFreeSpace give it. */
export function statfsUsageSync(path: string): number {
  const s = statfsSync(path);
  return s.blocks > 0 ? (s.blocks - s.bfree) / s.blocks : 0;
}

export function statfsAvailableSync(path: string): number {
  const s = statfsSync(path);
  return s.bavail * s.bsize;
}

/** Write errors that mean "no room", after which writes can resume once space is freed. */
export function isNoSpaceError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** "<path> (<fstype> mounted on <dir>)" from /proc/self/mounts; just the path where that is unreadable. */
export function describeDisk(path: string): string {
  const abs = resolve(path);
  try {
    let best: { dir: string; type: string } | undefined;
    for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
      const [, dir, type] = line.split(' ');
      if (!dir || !type) continue;
      const d = dir.replace(/\\040/g, ' ');
      const inside = d === '/' || abs === d || abs.startsWith(`${d}/`);
      if (inside && (!best || d.length >= best.dir.length)) best = { dir: d, type };
    }
    return best ? `${abs} (${best.type} mounted on ${best.dir})` : abs;
  } catch {
    return abs;
  }
}

const pct = (r: number): string => (r < 0 ? 'unknown' : `${(r * 100).toFixed(1)}%`);
const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;

/**
 * The disk state of one store: measured on the periodic retention pass, on every write attempt while
 * writes are refused, and told of ENOSPC by the commit log. Each transition is one log line and is kept
 * as `lastEvent` for the broker's runtime info.
 */
export class DiskGuard {
  ratio = 0;
  status: DiskStatus = 'OK';
  /** Last transition line, prefixed by its ISO time ('' until the first). */
  lastEvent = '';
  private noSpace: { need: number; error: string } | null = null;
  /** Reported once per episode: cleaning was due to delete unexpired files but the config forbids it. */
  private cleanBlockedReported = false;
  private readonly where: string;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly probe: DiskProbe,
    private readonly log: (msg: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.where = describeDisk(config.storePathCommitLog);
  }

  /** Usage above which writes are refused. */
  get writeLimit(): number {
    return Math.max(this.config.diskMaxUsedSpaceRatio, this.config.diskSpaceWarningLevelRatio) / 100;
  }

  /** Usage at or below which refused writes resume. */
  get resumeRatio(): number {
    return Math.min(this.writeLimit, this.config.diskSpaceCleanForciblyRatio / 100);
  }

  /** Whether a pass may delete unexpired files now (Java cleanImmediately; gated by cleanFileForciblyEnable). */
  get cleanImmediately(): boolean {
    // An unreadable usage (-1) never forces deletion of unexpired files (Java: -1 is above no ratio).
    const r = this.ratio;
    return r > this.config.diskSpaceCleanForciblyRatio / 100 || this.status === 'FULL' || !!this.noSpace;
  }

  get writeable(): boolean {
    return this.status !== 'FULL' && this.status !== 'NO_SPACE';
  }

  /** Why writes are refused now ('' when they are not). */
  get reason(): string {
    if (this.status === 'NO_SPACE' && this.noSpace) {
      return `disk full: no space left on ${this.where} (${this.noSpace.error}); ${pct(this.ratio)} used, writes resume once ${mib(this.noSpace.need)} are free`;
    }
    if (this.status === 'FULL') {
      return `disk full: ${this.where} is ${pct(this.ratio)} used, above the write limit ${pct(this.writeLimit)} (diskSpaceWarningLevelRatio); writes resume at or below ${pct(this.resumeRatio)}`;
    }
    return '';
  }

  /**
   * The put path's check: null when writes may go on. While refused, measure again at once (a statfs is
   * microseconds), so a freed disk is noticed by the very next send.
   */
  refusal(): PutMessageResult | null {
    if (this.writeable) return null;
    this.measureNow();
    if (this.writeable) return null;
    return { status: 'SERVICE_NOT_AVAILABLE', remark: this.reason };
  }

  /** Measure usage (and free bytes after ENOSPC) and apply any transition. */
  async check(): Promise<number> {
    let ratio: number;
    try {
      ratio = await this.probe.usage(this.config.storePathCommitLog);
    } catch {
      ratio = -1;
    }
    this.apply(ratio);
    return ratio;
  }

  private measureNow(): void {
    let r: number | Promise<number>;
    try {
      r = this.probe.usage(this.config.storePathCommitLog);
    } catch {
      r = -1;
    }
    if (typeof r === 'number') this.apply(r);
    else
      void r.then(
        (v) => this.apply(v),
        () => this.apply(-1),
      );
  }

  /** A commit-log write failed for lack of space: `bytes` of `messages` unwritten puts were rolled back. */
  onNoSpace(err: Error, bytes: number, messages: number): void {
    const first = !this.noSpace;
    this.noSpace = {
      need: Math.max(2 * bytes, 1 << 20),
      error: (err as NodeJS.ErrnoException).code ?? err.message,
    };
    try {
      this.ratio = Number(this.probe.usage(this.config.storePathCommitLog)) || this.ratio;
    } catch {
      // keep the last ratio
    }
    this.status = 'NO_SPACE';
    if (first) {
      this.event(
        `disk: no space left on ${this.where} (${err.message}): ${messages ? `${messages} unwritten messages (${bytes} bytes) failed` : `${bytes} replicated bytes refused`} and were rolled back, none stored; writes refused until ${mib(this.noSpace.need)} are free`,
      );
    }
  }

  private apply(ratio: number): void {
    this.ratio = ratio;
    const c = this.config;
    const prev = this.status;
    let avail = -1;
    if (this.noSpace) {
      try {
        avail = this.probe.available(c.storePathCommitLog);
      } catch {
        avail = 0;
      }
      if (avail < this.noSpace.need) return;
      this.noSpace = null;
    }
    const full = ratio > this.writeLimit || (prev === 'FULL' && ratio > this.resumeRatio);
    const next: DiskStatus = full
      ? 'FULL'
      : ratio < 0 || ratio > c.diskMaxUsedSpaceRatio / 100
        ? 'ABOVE_MAX_USED'
        : 'OK';
    this.status = next;
    if (next === 'OK' || next === 'ABOVE_MAX_USED') {
      if (ratio <= c.diskSpaceCleanForciblyRatio / 100) this.cleanBlockedReported = false;
    }
    if (next === prev) return;
    if (next === 'FULL') {
      this.event(
        `disk: ${this.where} is ${pct(ratio)} used, above the write limit ${pct(this.writeLimit)}: writes refused (DISK_FULL) until usage is at or below ${pct(this.resumeRatio)}`,
      );
    } else if (prev === 'NO_SPACE') {
      this.event(
        `disk: ${mib(avail)} free again on ${this.where} (${pct(ratio)} used): writes accepted again`,
      );
    } else if (prev === 'FULL') {
      this.event(`disk: ${this.where} is ${pct(ratio)} used: writes accepted again`);
    } else if (next === 'ABOVE_MAX_USED') {
      this.event(
        `disk: ${this.where} is ${pct(ratio)} used, above diskMaxUsedSpaceRatio ${c.diskMaxUsedSpaceRatio}%: expired commit-log files are deleted at once`,
      );
    } else {
      this.event(
        `disk: ${this.where} is ${pct(ratio)} used, back below diskMaxUsedSpaceRatio ${c.diskMaxUsedSpaceRatio}%`,
      );
    }
  }

  /** A pass would have deleted unexpired files but cleanFileForciblyEnable=false keeps them (said once). */
  onCleanBlocked(unexpiredFiles: number): void {
    if (this.cleanBlockedReported) return;
    this.cleanBlockedReported = true;
    this.event(
      `disk: ${this.where} is ${pct(this.ratio)} used, but cleanFileForciblyEnable=false: ${unexpiredFiles} unexpired commit-log files are kept (fileReservedTime ${this.config.fileReservedTime} h)${this.writeable ? '' : ', writes stay refused'}`,
    );
  }

  /** Forced deletion of unexpired files (one line naming files and the message range removed). */
  onForcedClean(line: string): void {
    this.event(line);
  }

  private event(line: string): void {
    this.lastEvent = `${new Date(this.now()).toISOString()} ${line}`;
    this.log(line);
  }
}
