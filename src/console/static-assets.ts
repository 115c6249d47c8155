// The web pages, bundled at build time (bin/bundle-console.js) into dist/src/console/web next to this
// module's compiled form, and also found from the CLI bundle (dist/cli/...). Read once into memory.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  type: string;
  body: Buffer;
  immutable: boolean;
}

export interface StaticAssets {
  get(path: string): Asset | undefined;
  dir: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The package root: the first parent holding package.json. */
function packageRoot(from: string): string {
  let d = from;
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error(`console assets: no package.json above ${from}`);
    d = up;
  }
  return d;
}

export function assetDir(): string {
  return join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'dist', 'src', 'console', 'web');
}

export function loadStaticAssets(dir = assetDir()): StaticAssets {
  if (!existsSync(join(dir, 'index.html')))
    throw new Error(`console assets missing in ${dir} (run npm run build)`);
  const files = new Map<string, Asset>();
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    const type = TYPES[extname(f)];
    if (!type) continue;
    files.set(`/${f.split('\\').join('/')}`, {
      type,
      body: readFileSync(join(dir, f)),
      immutable: false,
    });
  }
  const index = files.get('/index.html')!;
  return {
    dir,
    get: (path) => (path === '/' || path === '/index.html' ? index : files.get(path)),
  };
}
