// The CLI as ops scripts and newcomers meet it (issue 12, items 3, 4, 5, 14, 15): `mqadmin` spelled as
// Java's (no prompts, its usage name), flag errors with reason and usage line, did-you-mean, quickstart's
// ports, group-name rules and plain tables. Real name server and broker; the CLI run as a child process.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdminClient } from '../../src/engine/admin/admin-client.js';
import { type Cluster, mq, startCluster } from '../admin/servers.js';
import { freeBrokerPort, freePortPair, RUN_JS, removeDir, runCli, tempDir } from '../helpers/servers.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI through `bin` (a symlink named mqadmin, or bin/run.js itself), piped, to completion. */
async function runAs(bin: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Run> {
  const r = await runCli(args, { bin, env, timeoutMs });
  return { ...r, code: r.code ?? 1 };
}

/** Holds a port the way another server would (on every interface). */
function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '0.0.0.0', () => resolve(s));
  });
}

const hasScript = () => spawnSync('script', ['--version']).status === 0;

/**
 * Runs a command on a pseudo-terminal (util-linux `script`); when it asks "(y/N)", types `answer` and Enter.
 * Resolves with everything the terminal showed and the exit code.
 */
function onTerminal(
  argv: string[],
  env: NodeJS.ProcessEnv,
  answer: string,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', argv.join(' '), '/dev/null'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let answered = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!answered && out.includes('(y/N)')) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out on a terminal: ${out}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code: code ?? 1, out });
    });
  });
}

const closeServer = (s: Server) => new Promise<void>((r) => s.close(() => r()));

