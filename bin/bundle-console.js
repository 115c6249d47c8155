#!/usr/bin/env node
// Bundles the console's pages (src/console/web: TypeScript, uPlot, CSS) into dist/src/console/web, which
// the npm package ships and `mq console` serves from memory. No CDN, no external fonts.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src/console/web');
const out = join(root, 'dist/src/console/web');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(src, 'main.ts') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  logLevel: 'warning',
  absWorkingDir: root,
});
await build({
  entryPoints: { app: join(src, 'style.css') },
  outdir: out,
  bundle: true,
  minify: true,
  logLevel: 'warning',
  absWorkingDir: root,
});
copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
