import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  AclError,
  compileAddressPattern,
  expandIPv6,
  Perm,
  PlainAccessValidator,
  parseAccessRequest,
  parsePlainAcl,
  readPlainAclFile,
} from '../../src/engine/acl/index.js';
import { signRequest } from '../../src/engine/protocol/acl-signature.js';
import {
  decodeBrokerClusterAclConfig,
  encodeBrokerClusterAclConfig,
} from '../../src/engine/protocol/bodies/acl-config.js';
import { encodeHeartbeatData } from '../../src/engine/protocol/bodies/heartbeat-data.js';
import { createRequest, type RemotingCommand } from '../../src/engine/protocol/remoting-command.js';
import { RequestCode } from '../../src/engine/protocol/request-code.js';

const require = createRequire(import.meta.url);

test('signature: HMAC-SHA1/base64 over values sorted by key, then the body (independent computation)', () => {
  const req = createRequest(
    RequestCode.SEND_MESSAGE_V2,
    { b: 'TopicA', a: 'PG', d: 4, z: 'last', A: 'upper' },
    Buffer.from('body'),
  );
  signRequest(req, 'AK_TEST1', 'SECRET_1');
  // Keys in UTF-16 order: A, AccessKey, a, b, d, z
  const content = Buffer.concat([Buffer.from('upperAK_TEST1PGTopicA4last'), Buffer.from('body')]);
  const expected = createHmac('sha1', 'SECRET_1').update(content).digest('base64');
  assert.equal(req.extFields?.Signature, expected);
  assert.equal(req.extFields?.AccessKey, 'AK_TEST1');
});

function aliOnsSigned(
  code: number,
  header: object,
  body: Buffer | null,
  ak: string,
  sk: string,
): RemotingCommand {
  const channelProto = require('ali-ons/lib/channel.js').prototype as {
    beforeRequest(this: object, cmd: object): void;
  };
  const RC = require('ali-ons/lib/protocol/command/remoting_command.js') as {
    createRequestCommand(
      code: number,
      header: object,
    ): { extFields: Record<string, string>; customHeader: Record<string, unknown>; body: Buffer | null };
  };
  const cmd = RC.createRequestCommand(code, header);
  cmd.body = body;
  channelProto.beforeRequest.call({ accessKey: ak, secretKey: sk, onsChannel: 'ALIYUN' }, cmd);
  // ali-ons flattens the custom header into extFields when it encodes the frame.
  const ext: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...cmd.customHeader, ...cmd.extFields })) ext[k] = String(v);
  return { ...createRequest(code), extFields: ext, body };
}

test('address patterns as RocketMQ reads them', () => {
  const m = (p: string, ip: string) => compileAddressPattern(p)(ip);
  assert.equal(m('*', '1.2.3.4'), true);
  assert.equal(m('*.*.*.*', '1.2.3.4'), true);
  assert.equal(m('', '1.2.3.4'), false, 'blank matches nothing');
  assert.equal(m('192.168.1.*', '192.168.1.77'), true);
  assert.equal(m('192.168.1.*', '192.168.2.77'), false);
  assert.equal(m('192.168.*.*', '192.168.200.1'), true);
  assert.equal(m('10.*.*.*', '10.0.0.1'), true);
  assert.equal(m('192.168.1.1-100', '192.168.1.100'), true);
  assert.equal(m('192.168.1.1-100', '192.168.1.101'), false);
  assert.equal(m('192.168.1.1-100', '192.168.1.0'), false);
  assert.equal(m('192.168.1-3.*', '192.168.3.9'), true);
  assert.equal(m('192.168.1-3.*', '192.168.4.9'), false);
  assert.equal(m('192.168.1.{1,2,3}', '192.168.1.2'), true);
  assert.equal(m('192.168.1.{1,2,3}', '192.168.1.4'), false);
  assert.equal(m('10.0.0.1,10.0.0.2', '10.0.0.2'), true);
  assert.equal(m('10.0.0.1,10.0.0.2', '10.0.0.3'), false);
  assert.equal(m('127.0.0.1', '127.0.0.1'), true);
  assert.equal(m('127.0.0.1', '127.0.0.2'), false);
  assert.equal(m('::1', '0:0:0:0:0:0:0:1'), true);
  assert.equal(m('fe80::1,fe80::2', 'FE80:0:0:0:0:0:0:2'), true);
  assert.equal(expandIPv6('::ffff:1.2.3.4'), '0000:0000:0000:0000:0000:FFFF:0102:0304');
  for (const bad of [
    '300.1.1.1',
    'abc',
    '192.168.1.{1,x}',
    '192.168.1.5-2',
    '192.168.{1,2}',
    '1.1.1.1,bogus',
  ]) {
    assert.throws(() => compileAddressPattern(bad), AclError, bad);
  }
});

