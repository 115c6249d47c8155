import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_KEY_WARNINGS, parseBrokerConfig } from '../../src/engine/broker/config/broker-config.js';
import { BROKER_READY, freePortPair, runCli, startProc, stopProc } from '../helpers/servers.js';

// Issue 13 items 12 and 13: values that would make every send fail are refused at start with the key and
// line; a broker.conf full of unknown keys starts quickly and says so in a few lines.

const tmp = mkdtempSync(join(tmpdir(), 'mq-conf-limits-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, MQ_LOG_DIR: join(tmp, 'logs'), MQ_PID_DIR: join(tmp, 'pids') };

/** ~1 MB of `someUnknownConfigurationKeyNumberN=…` lines. */
function unknownKeysConf(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `someUnknownConfigurationKeyNumber${i}=value-${'x'.repeat(14)}\n`;
  return s;
}

test('20,000 unknown keys: the first ones are named with the nearest key, the rest counted; parsing stays fast', () => {
  const text = `listenPrt=1\n${unknownKeysConf(20_000)}`;
  assert.ok(text.length > 900_000);
  const t0 = performance.now();
  const { warnings, unknownKeys } = parseBrokerConfig(text, 'big.conf');
  const ms = performance.now() - t0;
  assert.equal(unknownKeys.length, 20_001);
  assert.equal(warnings.length, MAX_KEY_WARNINGS + 1);
  assert.equal(warnings[0], "big.conf:1: unknown key 'listenPrt' ignored (did you mean 'listenPort'?)");
  assert.match(warnings[1]!, /^big\.conf:2: unknown key 'someUnknownConfigurationKeyNumber0' ignored/);
  assert.equal(
    warnings.at(-1),
    `big.conf: ${20_001 - MAX_KEY_WARNINGS} more unknown keys ignored (20001 in all)`,
  );
  // Not a speed target (those are benches): a guard against the quadratic parse this replaced (80 s), with
  // room for a loaded CI machine.
  assert.ok(ms < 10_000, `parsing took ${ms.toFixed(0)} ms`);
});

test('a broker with a 1 MB broker.conf of unknown keys starts about as fast as with a plain one', {
  timeout: 120_000,
}, async () => {
  const startMs = async (name: string, extra: string): Promise<{ ms: number; stderr: string }> => {
    const port = await freePortPair();
    const conf = join(tmp, `${name}.conf`);
    writeFileSync(
      conf,
      `brokerName=${name}\nlistenPort=${port}\nstorePathRootDir=${join(tmp, name)}\n${extra}`,
    );
    const t0 = performance.now();
    const { proc } = await startProc(
      name,
      ['broker', 'start', '-c', conf, '--pid-file', join(tmp, `${name}.pid`)],
      BROKER_READY,
      { env, timeoutMs: 60_000 },
    );
    const ms = performance.now() - t0;
    await stopProc(proc);
    return { ms, stderr: proc.stderr() };
  };
  const plain = await startMs('plain', '');
  const big = await startMs('big', unknownKeysConf(20_000));
  const lines = big.stderr.trim().split('\n');
  assert.equal(lines.length, MAX_KEY_WARNINGS + 1, big.stderr.slice(0, 2000));
  assert.match(lines.at(-1)!, /19990 more unknown keys ignored \(20000 in all\)/);
  assert.ok(
    big.ms - plain.ms < 10_000, // a guard against the 80 s start this replaced, not a speed target
    `start with 20,000 unknown keys: ${big.ms.toFixed(0)} ms, plain: ${plain.ms.toFixed(0)} ms`,
  );
});

test('values that make every send fail are refused at start, naming file, line and key; nothing is created', {
  timeout: 120_000,
}, async () => {
  const cases: [string, RegExp][] = [
    [
      'mapedFileSizeCommitLog=0',
      /bad\.conf:2: mapedFileSizeCommitLog = 0 is too small \(expected at least 4096/,
    ],
    ['mappedFileSizeCommitLog=-1', /bad\.conf:2: mappedFileSizeCommitLog = -1 is too small/],
    ['mappedFileSizeCommitLog=100', /bad\.conf:2: mappedFileSizeCommitLog = 100 is too small/],
    ['maxMessageSize=0', /bad\.conf:2: maxMessageSize = 0 is too small \(expected at least 1024/],
    ['maxMessageSize=-5', /bad\.conf:2: maxMessageSize = -5 is too small/],
    ['mappedFileSizeConsumeQueue=0', /bad\.conf:2: mappedFileSizeConsumeQueue = 0 is too small/],
    ['defaultTopicQueueNums=0', /bad\.conf:2: defaultTopicQueueNums = 0 is too small/],
    ['maxHashSlotNum=0', /bad\.conf:2: maxHashSlotNum = 0 is too small/],
    ['syncFlushTimeout=0', /bad\.conf:2: syncFlushTimeout = 0 is too small/],
    [
      'enableDLegerCommitLog=true',
      /bad\.conf:2: enableDLegerCommitLog = true is not supported: mq has no DLedger commit log/,
    ],
  ];
  for (const [line, expected] of cases) {
    const store = join(tmp, 'never');
    const conf = join(tmp, 'bad.conf');
    writeFileSync(conf, `storePathRootDir=${store}\n${line}\nlistenPort=0\n`);
    const r = await runCli(['broker', 'start', '-c', conf, '--pid-file', join(tmp, 'bad.pid')], { env });
    assert.equal(r.code, 1, `${line}: ${r.stderr}`);
    assert.match(r.stderr, expected, line);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(existsSync(store), false, `${line}: no store created`);
  }
  // Sane values still start (edge of the ranges) and enableDLegerCommitLog=false is fine.
  const ok = parseBrokerConfig(
    'mappedFileSizeCommitLog=4096\nmaxMessageSize=1024\nenableDLegerCommitLog=false\n',
  );
  assert.equal(ok.config.mappedFileSizeCommitLog, 4096);
  assert.deepEqual(ok.warnings, []);
  const big = parseBrokerConfig('mappedFileSizeCommitLog=65536\n', 'm.conf');
  assert.match(big.warnings[0]!, /maxMessageSize=4194304 does not fit a commit-log file of 65536 bytes/);
});
