// Preloaded into a server under test (NODE_OPTIONS=--import=<this file>, MQ_HEAP_PROBE=<json file>): every
// 20 ms it notes the largest size V8's young generation (new_space) has reached and whether oclif was ever
// loaded (it sets globalThis.oclif), and rewrites the JSON file when that changes: readable after a kill -9.
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const file = process.env.MQ_HEAP_PROBE;
if (file) {
  let last = '';
  let maxNewSpace = 0;
  let oclif = false;
  const sample = () => {
    const s = getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
    maxNewSpace = Math.max(maxNewSpace, s?.space_size ?? 0);
    oclif ||= 'oclif' in globalThis;
    const now = JSON.stringify({ maxNewSpace, oclif });
    if (now !== last) writeFileSync(file, (last = now));
  };
  setInterval(sample, 20).unref();
  process.once('exit', sample);
}