test('resources per request code, as PlainAccessValidator.parse', () => {
  const res = (code: number, ext: Record<string, string>, body?: Buffer) =>
    Object.fromEntries(parseAccessRequest(createRequest(code, ext, body), '10.1.2.3:5555').resources);
  assert.deepEqual(res(RequestCode.SEND_MESSAGE, { topic: 'T', group: 'G' }), { T: Perm.PUB });
  assert.deepEqual(res(RequestCode.SEND_MESSAGE, { topic: '%RETRY%G', group: 'G' }), {
    '%RETRY%G': Perm.SUB,
  });
  assert.deepEqual(res(RequestCode.SEND_MESSAGE_V2, { b: 'T', a: 'G' }), { T: Perm.PUB });
  assert.deepEqual(res(RequestCode.SEND_MESSAGE_V2, { b: '%RETRY%G', a: 'PG' }), { '%RETRY%PG': Perm.SUB });
  assert.deepEqual(res(RequestCode.SEND_BATCH_MESSAGE, { b: 'T', a: 'G' }), { T: Perm.PUB });
  assert.deepEqual(res(RequestCode.PULL_MESSAGE, { topic: 'T', consumerGroup: 'C' }), {
    T: Perm.SUB,
    '%RETRY%C': Perm.SUB,
  });
  assert.deepEqual(res(RequestCode.CONSUMER_SEND_MSG_BACK, { group: 'C', offset: '1' }), {
    '%RETRY%C': Perm.SUB,
  });
  assert.deepEqual(res(RequestCode.QUERY_MESSAGE, { topic: 'T', key: 'k' }), { T: Perm.SUB });
  assert.deepEqual(res(RequestCode.UNREGISTER_CLIENT, { clientID: 'x', consumerGroup: 'C' }), {
    '%RETRY%C': Perm.SUB,
  });
  assert.deepEqual(res(RequestCode.UNREGISTER_CLIENT, { clientID: 'x', producerGroup: 'P' }), {});
  assert.deepEqual(res(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'C' }), {
    '%RETRY%C': Perm.SUB,
  });
  assert.deepEqual(
    res(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'C', topic: 'T', queueId: '0' }),
    {
      '%RETRY%C': Perm.SUB,
      T: Perm.SUB,
    },
  );
  const hb = encodeHeartbeatData({
    clientID: 'c1',
    producerDataSet: [{ groupName: 'PG' }],
    consumerDataSet: [
      {
        groupName: 'CG',
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
        unitMode: false,
        subscriptionDataSet: [
          {
            topic: 'T1',
            subString: '*',
            tagsSet: [],
            codeSet: [],
            subVersion: 1,
            classFilterMode: false,
            expressionType: 'TAG',
          },
          {
            topic: '%RETRY%CG',
            subString: '*',
            tagsSet: [],
            codeSet: [],
            subVersion: 1,
            classFilterMode: false,
            expressionType: 'TAG',
          },
        ],
      },
    ],
  });
  assert.deepEqual(res(RequestCode.HEART_BEAT, {}, hb), { '%RETRY%CG': Perm.SUB, T1: Perm.SUB });
  assert.deepEqual(res(RequestCode.GET_ALL_TOPIC_CONFIG, {}), {});
  assert.throws(
    () => parseAccessRequest(createRequest(RequestCode.HEART_BEAT, {}, Buffer.from('{bad')), '1.1.1.1:1'),
    AclError,
  );
  const who = parseAccessRequest(createRequest(RequestCode.PULL_MESSAGE, { AccessKey: 'ak' }), '::1:999');
  assert.equal(who.ip, '::1');
  assert.equal(who.accessKey, 'ak');
});

const YML = `# test rules
globalWhiteRemoteAddresses:
  - 10.10.103.*
  - 192.168.0.{1,2}
accounts:
  - accessKey: RocketMQ
    secretKey: 12345678
    whiteRemoteAddress: 192.168.9.*
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - TopicA=DENY
      - TopicB=PUB|SUB
      - TopicC=SUB
    groupPerms:
      - GroupA=DENY
      - GroupB=PUB|SUB
  - accessKey: rocketmq2
    secretKey: "12345678"
    admin: true
  - accessKey: limited1
    secretKey: limited-secret
    defaultTopicPerm: PUB
`;

