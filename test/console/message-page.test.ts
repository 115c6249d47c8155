// Paged message query by topic and time range (/message/queryMessagePageByTopic.query) against a real name
// server + broker: a queue with more than 2,000 messages in the range (where queryMessageByTopic.query stops)
// walked page by page under one taskId, every message once; then the Message page's Next button.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Cluster, mq, startCluster } from '../admin/servers.js';
import { removeDir, runCli, stopProc, tempDir } from '../helpers/servers.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { type ConsoleProc, getData, postJson, startConsoleProc } from './console-proc.js';

const SENT = 2500;

interface Page {
  page: {
    content: Array<{ body: string; queueOffset: number }>;
    number: number;
    size: number;
    totalElements: number;
    totalPages: number;
    first: boolean;
    last: boolean;
  };
  taskId: string;
}

describe('mq console: message query by topic, paged', () => {
  let c: Cluster;
  let con: ConsoleProc;
  let end: number;

  before(async () => {
    c = await startCluster();
    con = await startConsoleProc(c);
    await mq(c, ['updateTopic', '-t', 'PagedTopic', '-c', c.clusterName, '-r', '1', '-w', '1']);
    const lines = Array.from({ length: SENT }, (_, i) => `paged ${i}`).join('\n');
    const sent = await runCli(['producer', 'send', '-n', c.namesrvAddr, '-t', 'PagedTopic'], {
      env: { ...process.env, ...c.env },
      stdin: `${lines}\n`,
      timeoutMs: 120_000,
    });
    assert.equal(sent.code, 0, sent.stderr);
    end = Date.now() + 60_000;
  });

  after(async () => {
    await stopProc(con?.proc);
    await c?.stop();
  });

  it('walks a range of more than 2,000 messages in one queue, each message once', async () => {
    const unpaged = await getData<{ queues: Array<{ messages: unknown[] }> }>(
      con.url,
      `/message/queryMessageByTopic.query?topic=PagedTopic&begin=0&end=${end}`,
    );
    const shown = unpaged.queues[0]!.messages.length;
    assert.ok(shown >= 2000 && shown < SENT, `the unpaged query stops near 2,000 per queue (${shown})`);

    const first = await postJson<Page>(con.url, '/message/queryMessagePageByTopic.query', {
      topic: 'PagedTopic',
      begin: 0,
      end,
      pageNum: 1,
      pageSize: 1000,
    });
    assert.equal(first.status, 0, first.errMsg ?? '');
    const p1 = first.data;
    assert.equal(p1.page.totalElements, SENT);
    assert.equal(p1.page.totalPages, 3);
    assert.equal(p1.page.number, 0);
    assert.ok(p1.page.first && !p1.page.last);
    assert.ok(p1.taskId);
    const bodies = p1.page.content.map((m) => m.body);
    for (const pageNum of [2, 3]) {
      // Later pages name only the task (topic and range come from it).
      const r = await postJson<Page>(con.url, '/message/queryMessagePageByTopic.query', {
        pageNum,
        pageSize: 1000,
        taskId: p1.taskId,
      });
      assert.equal(r.status, 0, r.errMsg ?? '');
      assert.equal(r.data.page.number, pageNum - 1);
      assert.equal(r.data.taskId, p1.taskId);
      bodies.push(...r.data.page.content.map((m) => m.body));
      if (pageNum === 3) assert.ok(r.data.page.last);
    }
    assert.equal(bodies.length, SENT);
    assert.deepEqual([...bodies].sort(), Array.from({ length: SENT }, (_, i) => `paged ${i}`).sort());
  });

  it('a range before the first message is empty; bad paging is refused', async () => {
    const empty = await postJson<Page>(con.url, '/message/queryMessagePageByTopic.query', {
      topic: 'PagedTopic',
      begin: 0,
      end: 1,
      pageNum: 1,
      pageSize: 10,
    });
    assert.equal(empty.status, 0, empty.errMsg ?? '');
    assert.equal(empty.data.page.totalElements, 0);
    assert.deepEqual(empty.data.page.content, []);
    const bad = [
      [{ topic: 'PagedTopic', pageNum: 0, pageSize: 10 }, /'pageNum' starts at 1, got 0/],
      [{ topic: 'PagedTopic', pageNum: 1, pageSize: 0 }, /'pageSize' must be 1\.\.1000, got 0/],
      [{ topic: 'PagedTopic', begin: 10, end: 5 }, /end \(5\) is before begin \(10\)/],
      [{ pageNum: 2, taskId: 'no-such-task' }, /query task no-such-task has expired or is unknown/],
      [{ pageNum: 1 }, /'topic' must be a non-empty string/],
    ] as const;
    for (const [body, re] of bad) {
      const r = await postJson(con.url, '/message/queryMessagePageByTopic.query', body);
      assert.equal(r.status, -1, JSON.stringify(body));
      assert.match(r.errMsg ?? '', re);
    }
  });

  it('the Message page pages through the range', { skip: chromiumMissing() }, async () => {
    const dir = tempDir('mq-console-paged-');
    const browser = await launchChromium(dir);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${con.url}/#/message`);
      await page.fill('#q-topic', 'PagedTopic');
      await page.fill('#q-begin', '2000-01-01T00:00');
      await page.click('#by-topic button[type="submit"]');
      await page.waitForSelector('#page-info:has-text("page 1 of 25 (2500 messages)")');
      const firstPage = await page.$$eval('#message-table td.msg-id', (tds) => tds.map((t) => t.textContent));
      assert.equal(firstPage.length, 100);
      await page.click('#page-next');
      await page.waitForSelector('#page-info:has-text("page 2 of 25")');
      const second = await page.$$eval('#message-table td.msg-id', (tds) => tds.map((t) => t.textContent));
      assert.equal(second.length, 100);
      assert.equal(
        second.filter((id) => firstPage.includes(id)).length,
        0,
        'page 2 shows other messages than page 1',
      );
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      removeDir(dir);
    }
  });
});
