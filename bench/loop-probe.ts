/**
 * Preload for a server under a benchmark: what its event loop and GC do while it is busy, to tell what a
 * latency tail is made of. `node --import /path/to/dist/bench/loop-probe.js …` (with the harness:
 * MQ_BROKER_NODE_ARGS="--import …/dist/bench/loop-probe.js"). Every second it takes the loop's delay
 * (how late a 1 ms timer fires, as perf_hooks.monitorEventLoopDelay measures it), the GC pauses (PerformanceObserver 'gc') and the CPU
 * used; seconds with at least LOOP_PROBE_BUSY_PCT (default 30) % of a core are "busy". At exit it prints one
 * summary of the busy seconds (and each busy second when LOOP_PROBE_SECONDS=1) to LOOP_PROBE_OUT (appended)
 * or stderr. Through NODE_OPTIONS="--import …" it probes every node process of a run (the harness's client
 * worker too), one line each, named by its command line.
 */

import { appendFileSync } from 'node:fs';
import { createHistogram, PerformanceObserver } from 'node:perf_hooks';

const out = process.env.LOOP_PROBE_OUT;
const busyPct = Number(process.env.LOOP_PROBE_BUSY_PCT ?? 30);
const perSecond = process.env.LOOP_PROBE_SECONDS === '1';

// The loop's delay: a 1 ms timer records how late it fires (what monitorEventLoopDelay does, but into a
// RecordableHistogram, so busy seconds can be merged).
const loop = createHistogram();
const busyLoop = createHistogram();
let due = performance.now() + 1;
setInterval(() => {
  const now = performance.now();
  loop.record(Math.max(1, Math.round((now - due) * 1e6)));
  due = now + 1;
}, 1).unref();

/** GC kinds as perf_hooks numbers them. */
const KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
interface GcSum {
  count: number;
  ms: number;
  maxMs: number;
}
const gcWindow = new Map<string, GcSum>();
const gcBusy = new Map<string, GcSum>();
const gcPauses = createHistogram();
const windowPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = KINDS[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
    const s = gcWindow.get(kind) ?? { count: 0, ms: 0, maxMs: 0 };
    s.count++;
    s.ms += e.duration;
    s.maxMs = Math.max(s.maxMs, e.duration);
    gcWindow.set(kind, s);
    windowPauses.push(e.duration);
  }
}).observe({ entryTypes: ['gc'] });

let busySeconds = 0;
let busyCpuUs = 0;
let lastCpu = process.cpuUsage();
let lastAt = performance.now();
const lines: string[] = [];
const ms = (ns: number): string => (ns / 1e6).toFixed(2);

const timer = setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  const cpuUs = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
  const pct = (cpuUs / 10 / (now - lastAt)) * 1;
  lastCpu = cpu;
  lastAt = now;
  if (pct >= busyPct) {
    busySeconds++;
    busyCpuUs += cpuUs;
    busyLoop.add(loop);
    for (const [k, s] of gcWindow) {
      const b = gcBusy.get(k) ?? { count: 0, ms: 0, maxMs: 0 };
      b.count += s.count;
      b.ms += s.ms;
      b.maxMs = Math.max(b.maxMs, s.maxMs);
      gcBusy.set(k, b);
    }
    for (const d of windowPauses) gcPauses.record(Math.max(1, Math.round(d * 1000)));
    if (perSecond) {
      const gcMs = [...gcWindow.values()].reduce((a, s) => a + s.ms, 0);
      lines.push(
        `  cpu ${pct.toFixed(0)}%, loop delay p50 ${ms(loop.percentile(50))} p99 ${ms(loop.percentile(99))} max ${ms(loop.max)} ms, gc ${gcMs.toFixed(1)} ms`,
      );
    }
  }
  loop.reset();
  gcWindow.clear();
  windowPauses.length = 0;
}, 1000);
timer.unref();

process.on('exit', () => {
  if (busySeconds === 0) return;
  const gc = [...gcBusy]
    .map(([k, s]) => `${k} ${s.count}× ${s.ms.toFixed(0)} ms (max ${s.maxMs.toFixed(2)})`)
    .join(', ');
  const us = (v: number): string => (v / 1000).toFixed(2);
  const text =
    `loop-probe pid ${process.pid} (${process.argv.slice(1).join(' ').slice(-48)}): ${busySeconds} busy s, CPU ${(busyCpuUs / 1e6).toFixed(2)} s; ` +
    `loop delay p50 ${ms(busyLoop.percentile(50))} p90 ${ms(busyLoop.percentile(90))} p99 ${ms(busyLoop.percentile(99))} ` +
    `p99.9 ${ms(busyLoop.percentile(99.9))} max ${ms(busyLoop.max)} ms (${busyLoop.count} samples); ` +
    `GC ${gc}; pause p50 ${us(gcPauses.percentile(50))} p99 ${us(gcPauses.percentile(99))} max ${us(gcPauses.max)} ms\n` +
    (perSecond ? `${lines.join('\n')}\n` : '');
  if (out) appendFileSync(out, text);
  else process.stderr.write(text);
});