function withAclFile(body: string, fn: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mq-acl-unit-'));
  try {
    const file = join(dir, 'plain_acl.yml');
    writeFileSync(file, body);
    fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function signed(
  code: number,
  ext: Record<string, string>,
  ak: string,
  sk: string,
  body?: Buffer,
): RemotingCommand {
  const req = createRequest(code, ext, body);
  signRequest(req, ak, sk);
  return req;
}

function refusal(v: PlainAccessValidator, req: RemotingCommand, addr = '127.0.0.1:4000'): string | undefined {
  try {
    v.check(addr, req);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof AclError);
    assert.match(err.message, /^org\.apache\.rocketmq\.acl\.common\.AclException: /);
    return err.reason;
  }
}

test('permission decisions: signature, DENY, defaults, retry topic → group, admin codes, white lists', () => {
  withAclFile(YML, (file) => {
    const v = new PlainAccessValidator({ file, watchIntervalMs: 0 });
    const send = (topic: string, ak = 'RocketMQ', sk = '12345678') =>
      refusal(v, signed(RequestCode.SEND_MESSAGE_V2, { a: 'PG', b: topic }, ak, sk, Buffer.from('x')));
    assert.equal(send('TopicB'), undefined);
    assert.equal(send('TopicA'), 'No default permission for topic:TopicA');
    assert.equal(send('TopicC'), 'No default permission for topic:TopicC', 'SUB does not grant PUB');
    assert.equal(send('Other'), 'No default permission for topic:Other', 'defaultTopicPerm DENY');
    assert.equal(send('TopicB', 'RocketMQ', 'wrong-secret'), 'Check signature failed for accessKey=RocketMQ');
    assert.equal(send('TopicB', 'nobody1', '12345678'), 'No acl config for nobody1');
    assert.equal(
      refusal(v, createRequest(RequestCode.SEND_MESSAGE_V2, { b: 'TopicB' })),
      'No accessKey is configured',
    );
    // tampering after signing breaks the signature
    const tampered = signed(RequestCode.SEND_MESSAGE_V2, { a: 'PG', b: 'TopicB' }, 'RocketMQ', '12345678');
    tampered.body = Buffer.from('changed');
    assert.equal(refusal(v, tampered), 'Check signature failed for accessKey=RocketMQ');
    // retry topic: SUB on the group, not PUB on the topic
    assert.equal(send('%RETRY%GroupB'), undefined, 'retry topic: SUB on the sending group PG (default SUB)');
    assert.equal(
      refusal(
        v,
        signed(RequestCode.SEND_MESSAGE_V2, { a: 'GroupA', b: '%RETRY%GroupA' }, 'RocketMQ', '12345678'),
      ),
      'No default permission for group:GroupA',
    );
    assert.equal(
      refusal(
        v,
        signed(RequestCode.SEND_MESSAGE_V2, { a: 'GroupX', b: '%RETRY%GroupX' }, 'RocketMQ', '12345678'),
      ),
      undefined,
      'defaultGroupPerm SUB',
    );
    const pull = (topic: string, group: string, ak = 'RocketMQ', sk = '12345678') =>
      refusal(v, signed(RequestCode.PULL_MESSAGE, { topic, consumerGroup: group, queueId: '0' }, ak, sk));
    assert.equal(pull('TopicC', 'GroupB'), undefined);
    assert.equal(pull('TopicC', 'GroupA'), 'No default permission for group:GroupA');
    assert.equal(pull('TopicA', 'GroupB'), 'No default permission for topic:TopicA');
    assert.equal(
      pull('TopicB', 'AnyGroup', 'limited1', 'limited-secret'),
      'No default permission for topic:TopicB',
    );
    assert.equal(send('AnyTopic', 'limited1', 'limited-secret'), undefined, 'defaultTopicPerm PUB');
    // admin-only codes
    const create = (ak: string, sk: string) =>
      refusal(v, signed(RequestCode.UPDATE_AND_CREATE_TOPIC, { topic: 'New' }, ak, sk));
    assert.equal(
      create('RocketMQ', '12345678'),
      'Need admin permission for request code=17, but accessKey=RocketMQ is not',
    );
    assert.equal(create('rocketmq2', '12345678'), undefined);
    assert.equal(
      send('Anything', 'rocketmq2', '12345678'),
      undefined,
      'an admin with no perms lists may do anything',
    );
    // non-resource codes only need a valid signature
    assert.equal(refusal(v, signed(RequestCode.GET_ALL_TOPIC_CONFIG, {}, 'RocketMQ', '12345678')), undefined);
    // trace topic PUB is always allowed
    assert.equal(send('RMQ_SYS_TRACE_TOPIC'), undefined);
    // global white list: no signature needed at all
    const bare = createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, { topic: 'New' });
    assert.equal(refusal(v, bare, '10.10.103.7:1234'), undefined);
    assert.equal(refusal(v, bare, '192.168.0.2:1234'), undefined);
    assert.equal(refusal(v, bare, '192.168.0.3:1234'), 'No accessKey is configured');
    // account white list: signature skipped, permissions too (as in RocketMQ)
    const unsigned = createRequest(RequestCode.SEND_MESSAGE_V2, {
      a: 'PG',
      b: 'TopicA',
      AccessKey: 'RocketMQ',
    });
    assert.equal(refusal(v, unsigned, '192.168.9.1:1'), undefined);
    assert.equal(refusal(v, unsigned, '192.168.8.1:1'), 'Check signature failed for accessKey=RocketMQ');
  });
});

