import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { aclSignature, signRequest } from '../../src/engine/protocol/acl-signature.js';
import { encodeFrame, FrameDecoder } from '../../src/engine/protocol/frame-codec.js';
import {
  createRequest,
  createResponse,
  markOneway,
  type RemotingCommand,
} from '../../src/engine/protocol/remoting-command.js';
import { ResponseCode } from '../../src/engine/protocol/response-code.js';
import {
  type Channel,
  parseNamesrvAddr,
  RemotingClient,
  RemotingServer,
  RemotingTimeoutError,
} from '../../src/engine/remoting/index.js';
import { captureLogger, waitFor } from './log-capture.js';

async function setup(t: { after(fn: () => Promise<void> | void): void }, idleMs?: number) {
  const { logger, lines } = captureLogger();
  const server = new RemotingServer({ logger, idleMs });
  const port = await server.listen(0, '127.0.0.1');
  const client = new RemotingClient({ logger });
  t.after(async () => {
    await client.close();
    await server.close();
  });
  return { server, client, addr: `127.0.0.1:${port}`, port, lines };
}

test('request/response in both serialize types; the reply echoes the request type', async (t) => {
  const { server, client, addr } = await setup(t);
  server.registerProcessor(105, (req) =>
    createResponse(
      req,
      0,
      undefined,
      { topic: req.extFields?.topic, n: 1 },
      Buffer.from(`route:${req.extFields?.topic}`),
    ),
  );
  for (const type of [0, 1] as const) {
    const resp = await client.invoke(addr, createRequest(105, { topic: `T${type}` }, null, type), 2000);
    assert.equal(resp.code, 0);
    assert.equal(resp.serializeType, type);
    assert.deepEqual(resp.extFields, { topic: `T${type}`, n: '1' });
    assert.equal(resp.body?.toString(), `route:T${type}`);
  }
});

