#!/usr/bin/env node
// Entry point for both `mq` and `mqadmin`: normalises mqadmin habits, then hands over to oclif.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

// `npm run build` bundles the commands into dist/cli (package.json's oclif.commands). After a bare tsc the
// bundle is older than dist/src: run the tsc output then, so a rebuilt command is never hidden by an old bundle.
// tsc rewrites every output file, so one of them dates the last compile (a scan of all costs ~15 ms).
const compiled = mtime(join(root, 'dist/src/cli/run.js'));
const bundled = compiled <= mtime(join(root, 'dist/cli/run.js'));
// A manifest older than the commands it describes would hide new commands: oclif then scans the folder.
const manifest = join(root, 'oclif.manifest.json');
if (!bundled || mtime(manifest) < compiled) rmSync(manifest, { force: true });

// oclif checks its own package.json's engines.node at import; bundled, that file isn't beside it (the check only
// costs ~4 ms of semver and a failed require). Our package.json's engines field states the Node version.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';

// `broker start` / `namesrv start` with a plain command line skip oclif (a third of a server's start time);
// anything else there (help, typos, unknown flags) goes on to oclif. See src/cli/server-start.ts.
const [word, verb] = process.argv.slice(2);
const fast = verb === 'start' && (word === 'broker' || word === 'namesrv') && (await serverStart());
if (fast && (await fast.runServerFast(process.argv.slice(2)))) {
  // Started (or failed and reported) without oclif.
} else if (bundled) {
  const { run } = await import('../dist/cli/run.js');
  await run(process.argv.slice(2), import.meta.url, process.argv[1]);
} else {
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  pjson.oclif.commands = './dist/src/commands';
  const { run } = await import('../dist/src/cli/run.js');
  await run(process.argv.slice(2), { root, pjson }, process.argv[1]);
}

/**
 * The fast start path's module: from the build, the CommonJS bundle with its V8 code cache (bin/cached-script.js),
 * else the ES module bundle, else (after a bare tsc) the tsc output.
 */
async function serverStart() {
  const cjs = join(root, 'dist/cli/server.cjs');
  if (bundled && mtime(cjs) > 0) {
    const { cachedScriptsWork, loadCachedScript } = await import('./cached-script.js');
    if (cachedScriptsWork) {
      // The young generation's limit is a V8 flag, and the code cache is only taken under the flags it was
      // written with (bin/code-cache.js sets it too): so it is set before the bundle is compiled.
      const { limitYoungGeneration } = await import('../dist/src/cli/young-generation.js');
      limitYoungGeneration();
      return loadCachedScript(cjs).exports;
    }
  }
  return import(bundled ? '../dist/cli/server-start.js' : '../dist/src/cli/server-start.js');
}
