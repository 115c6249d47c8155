// DLQ export (/dlqMessage/exportDlqMessage.do, batchExportDlqMessage.do) against a real name server + broker:
// the dead letters as a JSON download with the bodies and properties the broker stored; then the page's
// "Export all" in Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Cluster, mq, mqJson, startCluster } from '../admin/servers.js';
import { removeDir, stopProc, tempDir } from '../helpers/servers.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { type ConsoleProc, postJson, startConsoleProc } from './console-proc.js';

interface Exported {
  consumerGroup: string;
  msgId: string;
  topic: string;
  body: string;
  keys: string;
  properties: Record<string, string>;
}

describe('mq console: DLQ export', () => {
  let c: Cluster;
  let con: ConsoleProc;
  let ids: string[];
  let otherId: string;

  before(async () => {
    c = await startCluster();
    con = await startConsoleProc(c);
    await mq(c, ['updateTopic', '-t', '%DLQ%ExpGroup', '-c', c.clusterName, '-r', '1', '-w', '1']);
    for (let i = 0; i < 3; i++) {
      const r = await mq(c, [
        'producer',
        'send',
        '-t',
        '%DLQ%ExpGroup',
        '--body',
        `dead ${i}`,
        '--keys',
        `ek${i}`,
      ]);
      assert.equal(r.code, 0, r.stderr);
    }
    const q = await postJson<{ queues: Array<{ messages: Array<{ offsetMsgId: string }> }> }>(
      con.url,
      '/dlqMessage/queryDlqMessageByConsumerGroup.query',
      { consumerGroup: 'ExpGroup', begin: 0, end: Date.now() + 60_000 },
    );
    assert.equal(q.status, 0, q.errMsg ?? '');
    ids = q.data.queues.flatMap((x) => x.messages.map((m) => m.offsetMsgId));
    assert.equal(ids.length, 3);
    const other = await mq(c, ['producer', 'send', '-t', 'NotDead', '--body', 'alive', '--keys', 'ak']);
    assert.equal(other.code, 0, other.stderr);
    otherId = (
      await mqJson<{ messages: Array<{ offsetMsgId: string }> }>(c, [
        'queryMsgByKey',
        '-t',
        'NotDead',
        '-k',
        'ak',
      ])
    ).messages[0]!.offsetMsgId;
  });

  after(async () => {
    await stopProc(con?.proc);
    await c?.stop();
  });

  it('exports the chosen dead letters as a JSON download, as queryMsgById has them', async () => {
    const res = await fetch(`${con.url}/dlqMessage/batchExportDlqMessage.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ids.map((msgId) => ({ msgId, consumerGroup: 'ExpGroup' }))),
    });
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /^attachment; filename="dlq_ExpGroup_\d{8}T\d{6}\.json"$/,
    );
    const rows = (await res.json()) as Exported[];
    assert.deepEqual(rows.map((r) => r.body).sort(), ['dead 0', 'dead 1', 'dead 2']);
    assert.ok(rows.every((r) => r.consumerGroup === 'ExpGroup' && r.topic === '%DLQ%ExpGroup'));
    const cli = await mqJson<{ messages: Array<Record<string, unknown>> }>(c, [
      'queryMsgById',
      '-i',
      ids[0]!,
    ]);
    const { consumerGroup: _g, ...first } = rows[0] as unknown as Record<string, unknown>;
    assert.deepEqual(first, cli.messages[0]);

    const one = await fetch(
      `${con.url}/dlqMessage/exportDlqMessage.do?consumerGroup=ExpGroup&msgId=${encodeURIComponent(ids[1]!)}`,
    );
    assert.match(one.headers.get('content-disposition') ?? '', /attachment/);
    const oneRows = (await one.json()) as Exported[];
    assert.equal(oneRows.length, 1);
    assert.equal(oneRows[0]!.msgId, rows[1]!.msgId);
  });

  it('refuses a message that is not a dead letter of the group, and bad bodies', async () => {
    const r = await postJson(con.url, '/dlqMessage/batchExportDlqMessage.do', [
      { msgId: ids[0], consumerGroup: 'ExpGroup' },
      { msgId: otherId, consumerGroup: 'ExpGroup' },
    ]);
    assert.equal(r.status, -1);
    assert.match(
      r.errMsg ?? '',
      new RegExp(`${otherId} is not a dead letter of ExpGroup \\(it is in NotDead\\)`),
    );
    const empty = await postJson(con.url, '/dlqMessage/batchExportDlqMessage.do', []);
    assert.match(empty.errMsg ?? '', /expected a JSON list of \{msgId, consumerGroup\}/);
    const noGroup = await fetch(`${con.url}/dlqMessage/exportDlqMessage.do?msgId=${ids[0]}`);
    assert.equal(noGroup.status, 400);
    assert.equal(((await noGroup.json()) as { errMsg: string }).errMsg, "missing parameter 'consumerGroup'");
  });

  it('the DLQ page exports all shown dead letters', { skip: chromiumMissing() }, async () => {
    const dir = tempDir('mq-console-dlq-export-');
    const browser = await launchChromium(dir);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${con.url}/#/dlq`);
      await page.fill('#dlq-group', 'ExpGroup');
      await page.click('#dlq-form button[type="submit"]');
      await page.waitForSelector('#dlq-export-all');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dlq-export-all')]);
      assert.match(download.suggestedFilename(), /^dlq_ExpGroup_\d{8}T\d{6}\.json$/);
      const file = join(dir, 'export.json');
      await download.saveAs(file);
      const rows = JSON.parse(readFileSync(file, 'utf8')) as Exported[];
      assert.deepEqual(rows.map((r) => r.body).sort(), ['dead 0', 'dead 1', 'dead 2']);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      removeDir(dir);
    }
  });
});
