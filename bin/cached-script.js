// Loads a CommonJS bundle with V8's code cache, so a server's start does not parse and compile ~1 MB of
// JavaScript again each time (Node 20 has no compile cache for ES modules; node 22's module.enableCompileCache
// is what this does by hand). The cache (`<file>.cache`) is written at build time by bin/code-cache.js. It is
// used only when it was made from these very bytes (a CRC of the source heads it: V8 itself checks only the
// source's length) and under the same V8 flags (V8 checks those and rejects it otherwise, then compiles as usual).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/** Whether this Node can load a bundle this way (zlib.crc32 came in Node 20.15). */
export const cachedScriptsWork = typeof zlib.crc32 === 'function';

/**
 * Runs `file` as a CommonJS module, with `<file>.cache` when it matches. Returns its exports, and what
 * writeCodeCache needs. The file must not import(): a script compiled from a cache made in another process
 * cannot (bin/bundle.js turns its import() of npm packages into require()).
 */
export function loadCachedScript(file) {
  const source = readFileSync(file);
  const sum = zlib.crc32(source);
  let cachedData;
  try {
    const cache = readFileSync(`${file}.cache`);
    if (cache.length > 4 && cache.readUInt32LE(0) === sum) cachedData = cache.subarray(4);
  } catch {
    // No cache (a bare build): compiled as usual.
  }
  // Node's own CommonJS wrapper, so the bundle sees require, module, __filename and __dirname as usual.
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`,
    { filename: file, cachedData },
  );
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    script,
    sum,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
  };
}

/** Writes the code cache of a loaded script: what V8 has compiled of it so far, headed by its source's CRC. */
export function writeCodeCache(file, loaded) {
  const data = loaded.script.createCachedData();
  const head = Buffer.alloc(4);
  head.writeUInt32LE(loaded.sum);
  writeFileSync(`${file}.cache.tmp`, Buffer.concat([head, data]));
  renameSync(`${file}.cache.tmp`, `${file}.cache`);
  return data.length;
}
