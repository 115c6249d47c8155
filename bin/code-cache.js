#!/usr/bin/env node
// Writes dist/cli/server.cjs.cache (see bin/cached-script.js), run by bin/bundle.js in a process of its own:
// the cache is only taken under the V8 flags it was made with, so this process sets them as bin/run.js
// does before it loads the bundle. It loads the bundle, then runs `broker start -p` and `namesrv start -p`
// (they parse a configuration, print it and stop; stdout is thrown away), so the cache also holds the
// functions that start runs, not only the bundle's top level.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { limitYoungGeneration } from '../dist/src/cli/young-generation.js';
import { loadCachedScript, writeCodeCache } from './cached-script.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'server.cjs');
limitYoungGeneration();
const loaded = loadCachedScript(file);
for (const argv of [
  ['broker', 'start', '-p'],
  ['namesrv', 'start', '-p'],
]) {
  if (!(await loaded.exports.runServerFast(argv)) || process.exitCode) {
    throw new Error(`code cache: ${argv.join(' ')} did not run`);
  }
}
const bytes = writeCodeCache(file, loaded);
process.stderr.write(`${file}.cache: ${Math.round(bytes / 1024)} KB\n`);