describe('mqadmin and mq against a real cluster', () => {
  let c: Cluster;
  let mqadmin: string;
  let env: NodeJS.ProcessEnv;
  const admin = (args: string[]) => runAs(mqadmin, [...args, '-n', c.namesrvAddr], env);
  const topicExists = async (topic: string) => {
    const r = await mq(c, ['topicList']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').includes(topic);
  };

  before(async () => {
    c = await startCluster();
    mqadmin = join(c.dir, 'mqadmin');
    symlinkSync(RUN_JS, mqadmin);
    env = { ...process.env, ...c.env };
  });
  after(async () => {
    await c?.stop();
  });

  test('mqadmin deleteTopic and deleteSubGroup run without a prompt or --yes in a pipe; mq refuses naming --yes and keeps the topic', async () => {
    for (const t of ['ScriptTopicA', 'ScriptTopicB']) {
      const r = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', t]);
      assert.equal(r.code, 0, r.stderr);
    }
    const refused = await mq(c, ['deleteTopic', '-c', c.clusterName, '-t', 'ScriptTopicA']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--yes/);
    assert.ok(await topicExists('ScriptTopicA'), 'a refused delete loses nothing');

    const del = await admin(['deleteTopic', '-c', c.clusterName, '-t', 'ScriptTopicB']);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /delete topic \[ScriptTopicB\] from cluster \[AdminTestCluster\] success\./);
    assert.equal(await topicExists('ScriptTopicB'), false);
    assert.ok(await topicExists('ScriptTopicA'));

    const made = await admin(['updateSubGroup', '-b', c.brokerAddr, '-g', 'ScriptGroup']);
    assert.equal(made.code, 0, made.stderr);
    const gone = await admin(['deleteSubGroup', '-b', c.brokerAddr, '-g', 'ScriptGroup']);
    assert.equal(gone.code, 0, gone.stderr);
    const wipe = await admin(['wipeWritePerm', '-b', c.brokerName]);
    assert.equal(wipe.code, 0, wipe.stderr);
    const add = await admin(['addWritePerm', '-b', c.brokerName]);
    assert.equal(add.code, 0, add.stderr);
  });

  test('mqadmin resetOffsetByTime and skipAccumulatedMessage run without --yes in a pipe', async () => {
    const topic = 'ScriptOffsetTopic';
    const group = 'ScriptOffsetGroup';
    const made = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', topic, '-r', '1', '-w', '1']);
    assert.equal(made.code, 0, made.stderr);
    const lag = async () => {
      const r = await mq(c, ['consumerProgress', '-g', group, '--json']);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { diffTotal: number }).diffTotal;
    };
    // Three messages, consumed (and committed) by a named group.
    for (const body of ['one', 'two', 'three']) {
      const r = await mq(c, ['producer', 'send', '-t', topic, '--body', body]);
      assert.equal(r.code, 0, r.stderr);
    }
    const tail = await mq(c, [
      'consumer',
      'tail',
      '-t',
      topic,
      '-g',
      group,
      '--from',
      'first',
      '--count',
      '3',
    ]);
    assert.equal(tail.code, 0, tail.stderr);
    assert.equal(await lag(), 0);
    const reset = await admin(['resetOffsetByTime', '-g', group, '-t', topic, '-s', '0']);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(await lag(), 3);
    const skip = await admin(['skipAccumulatedMessage', '-g', group, '-t', topic]);
    assert.equal(skip.code, 0, skip.stderr);
    assert.equal(await lag(), 0);
  });

  test('on a terminal, mq asks before deleting (no keeps the topic) and mqadmin does not ask', {
    skip: !hasScript(),
  }, async () => {
    const r = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', 'TtyTopic']);
    assert.equal(r.code, 0, r.stderr);
    const args = ['deleteTopic', '-c', c.clusterName, '-t', 'TtyTopic', '-n', c.namesrvAddr];
    const no = await onTerminal([process.execPath, RUN_JS, ...args], env, 'n');
    assert.match(no.out, /Delete topic TtyTopic from cluster AdminTestCluster and the name servers\?/);
    assert.match(no.out, /aborted by user/);
    assert.ok(await topicExists('TtyTopic'));
    const yes = await onTerminal([process.execPath, mqadmin, ...args], env, 'n');
    assert.doesNotMatch(yes.out, /\(y\/N\)/);
    assert.equal(yes.code, 0, yes.out);
    assert.equal(await topicExists('TtyTopic'), false);
  });

  test('updateSubGroup refuses illegal group names with the rule and stores nothing; 255 characters are allowed', async () => {
    const longest = 'g'.repeat(255);
    for (const bad of ['g h', 'g/h', 'g'.repeat(256)]) {
      const r = await admin(['updateSubGroup', '-b', c.brokerAddr, '-g', bad]);
      assert.equal(r.code, 1, `${bad}: ${r.stdout}`);
      assert.match(
        r.stderr,
        bad.length > 255 ? /longer than group max length 255/ : /\^\[%\|a-zA-Z0-9_-\]\+\$/,
      );
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    const ok = await admin(['updateSubGroup', '-b', c.brokerAddr, '-g', longest]);
    assert.equal(ok.code, 0, ok.stderr);
    const client = new AdminClient({ namesrvAddr: c.namesrvAddr });
    try {
      const groups = Object.keys((await client.getAllSubscriptionGroup(c.brokerAddr)).subscriptionGroupTable);
      assert.ok(groups.includes(longest));
      assert.ok(!groups.some((g) => g === 'g h' || g === 'g/h' || g.length > 255), groups.join(','));
    } finally {
      await client.close();
    }
  });

  test('mqadmin tables are plain aligned columns (no box borders) whether or not stdout is a terminal', async () => {
    const r = await mq(c, ['updateTopic', '-c', c.clusterName, '-t', 'ScriptTableTopic']);
    assert.equal(r.code, 0, r.stderr);
    // MQ_TABLE=1 is what a terminal means to the table code (useTables); MQ_PLAIN is unset here.
    const ttyEnv = { ...env, MQ_PLAIN: undefined, MQ_TABLE: '1' };
    for (const args of [['clusterList'], ['topicStatus', '-t', 'ScriptTableTopic'], ['consumerProgress']]) {
      const t = await runAs(mqadmin, [...args, '-n', c.namesrvAddr], ttyEnv);
      assert.equal(t.code, 0, t.stderr);
      assert.doesNotMatch(t.stdout, /[┌│─└┬┼]/, `${args[0]} drew a box:\n${t.stdout}`);
      assert.match(t.stdout, /^#/m, `${args[0]} prints Java's #-headed columns`);
    }
    // And on a real terminal, where `script` (util-linux) can give us one.
    if (hasScript()) {
      const cmd = [process.execPath, mqadmin, 'clusterList', '-n', c.namesrvAddr].join(' ');
      const s = spawnSync('script', ['-qec', cmd, '/dev/null'], {
        env: { ...env, MQ_PLAIN: undefined },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(s.status, 0, s.stderr);
      assert.match(s.stdout, /#Cluster Name/);
      assert.doesNotMatch(s.stdout, /[┌│─└┬┼]/, s.stdout);
    }
  });

  test('Java mqadmin short flags: -b is the broker address, -c the cluster, -g the group', async () => {
    const r = await admin(['updateTopic', '-b', c.brokerAddr, '-t', 'ShortFlagTopic', '-r', '2', '-w', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`create topic to ${c.brokerAddr.replaceAll('.', '\\.')} success`));
    const s = await admin(['topicStatus', '-t', 'ShortFlagTopic']);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout.split('\n').filter((l) => l.includes(c.brokerName)).length, 2);
  });
});

describe('flag and argument errors', () => {
  const dir = tempDir('mq-cli-errors-');
  const mqadmin = join(dir, 'mqadmin');
  symlinkSync(RUN_JS, mqadmin);
  const env = { ...process.env, HOME: dir, MQ_PID_DIR: dir, MQ_LOG_DIR: join(dir, 'logs'), NAMESRV_ADDR: '' };
  after(() => removeDir(dir));

  const cases: Array<{ args: string[]; reason: RegExp }> = [
    { args: ['updateTopic', '-c', 'C'], reason: /Missing required flag topic/ },
    {
      args: ['updateTopic', '-t', 'T'],
      reason: /Exactly one of the following must be provided: --brokerAddr, --clusterName/,
    },
    {
      args: ['updateTopic', '-t', 'T', '-b', 'h:1', '-c', 'C'],
      reason: /--clusterName cannot also be provided when using --brokerAddr/,
    },
    { args: ['updateTopic', '-t', 'T', '-c', 'C', '--bogus'], reason: /Nonexistent flag: --bogus/ },
    { args: ['updateTopic', '-t', 'T', '-c', 'C', '-r', 'abc'], reason: /-r must be an integer, got "abc"/ },
    { args: ['clusterList', '-i'], reason: /--interval expects a value/ },
    { args: ['quickstart', '--count', 'many'], reason: /--count: Expected an integer but received: many/ },
    { args: ['topicList', 'extra'], reason: /unexpected argument 'extra'/ },
    {
      args: ['updateTopic', '-c', 'C', '--topc', 'T'],
      reason: /Nonexistent flag: --topc; did you mean --topic\?/,
    },
  ];
  for (const { args, reason } of cases) {
    test(`${args.join(' ')}: the reason and the usage line, exit 2`, async () => {
      for (const [bin, name] of [
        [RUN_JS, 'mq'],
        [mqadmin, 'mqadmin'],
      ] as const) {
        const r = await runAs(bin, args, env);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, reason);
        assert.match(r.stderr, new RegExp(`^usage: ${name} ${args[0]} `, 'm'), r.stderr);
        assert.doesNotMatch(r.stderr, /The following errors? occurred:|^\s+at /m);
        assert.equal(r.stdout, '');
      }
    });
  }

  test('--json: the error object on stdout with the usage, the text on stderr', async () => {
    const r = await runAs(RUN_JS, ['updateTopic', '-t', 'T', '--json'], env);
    assert.equal(r.code, 2);
    const j = JSON.parse(r.stdout) as { error: { message: string; usage: string } };
    assert.match(j.error.message, /Exactly one of/);
    assert.match(j.error.usage, /^usage: mq updateTopic \(-b <brokerAddr> \| -c <clusterName>\) -t <topic>/);
    assert.match(r.stderr, /Exactly one of/);
  });

  test('an unknown command suggests the nearest, for both spellings and mqadmin lower-case habits', async () => {
    const want: Array<[string, string[], RegExp]> = [
      [mqadmin, ['topiclis'], /Did you mean topicList\?/],
      [mqadmin, ['consumerprogres', '-g', 'x'], /Did you mean consumerProgress\?/],
      [mqadmin, ['updatesubgroop'], /Did you mean updateSubGroup\?/],
      [RUN_JS, ['producer', 'sned'], /Did you mean producer send\?/],
      [RUN_JS, ['broker', 'strat'], /Did you mean broker start\?/],
      [RUN_JS, ['clusterlst'], /Did you mean clusterList\b/],
    ];
    for (const [bin, args, suggestion] of want) {
      const r = await runAs(bin, args, env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, suggestion);
      assert.match(r.stderr, /is not an mq(admin)? command/);
    }
    const flagFirst = await runAs(mqadmin, ['--bogus'], env);
    assert.equal(flagFirst.code, 2);
    assert.match(
      flagFirst.stderr,
      /'--bogus' is not a command \(the command comes first: mqadmin <command> \[flags\]\)/,
    );
    const none = await runAs(mqadmin, ['zzzzzzzz'], env);
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /'zzzzzzzz' is not an mqadmin command\nRun 'mqadmin' for the list of commands\./,
    );
  });

  test('help and usage show the name typed', async () => {
    const h = await runAs(mqadmin, ['help', 'updateTopic'], env);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /\$ mqadmin updateTopic /);
    const m = await runAs(RUN_JS, ['updateTopic', '--help'], env);
    assert.match(m.stdout, /\$ mq updateTopic /);
    const h2 = await runAs(mqadmin, ['updateTopic', '-h'], env);
    assert.equal(h2.code, 0, h2.stderr);
    assert.match(h2.stdout, /\$ mqadmin updateTopic /, 'mqadmin -h is help, as in Java');
    const lower = await runAs(mqadmin, ['help', 'topiclist'], env);
    assert.equal(lower.code, 0, lower.stderr);
    assert.match(lower.stdout, /\$ mqadmin topicList/);
    const typo = await runAs(mqadmin, ['help', 'topiclis'], env);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /Did you mean topicList\?/);
  });
});

