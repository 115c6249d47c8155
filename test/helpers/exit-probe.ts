// Preloaded into a CLI run under test (node --import=<this file>, MQ_EXIT_PROBE=<json file>): notes when the
// process first and last wrote to stdout or stderr and when it exited (ms since it started), and what kept
// its event loop alive a moment after its latest output (process.getActiveResourcesInfo(); the probe's own
// timer is unref'd, so it keeps nothing alive). Written at exit, for the test to read.
import { writeFileSync } from 'node:fs';

const file = process.env.MQ_EXIT_PROBE;
if (file) {
  let first = -1;
  let last = -1;
  let alive: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const noted = () => {
    last = performance.now();
    if (first < 0) first = last;
    clearTimeout(timer);
    timer = setTimeout(() => {
      alive = process.getActiveResourcesInfo();
    }, 100).unref();
  };
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    stream.write = ((...a: unknown[]) => {
      noted();
      return write(...a);
    }) as typeof stream.write;
  }
  process.once('exit', () => {
    writeFileSync(file, JSON.stringify({ first, last, exit: performance.now(), alive }));
  });
}
