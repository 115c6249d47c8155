#!/usr/bin/env node
// Development entry: rebuilds with tsc first, then runs like bin/run.js.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root], {
  stdio: 'inherit',
});
const { run } = await import('../dist/src/cli/run.js');
await run(process.argv.slice(2), import.meta.url, process.argv[1]);