describe('mq quickstart', () => {
  const dir = tempDir('mq-quickstart-');
  const env = { ...process.env, HOME: dir, MQ_PID_DIR: dir, MQ_LOG_DIR: join(dir, 'logs'), NAMESRV_ADDR: '' };
  after(() => removeDir(dir));

  test('a busy name server or broker port is reported with the flag to change, not a stack', async () => {
    const nsPort = await freePortPair();
    const held = await occupy(nsPort);
    try {
      const r = await runAs(
        RUN_JS,
        ['quickstart', '--namesrv-port', String(nsPort), '--port', '0', '--store', join(dir, 's1')],
        env,
      );
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(
          `port ${nsPort} \\(name server\\) is in use \\(by another name server\\?\\); pass --namesrv-port`,
        ),
      );
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    } finally {
      await closeServer(held);
    }
    const bPort = await freePortPair();
    const heldB = await occupy(bPort);
    try {
      const r = await runAs(
        RUN_JS,
        ['quickstart', '--namesrv-port', '0', '--port', String(bPort), '--store', join(dir, 's2')],
        env,
      );
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`port ${bPort} \\(broker\\) is in use .*pass --port`));
    } finally {
      await closeServer(heldB);
    }
  });

  test('on the ports given, prints the bodies it received', async () => {
    const nsPort = await freePortPair();
    const bPort = await freeBrokerPort(); // the broker also binds port-2 and port+1
    const store = join(dir, 'store');
    const r = await runAs(
      RUN_JS,
      [
        'quickstart',
        '--namesrv-port',
        String(nsPort),
        '--port',
        String(bPort),
        '--count',
        '3',
        '--store',
        store,
      ],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`name server 127\\.0\\.0\\.1:${nsPort}, broker 127\\.0\\.0\\.1:${bPort}`),
    );
    for (let i = 0; i < 3; i++) assert.match(r.stdout, new RegExp(`received "Hello RocketMQ ${i}" `));
    const j = await runAs(
      RUN_JS,
      ['quickstart', '--namesrv-port', '0', '--port', '0', '--count', '2', '--store', store, '--json'],
      env,
    );
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout) as { received: number; messages: Array<{ body: string }> };
    assert.equal(out.received, 2);
    assert.deepEqual(
      out.messages.map((m) => m.body),
      ['Hello RocketMQ 0', 'Hello RocketMQ 1'],
    );
    assert.ok(readdirSync(store).length > 0);
  });
});