test('an ali-ons signed request (OnsChannel included) passes; a Java _UNIQUE_KEY_QUERY one both ways', () => {
  withAclFile(YML, (file) => {
    const v = new PlainAccessValidator({ file, watchIntervalMs: 0 });
    const req = aliOnsSigned(
      310,
      { a: 'PG', b: 'TopicB', d: 4, k: false },
      Buffer.from('hi'),
      'RocketMQ',
      '12345678',
    );
    assert.equal(req.extFields?.OnsChannel, 'ALIYUN');
    assert.equal(refusal(v, req), undefined);
    const bad = aliOnsSigned(310, { a: 'PG', b: 'TopicB' }, Buffer.from('hi'), 'RocketMQ', 'not-the-secret');
    assert.equal(refusal(v, bad), 'Check signature failed for accessKey=RocketMQ');
    const q = signed(
      RequestCode.QUERY_MESSAGE,
      { topic: 'TopicB', key: 'k', _UNIQUE_KEY_QUERY: 'true' },
      'RocketMQ',
      '12345678',
    );
    assert.equal(refusal(v, q), undefined, 'signed with _UNIQUE_KEY_QUERY (Java client)');
    const q2 = createRequest(RequestCode.QUERY_MESSAGE, { topic: 'TopicB', key: 'k' });
    signRequest(q2, 'RocketMQ', '12345678');
    q2.extFields = { ...q2.extFields, _UNIQUE_KEY_QUERY: 'true' };
    assert.equal(refusal(v, q2), undefined, 'signed without it (Apache broker rule)');
  });
});

test('malformed plain_acl.yml: the error names the file and the problem', () => {
  const bad: Array<[string, RegExp]> = [
    ['accounts:\n  - accessKey: [unclosed\n', /invalid YAML/],
    ['- just\n- a list\n', /top level must be a mapping/],
    ['accounts: nope\n', /accounts must be a list/],
    [
      'accounts:\n  - accessKey: short\n    secretKey: 12345678\n',
      /accounts\[0\]: accessKey and secretKey are required and must be at least 7/,
    ],
    [
      'accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    topicPerms:\n      - TopicA\n',
      /TopicA.*name=PERM/,
    ],
    [
      'accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    admin: maybe\n',
      /accounts\[0\]\.admin must be true or false/,
    ],
    ['globalWhiteRemoteAddresses:\n  - 999.1.1.1\n', /white address "999\.1\.1\.1"/],
    [
      'accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    whiteRemoteAddress: 10.1.x-y.*\n',
      /white address/,
    ],
  ];
  for (const [body, re] of bad) {
    withAclFile(body, (file) => {
      assert.throws(
        () => new PlainAccessValidator({ file, watchIntervalMs: 0 }),
        (err: Error) => {
          assert.ok(err.message.includes(file), `${err.message} names the file`);
          assert.match(err.message, re);
          return true;
        },
        body,
      );
    });
  }
  assert.throws(
    () => readPlainAclFile('/nonexistent/dir/plain_acl.yml'),
    /\/nonexistent\/dir\/plain_acl\.yml does not exist/,
  );
  // empty file: no accounts, everything but the white list refused
  assert.deepEqual(parsePlainAcl('', 'x.yml'), { globalWhiteRemoteAddresses: [], accounts: [] });
});