test('unknown code → REQUEST_CODE_NOT_SUPPORTED (JSON, even for oneway); throwing handler → SYSTEM_ERROR', async (t) => {
  const { server, client, addr, port } = await setup(t);
  server.registerProcessor(1, () => {
    throw new Error('boom: topic missing');
  });
  server.registerProcessor(2, async () => {
    throw new Error('async boom');
  });
  const r1 = await client.invoke(addr, createRequest(999, undefined, null, 1), 2000);
  assert.equal(r1.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  assert.equal(r1.remark, ' request type 999 not supported');
  assert.equal(r1.serializeType, 0);
  const r2 = await client.invoke(addr, createRequest(1), 2000);
  assert.equal(r2.code, ResponseCode.SYSTEM_ERROR);
  assert.equal(r2.remark, 'boom: topic missing');
  assert.equal((await client.invoke(addr, createRequest(2), 2000)).remark, 'async boom');

  // A oneway with an unknown code still gets the error reply; a oneway that throws gets none.
  const sock = connect(port, '127.0.0.1');
  const dec = new FrameDecoder();
  const got: RemotingCommand[] = [];
  sock.on('data', (d) => got.push(...dec.push(d)));
  await new Promise((r) => sock.once('connect', r));
  const ow = markOneway(createRequest(777));
  sock.write(encodeFrame(markOneway(createRequest(1))));
  sock.write(encodeFrame(ow));
  await waitFor(() => got.length >= 1, 2000, 'oneway error reply');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(got.length, 1);
  assert.equal(got[0].code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  assert.equal(got[0].opaque, ow.opaque);
  sock.destroy();
});

test('oneway requests reach the handler and are never answered; null = no reply', async (t) => {
  const { server, client, addr } = await setup(t);
  const seen: number[] = [];
  server.registerProcessor(15, (req) => {
    seen.push(Number(req.extFields?.commitOffset));
    return createResponse(req, 0); // dropped because the request is oneway
  });
  server.registerProcessor(16, () => null);
  await client.invokeOneway(addr, createRequest(15, { commitOffset: 42 }));
  await waitFor(() => seen.length === 1, 2000, 'oneway delivery');
  assert.deepEqual(seen, [42]);
  const ch = await client.getChannel(addr);
  await assert.rejects(client.invoke(addr, createRequest(16), 150), RemotingTimeoutError);
  assert.equal(ch.inFlight, 0, 'timed-out entry is removed');
});

test('negative opaques, out-of-order replies and 64 concurrent invokes match correctly', async (t) => {
  const { server, client, addr } = await setup(t);
  server.registerProcessor(7, async (req) => {
    await new Promise((r) => setTimeout(r, Number(req.extFields?.delay)));
    return createResponse(req, 0, req.extFields?.tag);
  });
  const neg = createRequest(7, { delay: 30, tag: 'neg' });
  neg.opaque = -2147483648;
  const calls = [client.invoke(addr, neg, 2000)];
  for (let i = 0; i < 64; i++) {
    calls.push(client.invoke(addr, createRequest(7, { delay: (64 - i) % 17, tag: `t${i}` }), 3000));
  }
  const replies = await Promise.all(calls);
  assert.equal(replies[0].remark, 'neg');
  assert.equal(replies[0].opaque, -2147483648);
  for (let i = 0; i < 64; i++) assert.equal(replies[i + 1].remark, `t${i}`);
});

test('late replies after a timeout are dropped; reconnect on the next call after the server closes the channel', async (t) => {
  const { server, client, addr } = await setup(t);
  let delay = 200;
  const serverChannels: Channel[] = [];
  server.on('channelOpen', (ch) => serverChannels.push(ch));
  server.registerProcessor(8, async (req) => {
    await new Promise((r) => setTimeout(r, delay));
    return createResponse(req, 0);
  });
  await assert.rejects(client.invoke(addr, createRequest(8), 50), /timeout/);
  await new Promise((r) => setTimeout(r, 250)); // the late reply arrives and is ignored
  delay = 0;
  assert.equal((await client.invoke(addr, createRequest(8), 1000)).code, 0);
  const closed: string[] = [];
  client.on('close', (a) => closed.push(a));
  serverChannels[0].destroy();
  await waitFor(() => closed.length === 1, 2000, 'client close event');
  assert.equal(closed[0], addr);
  assert.equal((await client.invoke(addr, createRequest(8), 1000)).code, 0);
  assert.equal(serverChannels.length, 2, 'a second connection was opened');
});

test('server-initiated requests to a client: registered processor answers, unknown code gets code 3', async (t) => {
  const { server, client, addr } = await setup(t);
  let serverSide: Channel | undefined;
  server.registerProcessor(34, (req, ch) => {
    serverSide = ch;
    return createResponse(req, 0);
  });
  client.registerProcessor(307, (req) =>
    createResponse(req, 0, undefined, undefined, Buffer.from('running-info')),
  );
  const notified: string[] = [];
  client.registerProcessor(40, (req) => {
    notified.push(req.extFields?.consumerGroup ?? '');
    return null;
  });
  await client.invoke(addr, createRequest(34), 1000);
  assert.ok(serverSide);
  const info = await serverSide.invoke(createRequest(307, { consumerGroup: 'g', clientId: 'c' }), 1000);
  assert.equal(info.body?.toString(), 'running-info');
  const unknown = await serverSide.invoke(createRequest(221), 1000);
  assert.equal(unknown.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  serverSide.invokeOneway(createRequest(40, { consumerGroup: 'G1' }));
  await waitFor(() => notified.length === 1, 2000, 'notify');
  assert.deepEqual(notified, ['G1']);
  assert.match(serverSide.remoteAddress, /^127\.0\.0\.1:\d+$/);
});

test('idle channels are closed by the server after idleMs', async (t) => {
  const { server, client, addr } = await setup(t, 200);
  server.registerProcessor(1, (req) => createResponse(req, 0));
  const closes: string[] = [];
  client.on('close', (a) => closes.push(a));
  await client.invoke(addr, createRequest(1), 1000);
  await waitFor(() => closes.length === 1, 3000, 'idle close');
  assert.equal((await client.invoke(addr, createRequest(1), 1000)).code, 0, 'reconnects after idle close');
});

test('parseNamesrvAddr splits ; lists', () => {
  assert.deepEqual(parseNamesrvAddr('a:1;b:2; c:3;'), ['a:1', 'b:2', 'c:3']);
  assert.deepEqual(parseNamesrvAddr(''), []);
});

test('a 12 MiB body survives the zero-copy write path and reassembly from many socket reads', async (t) => {
  const { server, client, addr } = await setup(t);
  server.registerProcessor(9, (req) =>
    createResponse(req, 0, undefined, { len: req.body?.length }, req.body),
  );
  const body = Buffer.alloc(12 * 1024 * 1024);
  for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
  const resp = await client.invoke(addr, createRequest(9, undefined, body), 10_000);
  assert.equal(resp.extFields?.len, String(body.length));
  assert.ok(resp.body?.equals(body));
});

test('RPC hooks: the client signs every request, the server verifies and a failure becomes SYSTEM_ERROR', async (t) => {
  const { server, client, addr } = await setup(t);
  const secrets: Record<string, string> = { AK: 'secret' };
  server.registerRpcHook({
    doBeforeRequest(remote, req) {
      const ext = req.extFields ?? {};
      const secret = secrets[ext.AccessKey ?? ''];
      if (!secret) throw new Error(`No acl config for ${ext.AccessKey} from ${remote}`);
      if (aclSignature(ext, req.body, secret) !== ext.Signature) throw new Error('Check signature failed');
    },
  });
  server.registerProcessor(34, (req) => createResponse(req, 0));
  let key = 'AK';
  let secret = 'secret';
  client.registerRpcHook({ doBeforeRequest: (_addr, req) => signRequest(req, key, secret) });
  assert.equal(
    (await client.invoke(addr, createRequest(34, { clientID: 'c1' }, Buffer.from('{}')), 2000)).code,
    0,
  );
  secret = 'wrong';
  const bad = await client.invoke(addr, createRequest(34, { clientID: 'c1' }), 2000);
  assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
  assert.equal(bad.remark, 'Check signature failed');
  key = 'nobody';
  assert.match((await client.invoke(addr, createRequest(34), 2000)).remark ?? '', /No acl config for nobody/);
  // unknown codes are answered before any hook runs
  assert.equal(
    (await client.invoke(addr, createRequest(4242), 2000)).code,
    ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
  );
});
