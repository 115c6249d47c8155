// What the benches read of a process from /proc (Linux): memory lines of /proc/PID/status and CPU time.
import { readFileSync } from 'node:fs';

/** `key:` of /proc/PID/status (VmRSS, VmHWM, RssAnon, RssFile, …) in MB, one decimal; NaN when absent. */
export function statusMb(pid: number, key: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return Math.round(kb / 102.4) / 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system, ms, in 10 ms clock ticks) the process has used so far; NaN once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