test('reload: an edit takes effect; a broken edit keeps the previous rules', () => {
  withAclFile(YML, (file) => {
    const v = new PlainAccessValidator({ file, watchIntervalMs: 0 });
    const req = () => signed(RequestCode.SEND_MESSAGE_V2, { a: 'PG', b: 'TopicA' }, 'RocketMQ', '12345678');
    assert.equal(refusal(v, req()), 'No default permission for topic:TopicA');
    assert.equal(v.reloadIfChanged(), false, 'unchanged content is not reloaded');
    writeFileSync(file, YML.replace('TopicA=DENY', 'TopicA=PUB'));
    assert.equal(v.reloadIfChanged(), true);
    assert.equal(refusal(v, req()), undefined);
    writeFileSync(file, 'accounts: [broken\n');
    assert.equal(v.reloadIfChanged(), false);
    assert.equal(refusal(v, req()), undefined, 'old rules stay');
  });
});

test('GET_BROKER_CLUSTER_ACL_CONFIG body: fastjson field order, nulls left out, round trip', () => {
  const body = encodeBrokerClusterAclConfig({
    globalWhiteAddrs: ['10.10.103.*'],
    plainAccessConfigs: [{ accessKey: 'RocketMQ', secretKey: '12345678', topicPerms: ['A=PUB'] }],
  });
  assert.equal(
    body.toString(),
    '{"globalWhiteAddrs":["10.10.103.*"],"plainAccessConfigs":[{"accessKey":"RocketMQ","admin":false,"secretKey":"12345678","topicPerms":["A=PUB"]}]}',
  );
  assert.deepEqual(decodeBrokerClusterAclConfig(body), {
    globalWhiteAddrs: ['10.10.103.*'],
    plainAccessConfigs: [
      { accessKey: 'RocketMQ', secretKey: '12345678', admin: false, topicPerms: ['A=PUB'] },
    ],
  });
});

test('admin changes: update merges into the account, delete removes, the file keeps its mode', () => {
  withAclFile(YML, (file) => {
    chmodSync(file, 0o600);
    const v = new PlainAccessValidator({ file, watchIntervalMs: 0 });
    v.updateAccessConfig({ accessKey: 'RocketMQ', secretKey: 'new-secret', topicPerms: ['TopicA=PUB'] });
    const doc = parsePlainAcl(readFileSync(file, 'utf8'), file);
    const acc = doc.accounts.find((a) => a.accessKey === 'RocketMQ');
    assert.deepEqual(acc?.topicPerms, ['TopicA=PUB']);
    assert.deepEqual(acc?.groupPerms, ['GroupA=DENY', 'GroupB=PUB|SUB'], 'fields not given are kept');
    assert.equal(acc?.whiteRemoteAddress, '192.168.9.*');
    assert.equal(acc?.secretKey, 'new-secret');
    assert.equal(doc.dataVersion?.[0]?.counter, 1);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(
      refusal(v, signed(RequestCode.SEND_MESSAGE_V2, { a: 'PG', b: 'TopicA' }, 'RocketMQ', 'new-secret')),
      undefined,
      'in force at once',
    );
    assert.throws(
      () =>
        v.updateAccessConfig({
          accessKey: 'RocketMQ',
          secretKey: 'new-secret',
          topicPerms: ['TopicA=WRITE'],
        }),
      /TopicA=WRITE/,
    );
    assert.throws(() => v.updateAccessConfig({ accessKey: 'short', secretKey: 'new-secret' }), /at least 7/);
    assert.equal(v.deleteAccessConfig('nobody-here'), false);
    assert.equal(v.deleteAccessConfig('limited1'), true);
    assert.equal(parsePlainAcl(readFileSync(file, 'utf8'), file).accounts.length, 2);
    assert.equal(v.updateGlobalWhiteAddrs(['127.0.0.1'], '/elsewhere/plain_acl.yml'), false);
    assert.throws(() => v.updateGlobalWhiteAddrs(['not-an-ip']), /not-an-ip/);
    assert.equal(v.updateGlobalWhiteAddrs(['127.0.0.1'], file), true);
    assert.equal(refusal(v, createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {})), undefined);
    assert.equal(parsePlainAcl(readFileSync(file, 'utf8'), file).dataVersion?.[0]?.counter, 3);
  });
});
