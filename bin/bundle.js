#!/usr/bin/env node
// Bundles the compiled commands (after tsc) into dist/cli: one small file per command plus shared chunks, so
// starting a server loads a dozen files instead of ~150 engine modules (start-to-ready ~80 ms faster).
// npm packages stay external (loaded from node_modules as usual). bin/run.js falls back to dist/src when
// this bundle is older than the tsc output.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The gRPC proxy loads its .proto files at run time: tsc does not copy them, so they go beside its modules
// (dist/src/engine/proxy/proto), where both the tsc output and this bundle look for them.
cpSync(join(root, 'src/engine/proxy/proto'), join(root, 'dist/src/engine/proxy/proto'), { recursive: true });
const src = join(root, 'dist/src');
const out = join(root, 'dist/cli');
const commands = readdirSync(join(src, 'commands'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.js'));
// Entry names keep the command paths (oclif derives command ids from them): dist/cli/commands/broker/start.js.
const entryPoints = Object.fromEntries([
  ...commands.map((f) => [`commands/${f.slice(0, -3)}`, join(src, 'commands', f)]),
  ['run', join(src, 'cli/run.js')],
  // bin/run.js's fast path for `broker start` / `namesrv start` (no oclif in its imports).
  ['server-start', join(src, 'cli/server-start.js')],
]);
const result = await build({
  entryPoints,
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm packages are bundled too (requiring @oclif/core's ~150 modules one by one cost ~40 ms per start), except
  // the plugins oclif loads from node_modules itself and typescript (oclif only wants it for .ts sources).
  external: ['typescript', '@oclif/plugin-help'],
  // CommonJS packages inside an ES module bundle still call require() and read __dirname.
  banner: {
    js: [
      "import { createRequire as __mqCreateRequire } from 'node:module';",
      "import { dirname as __mqDirname } from 'node:path';",
      "import { fileURLToPath as __mqFileURLToPath } from 'node:url';",
      'const require = __mqCreateRequire(import.meta.url);',
      'const __filename = __mqFileURLToPath(import.meta.url);',
      'const __dirname = __mqDirname(__filename);',
    ].join(' '),
  },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
});
// The server start path once more, as one CommonJS file that bin/run.js loads with V8's code cache
// (bin/cached-script.js): parsing and compiling the ES module chunks was half of a broker's start, and Node
// 20 caches no ES module code. Its lazily loaded rooms stay in it, loaded on first use as before, except the
// npm packages that only optional features load (TLS certificates, the metrics exporter, the gRPC proxy):
// those stay in node_modules, so the file every start reads and checks stays small.
// A script run from a code cache cannot import() (V8 keeps the loader's key in the cache, and another
// process's key finds nothing: "A dynamic import callback was not specified"), so the npm packages that
// optional rooms import() are require()d instead (all are CommonJS), and the build fails if any import()
// of a file outside the bundle is left.
const serverCjs = join(out, 'server.cjs');
rmSync(`${serverCjs}.cache`, { force: true });
const importAsRequire = {
  name: 'import-as-require',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'import-as-require' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'import-as-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
const server = await build({
  entryPoints: [join(src, 'cli/server-start.js')],
  outfile: serverCjs,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  charset: 'ascii',
  external: ['typescript', '@oclif/plugin-help', '@grpc/*', '@node-rs/*', 'selfsigned', 'prom-client'],
  define: { 'import.meta.url': '__mqImportMetaUrl' },
  banner: { js: "const __mqImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [importAsRequire],
  metafile: true,
  logLevel: 'warning',
  absWorkingDir: root,
});
for (const [file, o] of Object.entries(server.metafile.outputs)) {
  const left = o.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path);
  if (left.length) throw new Error(`${file}: import() of ${left.join(', ')} cannot run from a code cache`);
}
execFileSync(process.execPath, [join(root, 'bin/code-cache.js')], { stdio: ['ignore', 'ignore', 'inherit'] });
// Written over the old bundle (a CLI started meanwhile by someone's tests keeps finding its files); then the
// files this build did not write (old chunks, removed commands) go.
const written = new Set(Object.keys(result.metafile.outputs).map((f) => relative(out, join(root, f))));
written.add('server.cjs').add('server.cjs.cache');
for (const f of readdirSync(out, { recursive: true, withFileTypes: true })) {
  const rel = relative(out, join(f.parentPath ?? f.path, f.name));
  if (f.isFile() && !written.has(rel)) rmSync(join(out, rel));
}
