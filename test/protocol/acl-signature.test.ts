import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { aclSignature, signRequest } from '../../src/engine/protocol/acl-signature.js';
import { createRequest } from '../../src/engine/protocol/remoting-command.js';

const require = createRequire(import.meta.url);

test('our ACL signature equals the one ali-ons computes for the same request (§9.1, §9.3)', () => {
  const channelProto = require('ali-ons/lib/channel.js').prototype as {
    beforeRequest(this: object, cmd: object): void;
  };
  const RemotingCommand = require('ali-ons/lib/protocol/command/remoting_command.js') as {
    createRequestCommand(
      code: number,
      header: object,
    ): { extFields: Record<string, string>; body: Buffer | null };
  };
  const header = { a: 'PG', b: 'TopicA', d: 4, k: false, i: 'TAGS\u0001中文\u0002' };
  const theirs = RemotingCommand.createRequestCommand(310, header);
  theirs.body = Buffer.from('hello body');
  channelProto.beforeRequest.call(
    { accessKey: 'AK', secretKey: 'SK-12345678', onsChannel: 'ALIYUN' },
    theirs,
  );
  const expected = theirs.extFields.Signature;
  assert.ok(expected);

  const ours = createRequest(310, { ...header, OnsChannel: 'ALIYUN' }, Buffer.from('hello body'));
  signRequest(ours, 'AK', 'SK-12345678');
  assert.equal(ours.extFields?.Signature, expected);
  assert.equal(ours.extFields?.AccessKey, 'AK');
  // verifying side: recompute over everything but Signature (and _UNIQUE_KEY_QUERY on the broker)
  assert.equal(
    aclSignature({ ...ours.extFields, _UNIQUE_KEY_QUERY: 'x' }, ours.body, 'SK-12345678', [
      'Signature',
      '_UNIQUE_KEY_QUERY',
    ]),
    expected,
  );
  assert.notEqual(aclSignature(ours.extFields, ours.body, 'wrong'), expected);
});
