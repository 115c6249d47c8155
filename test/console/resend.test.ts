// Resending a message to a consumer group (/message/consumeMessageDirectly.do) against a real name server +
// broker: with no client online it reaches the group through its retry topic; with a client online the
// console asks that client first (CONSUME_MESSAGE_DIRECTLY) and the group still gets it; then the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Cluster, mq, mqJson, startCluster } from '../admin/servers.js';
import { removeDir, startProc, stopProc, tempDir } from '../helpers/servers.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { type ConsoleProc, getEnv, postForm, startConsoleProc } from './console-proc.js';

interface Resent {
  via: string;
  status?: string;
  consumeResult?: string;
  resentMsgId?: string;
  consumerGroup: string;
}

describe('mq console: resend a message to a consumer group', () => {
  let c: Cluster;
  let con: ConsoleProc;
  let msgId: string;

  const sendOne = async (topic: string, body: string, key: string): Promise<string> => {
    const r = await mq(c, ['producer', 'send', '-t', topic, '--keys', key, '--body', body], {}, 30_000);
    assert.equal(r.code, 0, r.stderr);
    const found = await mqJson<{ messages: Array<{ msgId: string }> }>(c, [
      'queryMsgByKey',
      '-t',
      topic,
      '-k',
      key,
    ]);
    return found.messages[0]!.msgId;
  };

  before(async () => {
    c = await startCluster();
    con = await startConsoleProc(c);
    await mq(c, ['updateTopic', '-t', 'ResendTopic', '-c', c.clusterName, '-r', '1', '-w', '1']);
    await mq(c, ['updateTopic', '-t', 'ResendOther', '-c', c.clusterName, '-r', '1', '-w', '1']);
    await mq(c, ['updateTopic', '-t', 'ResendLive', '-c', c.clusterName, '-r', '1', '-w', '1']);
    msgId = await sendOne('ResendTopic', 'resend me', 'rk1');
    await sendOne('ResendLive', 'warm up', 'wk');
  });

  after(async () => {
    await stopProc(con?.proc);
    await c?.stop();
  });

  it('with no client online, sends it to the group retry topic and the group consumes it', async () => {
    const r = await postForm<Resent>(con.url, '/message/consumeMessageDirectly.do', {
      topic: 'ResendTopic',
      msgId,
      consumerGroup: 'OfflineGroup',
    });
    assert.equal(r.status, 0, r.errMsg ?? '');
    assert.equal(r.data.via, 'RETRY_TOPIC');
    assert.equal(r.data.status, 'SEND_OK');
    // A client of the group (subscribed to another topic) gets it through %RETRY%OfflineGroup.
    const got = await mq(c, [
      'consumer',
      'tail',
      '-t',
      'ResendOther',
      '-g',
      'OfflineGroup',
      '--from',
      'first',
      '--count',
      '1',
    ]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /resend me/);
  });

  it('with a client online, asks it first and the group still gets the message', async () => {
    // The client is up once it printed the topic's first message.
    const { proc } = await startProc(
      'tail',
      ['consumer', 'tail', '-n', c.namesrvAddr, '-t', 'ResendLive', '-g', 'LiveResend', '--from', 'first'],
      /warm up/,
      { env: c.env, timeoutMs: 30_000 },
    );
    try {
      const conn = await (async () => {
        for (let i = 0; i < 100; i++) {
          const r = await mq(c, ['consumerConnection', '-g', 'LiveResend', '--json']);
          if (r.code === 0) return JSON.parse(r.stdout) as { connections: Array<{ clientId: string }> };
          await new Promise((res) => setTimeout(res, 200));
        }
        throw new Error('LiveResend never came online');
      })();
      const clientId = conn.connections[0]!.clientId;
      // Named: that client must consume it; mq's client does not implement CONSUME_MESSAGE_DIRECTLY.
      const named = await postForm<Resent>(con.url, '/message/consumeMessageDirectly.do', {
        topic: 'ResendTopic',
        msgId,
        consumerGroup: 'LiveResend',
        clientId,
      });
      assert.equal(named.status, -1);
      assert.match(named.errMsg ?? '', new RegExp(`CONSUME_MESSAGE_DIRECTLY on ${clientId}.*not supported`));
      const r = await postForm<Resent>(con.url, '/message/consumeMessageDirectly.do', {
        topic: 'ResendTopic',
        msgId,
        consumerGroup: 'LiveResend',
      });
      assert.equal(r.status, 0, r.errMsg ?? '');
      assert.equal(r.data.via, 'RETRY_TOPIC');
      for (let i = 0; i < 100 && !proc.output().includes('resend me'); i++)
        await new Promise((res) => setTimeout(res, 200));
      assert.match(proc.output(), /resend me/);
    } finally {
      await stopProc(proc);
    }
  });

  it('refuses bad input with an error naming it', async () => {
    const noGroup = await postForm(con.url, '/message/consumeMessageDirectly.do', {
      topic: 'ResendTopic',
      msgId,
    });
    assert.equal(noGroup.status, -1);
    assert.equal(noGroup.errMsg, "missing parameter 'consumerGroup'");
    const unknown = await postForm(con.url, '/message/consumeMessageDirectly.do', {
      topic: 'ResendTopic',
      msgId: 'AC11000100002A9F0000000000000000',
      consumerGroup: 'OfflineGroup',
    });
    assert.equal(unknown.status, -1);
    assert.match(unknown.errMsg ?? '', /AC11000100002A9F0000000000000000 in topic ResendTopic/);
    const notOnline = await postForm(con.url, '/message/consumeMessageDirectly.do', {
      topic: 'ResendTopic',
      msgId,
      consumerGroup: 'OfflineGroup',
      clientId: '127.0.0.1@nobody',
    });
    assert.match(notOnline.errMsg ?? '', /client 127\.0\.0\.1@nobody of group OfflineGroup is not online/);
    const get = await getEnv(con.url, '/message/consumeMessageDirectly.do');
    assert.equal(get.http, 405);
  });

  it('the message detail resends to a group from the page', { skip: chromiumMissing() }, async () => {
    const dir = tempDir('mq-console-resend-');
    const browser = await launchChromium(dir);
    const errors: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${con.url}/#/message`);
      await page.fill('#k-topic', 'ResendTopic');
      await page.fill('#k-key', 'rk1');
      await page.click('#by-key button[type="submit"]');
      await page.getByRole('button', { name: 'Detail' }).first().click();
      await page.fill('#resend-group', 'PageResendGroup');
      await page.click('#resend-form button[type="submit"]');
      await page.waitForSelector('#resend-result:has-text("SEND_OK")');
      const got = await mq(c, [
        'consumer',
        'tail',
        '-t',
        'ResendOther',
        '-g',
        'PageResendGroup',
        '--from',
        'first',
        '--count',
        '1',
      ]);
      assert.match(got.stdout, /resend me/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      removeDir(dir);
    }
  });
});
