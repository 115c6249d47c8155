// Every console page in headless Chromium against a real name server + broker: no console errors, the
// real numbers on the page, and topics and groups created in the page seen by mqadmin.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { type Cluster, mq, mqJson, startCluster, waitFor } from '../admin/servers.js';
import { removeDir, runCli, startProc, stopProc, tempDir } from '../helpers/servers.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { type ConsoleProc, startConsoleProc } from './console-proc.js';

// Set MQ_CONSOLE_SCREENSHOTS=<dir> to keep a screenshot of each page (the README's docs/ images).
const SHOTS = process.env.MQ_CONSOLE_SCREENSHOTS;
const SENT = 40;

const skip = chromiumMissing();

describe('mq console pages in Chromium', { skip }, () => {
  let c: Cluster;
  let con: ConsoleProc;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  const errors: string[] = [];

  const open = async (hash: string) => {
    await page.goto(`${con.url}/#/${hash}`);
    await page.waitForSelector(`main[data-page="${hash.split('?')[0]}"]`);
  };
  const shot = async (name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });
  };

  before(async () => {
    dir = tempDir('mq-console-browser-');
    c = await startCluster();
    await mq(c, ['updateTopic', '-t', 'PageTopic', '-c', c.clusterName, '-r', '2', '-w', '2']);
    const lines = Array.from({ length: SENT }, (_, i) => `page message ${i}`).join('\n');
    // SENT messages through stdin, one per line.
    const piped = await runCli(
      ['producer', 'send', '-n', c.namesrvAddr, '-t', 'PageTopic', '--keys', 'pageKey'],
      {
        env: { ...process.env, ...c.env },
        stdin: `${lines}\n`,
      },
    );
    assert.equal(piped.code, 0, piped.stderr);
    // A group that consumed half of them: a lag of SENT/2 + 1 on the consumer page.
    const tail = await mq(c, [
      'consumer',
      'tail',
      '-t',
      'PageTopic',
      '-g',
      'PageGroup',
      '--from',
      'first',
      '--count',
      String(SENT / 2),
    ]);
    assert.equal(tail.code, 0, tail.stderr);
    con = await startConsoleProc(c);
    browser = await launchChromium(dir);
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await stopProc(con?.proc);
    await c?.stop();
    if (dir) removeDir(dir);
  });

  it('dashboard: the broker with its TPS, and the TPS chart', async () => {
    await open('dashboard');
    await page.waitForSelector('#broker-table td.broker-name');
    assert.equal(await page.textContent('#broker-count'), '1');
    assert.equal((await page.textContent('#broker-table td.broker-name'))?.trim(), c.brokerName);
    assert.ok((await page.content()).includes(c.brokerAddr));
    // Traffic while the page is open: the live put TPS (polled each second) leaves zero.
    const more = Array.from({ length: 200 }, (_, i) => `tps ${i}`).join('\n');
    await runCli(['producer', 'send', '-n', c.namesrvAddr, '-t', 'PageTopic'], {
      env: { ...process.env, ...c.env },
      stdin: `${more}\n`,
    });
    await page.waitForFunction("Number(document.querySelector('#total-put')?.textContent) > 0", undefined, {
      timeout: 20_000,
    });
    const shown = Number(await page.textContent('#broker-table td.put-tps'));
    assert.ok(shown > 0, `put TPS ${shown}`);
    await page.waitForSelector('#broker-chart .uplot');
    await shot('dashboard');
  });

  it('cluster: brokers, every runtime key and the config', async () => {
    await open('cluster');
    await page.waitForSelector('#cluster-table tbody tr');
    assert.ok((await page.textContent('#cluster-table'))?.includes(c.brokerAddr));
    await page.click('#cluster-table .status-btn');
    await page.waitForSelector('#runtime-info');
    const runtime = (await page.textContent('#runtime-info')) ?? '';
    const status = await mqJson<{ brokers: Array<{ stats: Record<string, string> }> }>(c, [
      'brokerStatus',
      '-b',
      c.brokerAddr,
    ]);
    for (const k of Object.keys(status.brokers[0]!.stats)) assert.ok(runtime.includes(k), `runtime key ${k}`);
    await shot('cluster');
    await page.click('#cluster-table .config-btn');
    await page.waitForSelector('#broker-config');
    assert.ok((await page.textContent('#broker-config'))?.includes(c.clusterName));
  });

  it('topic: filters, status with the real offsets, and a topic created in the page', async () => {
    await open('topic');
    await page.waitForSelector('#topic-table td.topic-name');
    const names = await page.$$eval('#topic-table td.topic-name', (tds) => tds.map((t) => t.textContent));
    assert.ok(names.includes('PageTopic'));
    assert.ok(!names.includes('TBW102'), 'normal filter hides system topics');
    await page.click('#topic-filters button[data-kind="system"]');
    assert.ok((await page.textContent('#topic-table'))?.includes('%SYS%TBW102'));
    await page.click('#topic-filters button[data-kind="normal"]');
    await page.fill('#topic-search', 'PageTop');
    const row = page.locator('#topic-table tr', { hasText: 'PageTopic' });
    await row.getByRole('button', { name: 'Status' }).click();
    await page.waitForSelector('#topic-status td.max-offset');
    const maxima = await page.$$eval('#topic-status td.max-offset', (tds) =>
      tds.map((t) => Number(t.textContent)),
    );
    const cli = await mqJson<{ queues: Array<{ maxOffset: number }> }>(c, ['topicStatus', '-t', 'PageTopic']);
    assert.deepEqual(
      maxima,
      cli.queues.map((q) => q.maxOffset),
    );
    await shot('topic');

    await page.fill('#new-topic-name', 'BrowserMadeTopic');
    await page.selectOption('#new-topic-cluster', c.clusterName);
    await page.fill('#new-topic-read', '3');
    await page.fill('#new-topic-write', '3');
    await page.fill('#topic-search', '');
    await page.click('#new-topic-submit');
    await page.waitForSelector('#topic-table td.topic-name:text-is("BrowserMadeTopic")');
    assert.match((await mq(c, ['topicList'])).stdout, /^BrowserMadeTopic$/m);
    const route = await mqJson<{ queueDatas: Array<{ writeQueueNums: number }> }>(c, [
      'topicRoute',
      '-t',
      'BrowserMadeTopic',
    ]);
    assert.equal(route.queueDatas[0]!.writeQueueNums, 3);
  });

  it('consumer: the group with its real lag, and a group created in the page', async () => {
    await open('consumer');
    await page.waitForSelector('#group-table td.group-name');
    const row = page.locator('#group-table tr', { hasText: 'PageGroup' });
    const progress = await mqJson<{ diffTotal: number }>(c, ['consumerProgress', '-g', 'PageGroup']);
    assert.ok(progress.diffTotal > 0);
    assert.equal(Number(await row.locator('td.group-lag').textContent()), progress.diffTotal);
    await row.getByRole('button', { name: 'Detail' }).click();
    await page.waitForSelector('#group-progress');
    assert.ok((await page.textContent('#group-progress h3'))?.includes(`lag ${progress.diffTotal}`));
    await shot('consumer');

    await page.fill('#new-group-name', 'BrowserMadeGroup');
    await page.selectOption('#new-group-cluster', c.clusterName);
    await page.fill('#new-group-retry', '5');
    await page.click('#new-group-submit');
    await page.waitForSelector('#group-table td.group-name:text-is("BrowserMadeGroup")');
    const cfg = await mqJson<{ brokers: Array<{ config: { retryMaxTimes: number } }> }>(c, [
      'getConsumerConfig',
      '-g',
      'BrowserMadeGroup',
    ]);
    assert.equal(cfg.brokers[0]!.config.retryMaxTimes, 5);
    await waitFor(
      async () => (await mq(c, ['consumerProgress'])).stdout.includes('BrowserMadeGroup'),
      10_000,
      'group in consumerProgress',
    );
  });

  it('topic: a group reset to the end of the topic from the page', async () => {
    await open('topic');
    await page.waitForSelector('#topic-table td.topic-name');
    await page
      .locator('#topic-table tr', { hasText: 'PageTopic' })
      .getByRole('button', { name: 'Consumers' })
      .click();
    const row = page.locator('#topic-consumer-table tr', { hasText: 'PageGroup' });
    await row.waitFor();
    assert.ok(Number(await row.locator('td.consumer-lag').textContent()) > 0);
    await row.locator('.skip-btn').click();
    await waitFor(
      async () =>
        (await mqJson<{ diffTotal: number }>(c, ['consumerProgress', '-g', 'PageGroup'])).diffTotal === 0,
      10_000,
      'PageGroup lag 0 after Skip all',
    );
    await page.waitForFunction(
      "document.querySelector('#topic-consumer-table td.consumer-lag')?.textContent === '0'",
      undefined,
      { timeout: 10_000 },
    );
  });

  it('consumer: an online client with its connection and running info', async () => {
    const { proc } = await startProc(
      'tail',
      ['consumer', 'tail', '-n', c.namesrvAddr, '-t', 'PageTopic', '-g', 'LiveGroup', '--from', 'first'],
      /page message/,
      { env: c.env },
    );
    try {
      await open('consumer');
      const row = page.locator('#group-table tr', { hasText: 'LiveGroup' });
      // The group list is shared between tabs for 3 s: Refresh until the new group is in it.
      await waitFor(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return (await row.count()) > 0 && Number(await row.locator('td').nth(1).textContent()) === 1;
        },
        20_000,
        'LiveGroup online on the consumer page',
      );
      await row.getByRole('button', { name: 'Clients' }).click();
      await page.waitForSelector('#group-connections td');
      const conn = await mqJson<{ connections: Array<{ clientId: string }> }>(c, [
        'consumerConnection',
        '-g',
        'LiveGroup',
      ]);
      assert.equal(conn.connections.length, 1);
      assert.ok((await page.textContent('#group-connections'))?.includes(conn.connections[0]!.clientId));
      await page.getByRole('button', { name: 'Running info' }).click();
      await page.waitForSelector('#running-info table');
      assert.match((await page.textContent('#running-info')) ?? '', /PROP_CONSUME_TYPE|consumeType|PROP_/);
    } finally {
      await stopProc(proc);
    }
  });

  it('message: by key, then the detail with body and tracks', async () => {
    await open('message');
    await page.fill('#k-topic', 'PageTopic');
    await page.fill('#k-key', 'pageKey');
    await page.click('#by-key button[type="submit"]');
    await page.waitForSelector('#message-table td.msg-id');
    const ids = await page.$$eval('#message-table td.msg-id', (tds) => tds.length);
    const cli = await mqJson<{ messages: unknown[] }>(c, [
      'queryMsgByKey',
      '-t',
      'PageTopic',
      '-k',
      'pageKey',
    ]);
    assert.equal(ids, cli.messages.length);
    assert.ok(ids >= SENT);
    await page
      .locator('#message-table tr', { hasText: 'pageKey' })
      .first()
      .getByRole('button', { name: 'Detail' })
      .click();
    await page.waitForSelector('#message-body');
    assert.match((await page.textContent('#message-body')) ?? '', /^page message \d+$/);
    await shot('message');
  });

  it('DLQ: dead letters of a group, resent and delivered to the group', async () => {
    await mq(c, ['updateTopic', '-t', '%DLQ%DlqGroup', '-c', c.clusterName, '-r', '1', '-w', '1']);
    await mq(c, ['updateTopic', '-t', 'DlqTopic', '-c', c.clusterName]);
    const dead = await mq(c, [
      'producer',
      'send',
      '-t',
      '%DLQ%DlqGroup',
      '--body',
      'dead letter body',
      '--keys',
      'dk',
    ]);
    assert.equal(dead.code, 0, dead.stderr);
    await open('dlq');
    await page.fill('#dlq-group', 'DlqGroup');
    await page.click('#dlq-form button[type="submit"]');
    await page.waitForSelector('#dlq-table td.msg-id');
    assert.ok((await page.textContent('#dlq-table'))?.includes('dead letter body'));
    await page.click('#dlq-resend-all');
    await page.waitForSelector('#dlq-resent td.resend-status');
    assert.equal(await page.textContent('#dlq-resent td.resend-status'), 'SEND_OK');
    await shot('dlq');
    const got = await mq(c, [
      'consumer',
      'tail',
      '-t',
      'DlqTopic',
      '-g',
      'DlqGroup',
      '--from',
      'first',
      '--count',
      '1',
    ]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /dead letter body/);
  });

  it('trace: the Pub and Sub records of a traced message', async () => {
    await mq(c, ['updateTopic', '-t', 'TracedTopic', '-c', c.clusterName, '-r', '1', '-w', '1']);
    const sent = await mq(c, ['producer', 'send', '-t', 'TracedTopic', '--body', 'traced', '--trace']);
    assert.equal(sent.code, 0, sent.stderr);
    const msgId = /msgId=(\w+)/.exec(sent.stdout)?.[1];
    assert.ok(msgId, sent.stdout);
    const cli = await waitFor(
      async () => {
        const r = await mqJson<{ traces: unknown[] }>(c, ['queryMsgTraceById', '-i', msgId]);
        return r.traces.length > 0 && r;
      },
      15_000,
      'trace records',
    );
    await open(`trace?msgId=${msgId}`);
    await page.waitForSelector('#trace-table td.trace-type');
    const types = await page.$$eval('#trace-table td.trace-type', (tds) => tds.map((t) => t.textContent));
    assert.equal(types.length, cli.traces.length);
    assert.ok(types.includes('Pub'));
  });

  it('ops and producer pages load', async () => {
    await open('ops');
    await page.waitForSelector('#current-namesrv');
    assert.equal(await page.textContent('#current-namesrv'), c.namesrvAddr);
    await open('producer');
    await page.waitForSelector('#p-topic');
  });

  it('logged no console errors on any page', () => {
    assert.deepEqual(errors, []);
  });
});
