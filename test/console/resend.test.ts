// Resending a message to a consumer group (/message/consumeMessageDirectly.do) against a real name server +
// broker: with no client online it reaches the group through its retry topic; with a client online the
// console asks that client first (CONSUME_MESSAGE_DIRECTLY) and the group still gets it; then the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeHeartbeatData } from '../../src/engine/protocol/bodies/heartbeat-data.js';
import {
  createRequest,
  createResponse,
  type RemotingCommand,
} from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';
import { RemotingClient } from '../../src/engine/remoting/index.js';
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

  it('a client that implements CONSUME_MESSAGE_DIRECTLY consumes it and its result comes back', async () => {
    // A client speaking the wire protocol as Java's DefaultMQPushConsumer does for this code: it heartbeats
    // into the group through the real broker and answers the broker-relayed request with its result.
    const client = new RemotingClient({ idleMs: 0 });
    const asked: RemotingCommand[] = [];
    client.registerProcessor(RequestCode.CONSUME_MESSAGE_DIRECTLY, (req) => {
      asked.push(req);
      const result = {
        order: false,
        autoCommit: true,
        consumeResult: 'CR_SUCCESS',
        remark: 'done',
        spentTimeMills: 7,
      };
      return createResponse(req, 0, undefined, undefined, Buffer.from(JSON.stringify(result)));
    });
    const clientId = '127.0.0.1@direct-test';
    try {
      const hb = await client.invoke(
        c.brokerAddr,
        createRequest(
          RequestCode.HEART_BEAT,
          undefined,
          encodeHeartbeatData({
            clientID: clientId,
            producerDataSet: [],
            consumerDataSet: [
              {
                groupName: 'DirectGroup',
                consumeType: 'CONSUME_PASSIVELY',
                messageModel: 'CLUSTERING',
                consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
                subscriptionDataSet: [
                  {
                    topic: 'ResendTopic',
                    subString: '*',
                    classFilterMode: false,
                    tagsSet: [],
                    codeSet: [],
                    subVersion: Date.now(),
                    expressionType: 'TAG',
                  },
                ],
                unitMode: false,
              },
            ],
          }),
        ),
        5000,
      );
      assert.equal(hb.code, 0, hb.remark ?? '');
      const r = await postForm<Resent & { clientId: string; remark: string; spentTimeMills: number }>(
        con.url,
        '/message/consumeMessageDirectly.do',
        { topic: 'ResendTopic', msgId, consumerGroup: 'DirectGroup' },
      );
      assert.equal(r.status, 0, r.errMsg ?? '');
      assert.deepEqual(
        {
          via: r.data.via,
          consumeResult: r.data.consumeResult,
          clientId: r.data.clientId,
          remark: r.data.remark,
        },
        { via: 'CONSUME_MESSAGE_DIRECTLY', consumeResult: 'CR_SUCCESS', clientId, remark: 'done' },
      );
      assert.equal(r.data.spentTimeMills, 7);
      assert.equal(asked.length, 1);
      const offsetId = (
        await mqJson<{ messages: Array<{ offsetMsgId: string }> }>(c, [
          'queryMsgByKey',
          '-t',
          'ResendTopic',
          '-k',
          'rk1',
        ])
      ).messages[0]!.offsetMsgId;
      assert.equal(asked[0]!.extFields?.msgId, offsetId);
      assert.equal(asked[0]!.extFields?.consumerGroup, 'DirectGroup');
      assert.equal(asked[0]!.extFields?.clientId, clientId);
    } finally {
      await client.close();
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
