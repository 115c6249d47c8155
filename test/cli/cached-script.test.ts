// bin/cached-script.js: `broker start` / `namesrv start` load the server bundle (dist/cli/server.cjs) with V8's
// code cache. V8 checks only a cache's length against the source, so a cache made from other bytes of the
// same length would run the old code: the loader heads each cache with the source's CRC and drops it on a
// mismatch. The start time itself is measured by bench/broker-start.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO, removeDir, tempDir } from '../helpers/servers.js';

interface Loaded {
  exports: Record<string, unknown>;
  cacheUsed: boolean;
}
const loader = (await import(pathToFileURL(join(REPO, 'bin', 'cached-script.js')).href)) as {
  cachedScriptsWork: boolean;
  loadCachedScript(file: string): Loaded;
  writeCodeCache(file: string, loaded: Loaded): number;
};

test('a code cache is taken only for the bytes it was made from; require() resolves beside the file', {
  skip: !loader.cachedScriptsWork && 'this Node has no zlib.crc32',
}, (t) => {
  const dir = tempDir('mq-code-cache-');
  t.after(() => removeDir(dir));
  writeFileSync(join(dir, 'dep.cjs'), 'module.exports = 42;\n');
  const file = join(dir, 'bundle.cjs');
  const source = (v: string) =>
    `exports.value = '${v}';\nexports.dep = () => require('./dep.cjs');\nexports.dir = __dirname;\n`;
  writeFileSync(file, source('AAAA'));

  const first = loader.loadCachedScript(file);
  assert.equal(first.cacheUsed, false, 'no cache yet');
  assert.equal(first.exports.value, 'AAAA');
  assert.equal(first.exports.dir, dir);
  assert.equal((first.exports.dep as () => number)(), 42);
  assert.ok(loader.writeCodeCache(file, first) > 0);

  const cached = loader.loadCachedScript(file);
  assert.equal(cached.cacheUsed, true, 'the cache of these bytes is taken');
  assert.equal(cached.exports.value, 'AAAA');
  assert.equal((cached.exports.dep as () => number)(), 42);

  // Other code of the same length: V8 alone would take the old cache and run 'AAAA'.
  writeFileSync(file, source('BBBB'));
  const changed = loader.loadCachedScript(file);
  assert.equal(changed.exports.value, 'BBBB');
  assert.equal(changed.cacheUsed, false, 'a cache of other bytes is dropped');
});

test('the built server bundle is taken with its code cache under the flags bin/run.js sets', {
  skip: !loader.cachedScriptsWork && 'this Node has no zlib.crc32',
}, () => {
  const bundle = join(REPO, 'dist', 'cli', 'server.cjs');
  assert.ok(existsSync(bundle), `${bundle} is missing: run npm run build`);
  assert.ok(existsSync(`${bundle}.cache`), `${bundle}.cache is missing: run npm run build`);
  // As bin/run.js does: the young generation's flag, then the bundle.
  const script = `
    const { limitYoungGeneration } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'dist/src/cli/young-generation.js')).href)});
    const { loadCachedScript } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'bin/cached-script.js')).href)});
    limitYoungGeneration();
    const l = loadCachedScript(${JSON.stringify(bundle)});
    console.log(JSON.stringify({ cacheUsed: l.cacheUsed, runServerFast: typeof l.exports.runServerFast }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { cacheUsed: true, runServerFast: 'function' });
});
