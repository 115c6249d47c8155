// The console's HTTP API against a real name server + broker: the dashboard's paths and envelope, the
// same objects as the mq commands' --json, writes that mqadmin sees, and bad input refused with nothing
// written.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Cluster, mq, mqJson, startCluster, waitFor } from '../admin/servers.js';
import { stopProc } from '../helpers/servers.js';
import { type ConsoleProc, getData, getEnv, postForm, postJson, startConsoleProc } from './console-proc.js';

describe('mq console HTTP API', () => {
  let c: Cluster;
  let con: ConsoleProc;
  let base: string;

  before(async () => {
    c = await startCluster();
    con = await startConsoleProc(c);
    base = con.url;
    await mq(c, ['updateTopic', '-t', 'ApiTopic', '-c', c.clusterName, '-r', '4', '-w', '4']);
    const send = await mq(
      c,
      ['producer', 'send', '-t', 'ApiTopic', '--keys', 'apiKey', '--body', 'api body'],
      {},
      30_000,
    );
    assert.equal(send.code, 0, send.stderr);
  });

  after(async () => {
    await stopProc(con?.proc);
    await c?.stop();
  });

  it('answers every read in the {status, data, errMsg} envelope', async () => {
    const paths = [
      '/ops/homePage.query',
      '/cluster/list.query',
      '/topic/list.query',
      '/topic/stats.query?topic=ApiTopic',
      '/topic/route.query?topic=ApiTopic',
      '/topic/queryConsumerByTopic.query?topic=ApiTopic',
      '/consumer/groupList.query',
      '/message/queryMessageByTopicAndKey.query?topic=ApiTopic&key=apiKey',
      `/message/queryMessageByTopic.query?topic=ApiTopic&begin=0&end=${Date.now() + 60_000}`,
      `/dashboard/broker.query?date=2020-01-01`,
      '/dashboard/topicCurrent.query',
      '/dashboard/live.query',
    ];
    for (const p of paths) {
      const { http, env } = await getEnv(base, p);
      assert.equal(http, 200, p);
      assert.deepEqual(Object.keys(env).sort(), ['data', 'errMsg', 'status'], p);
      assert.equal(env.status, 0, `${p}: ${env.errMsg}`);
      assert.notEqual(env.data, null, p);
    }
    const home = await getData<{ currentNamesrv: string }>(base, '/ops/homePage.query');
    assert.equal(home.currentNamesrv, c.namesrvAddr);
  });

  it('returns the same objects as the matching commands --json', async () => {
    assert.deepEqual(
      await getData(base, '/topic/route.query?topic=ApiTopic'),
      await mqJson(c, ['topicRoute', '-t', 'ApiTopic']),
    );
    const stats = await getData<{ queues: Array<{ maxOffset: number }> }>(
      base,
      '/topic/stats.query?topic=ApiTopic',
    );
    assert.deepEqual(stats, await mqJson(c, ['topicStatus', '-t', 'ApiTopic']));
    assert.equal(
      stats.queues.reduce((s, q) => s + q.maxOffset, 0),
      1,
    );
    const list = await getData<{ topics: string[]; topicList: string[] }>(base, '/topic/list.query');
    const cli = await mqJson<{ topics: string[] }>(c, ['topicList']);
    assert.deepEqual([...list.topics].sort(), [...cli.topics].sort());
    assert.ok(list.topicList.includes('ApiTopic'));
    assert.ok(
      list.topicList.includes(`%SYS%${c.clusterName}`),
      'system topics are marked as the dashboard marks them',
    );
    const cluster = await getData<{ brokers: Array<Record<string, unknown>>; clusterInfo: unknown }>(
      base,
      '/cluster/list.query',
    );
    const cliCluster = await mqJson<{ brokers: Array<Record<string, unknown>> }>(c, ['clusterList']);
    const pick = (b: Record<string, unknown>) => [b.clusterName, b.brokerName, b.brokerId, b.addr, b.version];
    assert.deepEqual(cluster.brokers.map(pick), cliCluster.brokers.map(pick));
    const byKey = await getData<{ messages: Array<{ keys: string; body: string }> }>(
      base,
      '/message/queryMessageByTopicAndKey.query?topic=ApiTopic&key=apiKey',
    );
    assert.equal(byKey.messages.length, 1);
    const cliKey = await mqJson<{ messages: unknown[] }>(c, [
      'queryMsgByKey',
      '-t',
      'ApiTopic',
      '-k',
      'apiKey',
    ]);
    assert.deepEqual(byKey.messages, cliKey.messages);
    const view = await getData<{ messageView: { body: string; msgId: string }; messageTrackList: unknown[] }>(
      base,
      `/message/viewMessage.query?topic=ApiTopic&msgId=${(byKey.messages[0] as unknown as { msgId: string }).msgId}`,
    );
    assert.equal(view.messageView.body, byKey.messages[0]!.body);
    assert.ok(Array.isArray(view.messageTrackList));
  });

  it('creates and deletes topics and groups that mqadmin then sees', async () => {
    const created = await postJson(base, '/topic/createOrUpdate.do', {
      topicName: 'ApiMade',
      clusterNameList: [c.clusterName],
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 6,
    });
    assert.deepEqual(created, { status: 0, data: true, errMsg: null });
    assert.match((await mq(c, ['topicList'])).stdout, /^ApiMade$/m);
    const route = await mqJson<{ queueDatas: Array<{ readQueueNums: number }> }>(c, [
      'topicRoute',
      '-t',
      'ApiMade',
    ]);
    assert.equal(route.queueDatas[0]!.readQueueNums, 2);

    const group = await postJson(base, '/consumer/createOrUpdate.do', {
      clusterNameList: [c.clusterName],
      subscriptionGroupConfig: { groupName: 'ApiGroup', retryMaxTimes: 3 },
    });
    assert.equal(group.status, 0, group.errMsg ?? '');
    const cfg = await mqJson<{ brokers: Array<{ config: { retryMaxTimes: number } }> }>(c, [
      'getConsumerConfig',
      '-g',
      'ApiGroup',
    ]);
    assert.equal(cfg.brokers[0]!.config.retryMaxTimes, 3);
    const groups = await getData<Array<{ group: string }>>(base, '/consumer/groupList.query');
    assert.ok(groups.some((g) => g.group === 'ApiGroup'));

    const del = await postForm(base, '/topic/deleteTopic.do', { topic: 'ApiMade' });
    assert.equal(del.status, 0, del.errMsg ?? '');
    await waitFor(async () => !/^ApiMade$/m.test((await mq(c, ['topicList'])).stdout), 10_000, 'topic gone');
    const delGroup = await postJson(base, '/consumer/delete.do', {
      groupName: 'ApiGroup',
      clusterNameList: [c.clusterName],
    });
    assert.equal(delGroup.status, 0, delGroup.errMsg ?? '');
    assert.notEqual((await mq(c, ['getConsumerConfig', '-g', 'ApiGroup'])).code, 0);
  });

  it('refuses bad input with an error naming it, and writes nothing', async () => {
    const before = (await mq(c, ['topicList'])).stdout;
    const bad = [
      [{ topicName: 'bad topic!', clusterNameList: [c.clusterName] }, /illegal characters/],
      [{ topicName: 'NoTarget' }, /clusterName or brokerName/],
      [{ topicName: 'BadPerm', clusterNameList: [c.clusterName], perm: 5 }, /perm must be 2, 4 or 6/],
      [
        { topicName: 'BadQueues', clusterNameList: [c.clusterName], readQueueNums: 'x' },
        /'readQueueNums' must be an integer/,
      ],
      [{ topicName: 'NoCluster', clusterNameList: ['nope'] }, /no cluster named nope/],
    ] as const;
    for (const [body, re] of bad) {
      const r = await postJson(base, '/topic/createOrUpdate.do', body);
      assert.equal(r.status, -1, JSON.stringify(body));
      assert.equal(r.data, null);
      assert.match(r.errMsg ?? '', re);
    }
    assert.equal((await mq(c, ['topicList'])).stdout, before);
    const missing = await getEnv(base, '/topic/stats.query');
    assert.equal(missing.http, 400);
    assert.equal(missing.env.errMsg, "missing parameter 'topic'");
    const notJson = await fetch(`${base}/consumer/createOrUpdate.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.match(((await notJson.json()) as { errMsg: string }).errMsg, /not JSON/);
    const badGroup = await postJson(base, '/consumer/createOrUpdate.do', {
      clusterNameList: [c.clusterName],
      subscriptionGroupConfig: { groupName: 'G', retryMaxTimes: -1 },
    });
    assert.match(badGroup.errMsg ?? '', /'retryMaxTimes' must be a non-negative integer/);
    const noTime = await postJson(base, '/consumer/resetOffset.do', {
      consumerGroupList: ['G'],
      topic: 'ApiTopic',
    });
    assert.match(noTime.errMsg ?? '', /'resetTime' is required/);
    const wrongMethod = await fetch(`${base}/topic/createOrUpdate.do`);
    assert.equal(wrongMethod.status, 405);
  });
});

/**
 * `mq dev|quickstart … --console --console-port 0` in its own temp HOME; `use` gets the console's base URL,
 * then the process is stopped (its exit returned) and the dir removed.
 */
async function withEmbeddedConsole(
  args: string[],
  use: (base: string) => Promise<void>,
): Promise<{ code: number | null; output: string } | undefined> {
  const { startProc, tempDir, removeDir, logTail } = await import('../helpers/servers.js');
  const dir = tempDir('mq-embedded-console-');
  const { proc, match } = await startProc(
    args[0]!,
    [...args, '--store', `${dir}/store`, '--console', '--console-port', '0'],
    /mq console listening on (http:\/\/\S+) /,
    { env: { HOME: dir, MQ_LOG_DIR: `${dir}/logs`, MQ_PID_DIR: dir } },
  );
  try {
    await use(match[1]!);
    const exit = await stopProc(proc);
    return exit && { code: exit.code, output: proc.output() + logTail(`${dir}/logs`, 'broker.log', 15) };
  } finally {
    await stopProc(proc);
    removeDir(dir);
  }
}

const brokersOf = (base: string, what: string) =>
  waitFor(
    async () => {
      const d = await getData<{ brokers: Array<{ brokerName: string; addr: string; version: string }> }>(
        base,
        '/cluster/list.query',
      );
      return d.brokers.length > 0 && d.brokers;
    },
    15_000,
    what,
  );

describe('mq dev --console', () => {
  it('serves the console for the embedded pair', async () => {
    await withEmbeddedConsole(['dev', '--namesrv-port', '0', '--broker-port', '0'], async (base) => {
      const brokers = await brokersOf(base, 'the embedded broker in /cluster/list.query');
      assert.equal(brokers.length, 1);
    });
  });
});

describe('mq quickstart --console', () => {
  it('after its round trip keeps the pair up with the console, showing the messages it sent', async () => {
    const exit = await withEmbeddedConsole(
      ['quickstart', '--namesrv-port', '0', '--port', '0', '--count', '5'],
      async (base) => {
        const topics = await waitFor(
          async () => {
            const d = await getData<{ topicList: string[] }>(base, '/topic/list.query');
            return d.topicList.includes('QuickStartTopic') && d;
          },
          15_000,
          'QuickStartTopic in /topic/list.query',
        );
        assert.ok(topics.topicList.includes('QuickStartTopic'));
      },
    );
    assert.equal(exit?.code, 0, `SIGTERM stops it cleanly; its output:\n${exit?.output}`);
  });
});

describe('Ops: the VIP channel', () => {
  it('switched on, broker calls go to the broker port - 2 and still answer', async () => {
    const { freeBrokerPort } = await import('../helpers/servers.js');
    const brokerPort = await freeBrokerPort();
    await withEmbeddedConsole(
      ['dev', '--namesrv-port', '0', '--broker-port', String(brokerPort)],
      async (base) => {
        const post = (path: string, form: Record<string, string>) =>
          fetch(`${base}${path}`, { method: 'POST', body: new URLSearchParams(form) }).then(
            (r) => r.json() as Promise<{ status: number }>,
          );
        const home = () => getData<{ useVIPChannel: boolean }>(base, '/ops/homePage.query');
        assert.equal((await home()).useVIPChannel, false);
        assert.equal((await post('/ops/updateIsVIPChannel.do', { useVIPChannel: 'yes' })).status, -1);
        assert.equal((await post('/ops/updateIsVIPChannel.do', { useVIPChannel: 'true' })).status, 0);
        assert.equal((await home()).useVIPChannel, true);
        // The broker's runtime info, now read through its VIP channel.
        const brokers = await brokersOf(base, 'the broker in /cluster/list.query over the VIP channel');
        assert.equal(brokers[0]!.addr, `127.0.0.1:${brokerPort}`);
        assert.equal(brokers[0]!.version, 'V4_9_8');
      },
    );
  });
});

describe('mq console --login-file', () => {
  let c: Cluster;
  let con: ConsoleProc;
  const basic = (u: string, p: string) => ({
    authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`,
  });

  before(async () => {
    c = await startCluster();
    writeFileSync(join(c.dir, 'users.properties'), '# console users\nadmin=secret,1\nviewer=look\n');
    con = await startConsoleProc(c, ['--login-file', join(c.dir, 'users.properties')]);
  });

  after(async () => {
    await stopProc(con?.proc);
    await c?.stop();
  });

  it('asks for a login, lets users read and only admins write', async () => {
    assert.equal((await fetch(`${con.url}/`)).status, 401);
    assert.equal((await fetch(`${con.url}/topic/list.query`)).status, 401);
    assert.equal(
      (await fetch(`${con.url}/topic/list.query`, { headers: basic('viewer', 'wrong') })).status,
      401,
    );
    const read = await fetch(`${con.url}/topic/list.query`, { headers: basic('viewer', 'look') });
    assert.equal(read.status, 200);
    assert.equal(((await read.json()) as { status: number }).status, 0);
    assert.equal((await fetch(`${con.url}/`, { headers: basic('viewer', 'look') })).status, 200);
    const body = JSON.stringify({ topicName: 'LoginTopic', clusterNameList: [c.clusterName] });
    const headers = { 'content-type': 'application/json' };
    const denied = await fetch(`${con.url}/topic/createOrUpdate.do`, {
      method: 'POST',
      headers: { ...headers, ...basic('viewer', 'look') },
      body,
    });
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { errMsg: string }).errMsg, 'user viewer is read-only');
    assert.doesNotMatch((await mq(c, ['topicList'])).stdout, /^LoginTopic$/m);
    const allowed = await fetch(`${con.url}/topic/createOrUpdate.do`, {
      method: 'POST',
      headers: { ...headers, ...basic('admin', 'secret') },
      body,
    });
    assert.equal(((await allowed.json()) as { status: number }).status, 0);
    assert.match((await mq(c, ['topicList'])).stdout, /^LoginTopic$/m);
  });

  it('refuses to start on a malformed login file, naming the file and line', async () => {
    const file = join(c.dir, 'bad-users.properties');
    writeFileSync(file, 'admin=secret,1\njust-a-name\n');
    const r = await mq(c, ['console', '--port', '0', '--login-file', file]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`login file ${file}:2: expected user=password`));
  });
});
