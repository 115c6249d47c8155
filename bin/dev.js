#!/usr/bin/env node
// Development entry: rebuilds with tsc first, then runs like bin/run.js (which, with the bundle now older than
// the tsc output, runs dist/src directly).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root], {
  stdio: 'inherit',
});
await import('./run.js');
