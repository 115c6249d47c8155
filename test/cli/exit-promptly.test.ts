// Scripts call mqadmin in loops: a short command must exit as soon as it has printed its result, with no
// timer, socket or other handle keeping it alive afterwards (a 1 s linger is 1 s per call of a loop).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cleanupAfter } from '../helpers/cleanup.js';
import { REPO, RUN_JS, startNamesrv, tempDir } from '../helpers/servers.js';

const PROBE = join(REPO, 'dist', 'test', 'helpers', 'exit-probe.js');
const c = cleanupAfter();
let dir: string;
let namesrv: string;
let deadAddr: string;

before(async () => {
  dir = tempDir('mq-exit-');
  c.dirs.push(dir);
  const ns = await startNamesrv(dir, { pidFile: join(dir, 'ns.pid') });
  c.procs.push(ns.proc);
  namesrv = ns.addr;
  // A port nothing listens on: taken from the system, then released.
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  const { port } = s.address() as { port: number };
  await new Promise((res) => s.close(res));
  deadAddr = `127.0.0.1:${port}`;
});

interface Probe {
  first: number;
  last: number;
  exit: number;
  alive: string[];
}

/** Runs `mq …args` with the exit probe; its exit code, output and what the probe saw. */
async function run(
  name: string,
  args: string[],
): Promise<{ code: number | null; out: string; probe: Probe }> {
  const file = join(dir, `${name}.json`);
  const child = spawn(process.execPath, [`--import=${PROBE}`, RUN_JS, ...args], {
    cwd: REPO,
    env: { ...process.env, MQ_EXIT_PROBE: file },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((res) => child.once('exit', res));
  clearTimeout(killer);
  assert.notEqual(code, null, `mq ${args.join(' ')} did not exit within 20 s: ${out}`);
  return { code, out, probe: JSON.parse(readFileSync(file, 'utf8')) as Probe };
}

/**
 * The wait between the last output and the exit is bounded by the command's own start-up (spawn to first
 * output, which a loaded machine stretches as much): a handle left open (a 1 s timer, an open socket) shows
 * as a wait longer than that, and as what the probe found still alive.
 */
function assertExitedPromptly(what: string, p: Probe): void {
  assert.ok(p.first >= 0, `${what} printed nothing`);
  const linger = p.exit - p.last;
  assert.ok(
    linger <= Math.max(p.first, 300),
    `${what} exited ${Math.round(linger)} ms after its last output (its first came after ${Math.round(p.first)} ms); still alive then: ${p.alive.join(', ') || 'nothing'}`,
  );
}

const cases: [string, () => string[], number, RegExp][] = [
  ['--version', () => ['--version'], 0, /^mq\/\d/],
  ['--help', () => ['--help'], 0, /USAGE|Usage|usage/],
  ['version', () => ['version'], 0, /RocketMQ remoting protocol/],
  [
    'topicList against a dead name server',
    () => ['topicList', '-n', deadAddr],
    1,
    /no name server reachable/,
  ],
  ['clusterList against a live name server', () => ['clusterList', '-n', namesrv], 0, /#Cluster Name/],
  ['topicList against a live name server', () => ['topicList', '-n', namesrv], 0, /^$|\S/],
];

for (const [name, args, code, out] of cases) {
  test(`mq ${name} exits right after its output`, { timeout: 60_000 }, async () => {
    const r = await run(name.replace(/\W+/g, '-'), args());
    assert.equal(r.code, code, r.out);
    assert.match(r.out, out);
    assertExitedPromptly(`mq ${name}`, r.probe);
  });
}
