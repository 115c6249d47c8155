#!/usr/bin/env node
// Entry point for both `mq` and `mqadmin`: normalises mqadmin habits, then hands over to oclif.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A manifest older than the compiled commands (tsc run without `npm run build`) would hide new commands.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'oclif.manifest.json');
try {
  const built = statSync(manifest).mtimeMs;
  const commands = join(root, 'dist/src/commands');
  const stale = readdirSync(commands, { recursive: true }).some(
    (f) => String(f).endsWith('.js') && statSync(join(commands, String(f))).mtimeMs > built,
  );
  if (stale) rmSync(manifest, { force: true });
} catch {
  // no manifest: oclif scans the commands folder
}

const { run } = await import('../dist/src/cli/run.js');
await run(process.argv.slice(2), import.meta.url, process.argv[1]);
